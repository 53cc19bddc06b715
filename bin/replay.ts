// `ioc replay FILE… [--to URL] [--speed N] [--rate N] [--family F]`: the command line of sources/replay.
import { commandArgs } from './command-args.ts';
import { replay, type ReplayFamily } from '../sources/replay/index.ts';
import { FAMILIES, FAMILY_LIST, isFamily } from '../engine/schema/index.ts';

export const REPLAY_USAGE = `usage: ioc replay FILE… [--to URL] [--speed N] [--rate N] [--family ${FAMILIES.join('|')}] [--token T]

  FILE         NDJSON (.ndjson, .jsonl, .json: one event or array per line) or CSV (.csv: a header of wire
               field names, dots for nested ones such as counts.car; see sources/replay/README.md)
  --to URL     mqtt://host:1883 (QoS 1 on city/<family>/<id>), nats://host:4222 (JetStream when a stream
               holds city.>, else core) or http://host:8080 (POST /api/ingest, with per-event answers);
               default http://127.0.0.1:$PORT (8080)
  --speed N    keep the events' time spacing divided by N (1: real time, 60: an hour a minute); default: no pacing
  --rate N     at most N events per second
  --family F   the family of every event (otherwise a family field, or cameraId / sensorId / dossierId)
  --token T    with --to http://… and AUTH on: a token of role device or admin (default: $IOC_TOKEN)
`;

const REPLAY = { name: 'replay', usage: REPLAY_USAGE };

export async function replayCommand(args: string[]): Promise<number> {
  const parsed = commandArgs(REPLAY, args, {
    to: { type: 'string' },
    speed: { type: 'string' },
    rate: { type: 'string' },
    family: { type: 'string' },
    token: { type: 'string' },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const problems: string[] = [];
  const number = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) problems.push(`--${name} ${v}: expected a number ≥ 0`);
    return n;
  };
  const speed = number('speed', values.speed);
  const rate = number('rate', values.rate);
  if (positionals.length === 0) problems.push('no FILE given');
  if (values.family !== undefined && !isFamily(values.family))
    problems.push(`--family ${values.family}: expected ${FAMILY_LIST}`);
  const to = values.to ?? `http://127.0.0.1:${process.env.PORT || '8080'}`;
  try {
    new URL(to);
  } catch {
    problems.push(`--to ${to}: not a URL`);
  }
  if (problems.length) {
    process.stderr.write(`ioc replay: ${problems.join('; ')}\n\n${REPLAY_USAGE}`);
    return 2;
  }
  const token = values.token ?? process.env.IOC_TOKEN;
  const summary = await replay({
    files: positionals,
    to,
    speed,
    rate,
    family: values.family as ReplayFamily | undefined,
    token,
  });
  for (const s of summary.skipped.slice(0, 10)) process.stderr.write(`  skipped ${s.file}:${s.line}: ${s.reason}\n`);
  if (summary.stored !== undefined) {
    process.stderr.write(
      `engine: ${summary.stored} stored, ${summary.duplicates} already stored, ${summary.rejected!.length} rejected\n`,
    );
    for (const r of summary.rejected!.slice(0, 10))
      process.stderr.write(`  rejected ${r.family} ${r.id ?? '(no id)'}: ${r.reason}\n`);
  }
  return 0;
}
