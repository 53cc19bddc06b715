// InfluxDB 1.6 as a benchmark peer: a private influxd on free loopback ports with its own temp folder, spoken to over HTTP.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { BrokerProcess } from '../../test/support/broker-process.ts';
import { freePort } from '../../test/support/ports.ts';
import { ensureBinary } from './install.ts';

const BIN = '/usr/bin/influxd';

export class InfluxDb {
  private constructor(
    private readonly proc: BrokerProcess,
    private readonly dir: string,
    readonly url: string,
  ) {}

  static async start(): Promise<InfluxDb | null> {
    if (!ensureBinary(BIN, 'influxdb')) return null;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ioc-bench-influx-'));
    const port = await freePort();
    const rpc = await freePort();
    const conf = path.join(dir, 'influxdb.conf');
    await writeFile(
      conf,
      [
        'reporting-disabled = true',
        `bind-address = "127.0.0.1:${rpc}"`,
        '[meta]',
        `  dir = "${dir}/meta"`,
        '  logging-enabled = false',
        '[data]',
        `  dir = "${dir}/data"`,
        `  wal-dir = "${dir}/wal"`,
        '  query-log-enabled = false',
        '[monitor]',
        '  store-enabled = false',
        '[http]',
        `  bind-address = "127.0.0.1:${port}"`,
        '  log-enabled = false',
        '[logging]',
        '  level = "warn"',
        '',
      ].join('\n'),
    );
    const proc = new BrokerProcess('influxd', [BIN, '-config', conf], path.join(dir, 'influxd.log'));
    try {
      await proc.start(port);
    } catch (err) {
      process.stderr.write(`skipped: influxd did not start: ${(err as Error).message}\n`);
      await rm(dir, { recursive: true, force: true });
      return null;
    }
    return new InfluxDb(proc, dir, `http://127.0.0.1:${port}`);
  }

  get dataDir(): string {
    return this.dir;
  }

  async query(q: string, db?: string): Promise<unknown> {
    const params = new URLSearchParams({ q, epoch: 'ms', ...(db ? { db } : {}) });
    const res = await fetch(`${this.url}/query`, { method: 'POST', body: params });
    const body = (await res.json()) as { results?: { error?: string }[]; error?: string };
    const error = body.error ?? body.results?.find((r) => r.error)?.error;
    if (!res.ok || error) throw new Error(`influxdb: ${error ?? res.status}`);
    return body;
  }

  /** Writes a line-protocol file in batches of `batch` points, `parallel` requests at a time; returns the points written. */
  async writeFile(file: string, db: string, batch = 5000, parallel = 2): Promise<number> {
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    let points = 0;
    let buf: string[] = [];
    const inFlight = new Set<Promise<void>>();
    const send = async (body: string): Promise<void> => {
      const res = await fetch(`${this.url}/write?db=${db}&precision=ms`, { method: 'POST', body });
      if (res.status !== 204) throw new Error(`influxdb write: ${res.status} ${await res.text()}`);
    };
    const flush = async (): Promise<void> => {
      const p = send(buf.join('\n'));
      points += buf.length;
      buf = [];
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p)).catch(() => undefined);
      if (inFlight.size >= parallel) await Promise.race(inFlight);
    };
    for await (const line of lines) {
      buf.push(line);
      if (buf.length >= batch) await flush();
    }
    if (buf.length > 0) await flush();
    await Promise.all(inFlight);
    return points;
  }

  async stop(): Promise<void> {
    await this.proc.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}
