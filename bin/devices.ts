// `ioc devices import <file.csv>`: registers devices in a running engine from a CSV file, and lists the refused
// records with their line and reason.
import { readFileSync } from 'node:fs';
import { errorMessage } from '../engine/errors.ts';
import { CSV_COLUMNS, MAX_IMPORT_ROWS } from '../engine/registry/index.ts';
import { commandArgs, usageError } from './command-args.ts';
import { authHeaders, engineUrl, refusal } from './engine-http.ts';

export const DEVICES_USAGE = `usage: ioc devices import <file.csv> [--dry-run] [--url URL] [--token T]

  Registers the devices of a CSV file (UTF-8, a header line, then one device per record) in a running engine:
  who owns each camera, sensor or public-service source, what it is, and the ward or commune it serves.
  Columns (any order): ${Object.keys(CSV_COLUMNS).join(', ')}
    id            the device's id, as its events and topic name it (required)
    family        camera, sensor or service (required)
    agency        the owner agency's code, e.g. so-nong-nghiep-moi-truong (required; for service, the id itself)
    agency_name   the agency's name, e.g. Sở Nông nghiệp và Môi trường
    model         the device model
    installed_on  YYYY-MM-DD
    maintenance   in_service (default), maintenance, faulty or retired
    area          the code of the ward or commune it serves (GET /api/areas?level=ward)
  A device already registered is replaced. Records that break a rule are refused with their line and reason, the
  others are registered; the exit status is 1 when any was refused. At most ${MAX_IMPORT_ROWS} devices and 1 MiB per file.
  --dry-run    check the file only: what would be registered and what refused
  --url URL    the engine (default: $IOC_URL, else http://127.0.0.1:$PORT, PORT 8080)
  --token T    an admin token, when the engine asks for tokens (default: $IOC_TOKEN)
`;

const COMMAND = { name: 'devices', usage: DEVICES_USAGE };

interface ImportAnswer {
  dryRun: boolean;
  accepted: number;
  registered: number;
  refused: { line: number; id: string | null; reason: string }[];
}

export async function devicesCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = commandArgs(COMMAND, args, {
    url: { type: 'string' },
    token: { type: 'string' },
    'dry-run': { type: 'boolean' },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [sub, file, ...extra] = positionals;
  if (sub !== 'import') return usage(sub === undefined ? 'say what to do: import' : `unknown subcommand "${sub}"`);
  if (file === undefined || extra.length > 0) return usage('give exactly one CSV file');
  let body: Buffer;
  try {
    body = readFileSync(file);
  } catch (err) {
    process.stderr.write(`ioc devices: cannot read ${file}: ${errorMessage(err)}\n`);
    return 1;
  }
  const base = engineUrl(values.url, env);
  const path = `/api/devices/import${values['dry-run'] ? '?dryRun=true' : ''}`;
  try {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { ...authHeaders(values.token, env), 'content-type': 'text/csv; charset=utf-8' },
      body: new Uint8Array(body),
    });
    if (!res.ok) throw new Error(await refusal(res, `POST ${path}`));
    const answer = (await res.json()) as ImportAnswer;
    for (const r of answer.refused)
      process.stderr.write(`${file}:${r.line}: refused${r.id ? ` ${JSON.stringify(r.id)}` : ''}: ${r.reason}\n`);
    process.stdout.write(
      answer.dryRun
        ? `${file}: ${answer.accepted} devices would be registered, ${answer.refused.length} refused (dry run: nothing changed)\n`
        : `${file}: ${answer.registered} devices registered or updated, ${answer.refused.length} refused\n`,
    );
    return answer.refused.length > 0 ? 1 : 0;
  } catch (err) {
    process.stderr.write(`ioc devices: ${errorMessage(err)}\n`);
    return 1;
  }
}

const usage = (problem: string): number => usageError(COMMAND, problem);
