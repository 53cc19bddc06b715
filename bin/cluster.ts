// `ioc cluster`: three local nats-servers (JetStream, MQTT listeners) and two engine replicas, to watch failover on one machine.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_AREAS_FILE, loadAreas, simulatorAreas } from '../engine/geo/index.ts';
import { startMqttSimulator } from '../sources/simulate/index.ts';
import { Child, portInUse } from './cluster/child.ts';
import { natsClientUrl, natsNodeConfig, natsUrlList, type NatsNode } from './cluster/nats-config.ts';
import { waitForCluster } from './cluster/ready.ts';
import { ensureDashboards } from './dashboards.ts';

export const CLUSTER_USAGE = `usage: ioc cluster [--dir DIR] [--base-port N] [--http-port N] [--sim-rate N]

  Starts three nats-servers clustered on loopback (JetStream, an MQTT listener on each), two engine replicas
  a and b reading the cluster's stream (3 replicas), and the Hanoi simulator publishing over MQTT; prints
  every address. A process that dies is started again after 5 s, so you can watch failover and catch-up.
  Ctrl-C stops everything.

  --dir DIR      the servers' and replicas' files and logs (default ./data/cluster)
  --base-port N  node 1's client port (default 14222); the others move with it: clients N…N+2,
                 routes N+2000… (16222), MQTT N-2339… (11883), monitoring N+4000… (18222)
  --http-port N  replica a's HTTP port (default 8081); replica b takes N+1
  --sim-rate N   simulator events per second (default 200; 0: none, publish your own)
`;

const IOC = fileURLToPath(new URL('./ioc.mjs', import.meta.url));
const NODES = 3;
const RESTART_AFTER_MS = 5_000;
// Settings of the caller's shell that would make the two replicas share a consumer or read a second source.
const NOT_INHERITED = ['NATS_CONSUMER', 'NATS_MODE', 'MQTT_URL', 'REPLICA', 'DB_FILE', 'ENGINES'];

/** nats-server on PATH, or where Debian puts it (/usr/sbin is not on every user's PATH). */
function findNatsServer(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/local/bin'];
  return dirs
    .filter(Boolean)
    .map((d) => path.join(d, 'nats-server'))
    .find((p) => existsSync(p));
}

interface Options {
  dir: string;
  basePort: number;
  httpPort: number;
  simRate: number;
}

function parseOptions(args: string[]): Options | string {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        dir: { type: 'string' },
        'base-port': { type: 'string' },
        'http-port': { type: 'string' },
        'sim-rate': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return (err as Error).message;
  }
  if (values.help) return '';
  const problems: string[] = [];
  const int = (name: string, text: string | undefined, fallback: number, min: number, max: number) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max)
      problems.push(`--${name} ${text}: expected a whole number ${min}…${max}`);
    return n;
  };
  const options = {
    dir: path.resolve(values.dir ?? path.join('data', 'cluster')),
    basePort: int('base-port', values['base-port'], 14222, 1024 + 2339, 65535 - 4000 - NODES),
    httpPort: int('http-port', values['http-port'], 8081, 1024, 65534),
    simRate: int('sim-rate', values['sim-rate'], 200, 0, 1_000_000),
  };
  return problems.length > 0 ? problems.join('; ') : options;
}

function natsLayout(o: Options): NatsNode[] {
  return Array.from({ length: NODES }, (_, i) => {
    const home = path.join(o.dir, `n${i + 1}`);
    return {
      name: `n${i + 1}`,
      host: '127.0.0.1',
      clientPort: o.basePort + i,
      clusterPort: o.basePort + 2000 + i,
      mqttPort: o.basePort - 2339 + i,
      httpPort: o.basePort + 4000 + i,
      storeDir: path.join(home, 'store'),
      logFile: path.join(home, 'nats-server.log'),
      pidFile: path.join(home, 'nats-server.pid'),
    };
  });
}

const say = (text: string) => process.stderr.write(`${text}\n`);

export async function clusterCommand(args: string[]): Promise<number> {
  const parsed = parseOptions(args);
  if (typeof parsed === 'string') {
    if (parsed === '') {
      process.stdout.write(CLUSTER_USAGE);
      return 0;
    }
    process.stderr.write(`ioc cluster: ${parsed}\n\n${CLUSTER_USAGE}`);
    return 2;
  }
  const o = parsed;
  const natsBin = findNatsServer();
  if (!natsBin) {
    say(
      'ioc cluster: nats-server is not installed. Install it (Debian and Ubuntu: sudo apt-get install nats-server;\n' +
        'elsewhere a release from https://github.com/nats-io/nats-server/releases on your PATH), then run this again.',
    );
    return 1;
  }
  const nodes = natsLayout(o);
  const replicas = ['a', 'b'].map((name, i) => ({ name, port: o.httpPort + i, dataDir: path.join(o.dir, name) }));
  const ports = [
    ...nodes.flatMap((n) => [n.clientPort, n.clusterPort, n.mqttPort!, n.httpPort!]),
    ...replicas.map((r) => r.port),
  ];
  const busy: number[] = [];
  for (const p of ports) if (await portInUse(p)) busy.push(p);
  if (busy.length > 0) {
    say(
      `ioc cluster: port${busy.length > 1 ? 's' : ''} ${busy.join(', ')} already in use (another ioc cluster?).\n` +
        'Stop what uses them, or move the cluster with --base-port and --http-port.',
    );
    return 1;
  }

  const began = performance.now();
  const urls = natsUrlList(nodes);
  const engines = replicas.map((r) => `http://127.0.0.1:${r.port}`);
  const servers = nodes.map((node, i) => {
    mkdirSync(path.dirname(node.logFile!), { recursive: true });
    const conf = path.join(path.dirname(node.logFile!), 'nats-server.conf');
    writeFileSync(conf, natsNodeConfig(nodes, i));
    return new Child({
      label: `NATS node ${node.name}`,
      command: natsBin,
      args: ['-c', conf],
      logFile: node.logFile!,
      port: node.clientPort,
    });
  });
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of NOT_INHERITED) delete env[key];
  const engineProcs = replicas.map((r) => {
    mkdirSync(r.dataDir, { recursive: true });
    return new Child({
      label: `replica ${r.name}`,
      command: process.execPath,
      args: [IOC, 'start'],
      env: {
        ...env,
        REPLICA: r.name,
        NATS_URL: urls,
        NATS_REPLICAS: '3',
        PORT: String(r.port),
        // Replicas share this host: each would want the PostgreSQL door's one default port.
        PG_PORT: '0',
        DATA_DIR: r.dataDir,
        SIMULATE: '0',
        ENGINES: engines.join(','),
      },
      logFile: path.join(o.dir, `replica-${r.name}.log`),
      port: r.port,
    });
  });
  let simulator: { stop(): void } | undefined;
  // An object, so that checks after an await see what a signal handler set meanwhile.
  const run: { stopping?: Promise<void> } = {};
  const stopAll = () =>
    (run.stopping ??= (async () => {
      simulator?.stop();
      // Replicas first: they commit and acknowledge what they hold while the servers are still there.
      await Promise.all(engineProcs.map((c) => c.stop()));
      await Promise.all(servers.map((c) => c.stop(10_000)));
    })());
  let signalled = () => {};
  const stopped = new Promise<void>((resolve) => (signalled = resolve));
  const onSignal = (signal: string) => {
    // A second Ctrl-C (or npx passing the first one on) must not cut the replicas' commit short.
    say(run.stopping ? `${signal}: already stopping…` : `\n${signal}: stopping the replicas, then the NATS servers…`);
    void stopAll().then(signalled);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // Should this process end some other way, its children (each in a process group of its own) must not outlive it.
  const killAll = () => [...engineProcs, ...servers].forEach((c) => c.killNow());
  process.once('exit', killAll);
  for (const child of [...servers, ...engineProcs]) {
    child.onUnexpectedExit = (how) => {
      if (run.stopping) return;
      say(`${child.spec.label} ended (${how}); starting it again in ${RESTART_AFTER_MS / 1000} s`);
      setTimeout(() => {
        if (run.stopping) return;
        child.start(90_000).then(
          () => say(`${child.spec.label} is back (pid ${child.pid})`),
          (err: unknown) => say(`${child.spec.label} did not come back: ${(err as Error).message}`),
        );
      }, RESTART_AFTER_MS);
    };
  }

  // Ctrl-C while starting: what is under way ends, and nothing more starts.
  const interrupted = () => {
    if (run.stopping) throw new Error('interrupted');
  };
  try {
    say(`starting ${NODES} nats-servers (${natsBin}) in ${o.dir}…`);
    await Promise.all(servers.map((c) => c.start(30_000)));
    await waitForCluster({
      urls: nodes.map(natsClientUrl),
      mqtt: nodes.map((n) => n.mqttPort!),
      logFiles: nodes.map((n) => n.logFile!),
      timeoutMs: 30_000,
    });
    say(`NATS cluster ready in ${((performance.now() - began) / 1000).toFixed(1)} s`);
    interrupted();
    await ensureDashboards({ force: false });
    say('starting replicas a and b…');
    await Promise.all(engineProcs.map((c) => c.start(90_000)));
    interrupted();
    if (o.simRate > 0) simulator = await startSimulator(`mqtt://127.0.0.1:${nodes[0]!.mqttPort}`, o.simRate);
    interrupted();
  } catch (err) {
    if (run.stopping) {
      simulator?.stop();
      await run.stopping;
      return 130;
    }
    say(`ioc cluster: ${(err as Error).message}`);
    await stopAll();
    return 1;
  }
  say(summary(o, nodes, replicas, servers, engineProcs, performance.now() - began));
  await stopped;
  process.off('exit', killAll);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  say('stopped');
  return 0;
}

async function startSimulator(url: string, rate: number): Promise<{ stop(): void }> {
  const areas = await loadAreas(DEFAULT_AREAS_FILE);
  return startMqttSimulator({ url, rate, seed: 1010, areas: simulatorAreas(areas) });
}

function summary(
  o: Options,
  nodes: readonly NatsNode[],
  replicas: readonly { name: string; port: number }[],
  servers: readonly Child[],
  engines: readonly Child[],
  ms: number,
): string {
  const rel = (p: string) => {
    const r = path.relative(process.cwd(), p);
    return r === '' ? '.' : r.startsWith('..') ? p : r;
  };
  const first = `http://127.0.0.1:${replicas[0]!.port}`;
  const lines = [
    '',
    `  Hanoi IOC cluster is up in ${(ms / 1000).toFixed(1)} s (files in ${rel(o.dir)})`,
    '',
    `  NATS_URL          ${natsUrlList(nodes)}`,
    ...nodes.map(
      (n, i) =>
        `  NATS node ${n.name}      ${natsClientUrl(n)}  MQTT mqtt://127.0.0.1:${n.mqttPort}  monitor http://127.0.0.1:${n.httpPort}/jsz  pid ${servers[i]!.pid}  log ${rel(n.logFile!)}`,
    ),
    ...replicas.flatMap((r, i) => {
      const url = `http://127.0.0.1:${r.port}`;
      return [
        `  replica ${r.name}         wall ${url}/  health ${url}/api/health  ready ${url}/api/ready  pid ${engines[i]!.pid}  log ${rel(engines[i]!.spec.logFile)}`,
      ];
    }),
    o.simRate > 0
      ? `  simulator         ${o.simRate} events/s over MQTT to node n1 (mqtt://127.0.0.1:${nodes[0]!.mqttPort})`
      : `  simulator         off; publish with: mosquitto_pub -q 1 -p ${nodes[0]!.mqttPort} -t city/camera/cam-1 -m '{…}'`,
    '',
    '  Watch failover:',
    `    open ${first}/ (the wall fails over to the other replica by itself), then`,
    `    kill -9 ${engines[0]!.pid}    replica a dies: b goes on (and takes over forwarding alerts if a led)`,
    `    curl -i ${first}/api/ready    once a is back (${RESTART_AFTER_MS / 1000} s): 503 with its lag while it catches up, then 200`,
    `    kill -9 ${servers[1]!.pid}    NATS node n2 dies: the stream keeps its other two copies and goes on`,
    '  Ctrl-C stops everything.',
    '',
  ];
  return lines.join('\n');
}
