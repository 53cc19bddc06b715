// `ioc views push|rm|ls` and `ioc rules push|rm|ls`: an analyst's views and alert rules kept as files (under version
// control, reviewed like code) pushed to a running engine, which makes them live without a restart.
import { readFileSync } from 'node:fs';
import { errorMessage } from '../engine/errors.ts';
import { commandArgs, usageError } from './command-args.ts';
import { authHeaders, engineUrl } from './engine-http.ts';

type Kind = 'views' | 'rules';

const usageOf = (kind: Kind): string => {
  const one = kind === 'views' ? 'view' : 'rule';
  const ext = kind === 'views' ? 'sql' : 'rule';
  return `usage: ioc ${kind} push <file.${ext}>… | rm <name>… | ls   [--url URL] [--token T]

  push   creates each ${one} in the running engine, or redefines it when its name exists (the format of
         views/${kind === 'views' ? '**/*.sql' : 'alerts/*.rule'}: a "-- key: value" header${kind === 'views' ? ', then one SELECT' : ''});
         a problem is printed as file:line: reason, and the exit status is 1
  rm     removes ${one}s made this way${kind === 'views' ? ' (and their rows)' : ' (their open alerts are resolved)'}
  ls     lists every ${one}: where it comes from and, for a view, where it stands
  --url URL    the engine (default: $IOC_URL, else http://127.0.0.1:$PORT, PORT 8080)
  --token T    an analyst's or admin's token, when the engine asks for tokens (default: $IOC_TOKEN)
`;
};

interface ErrorBody {
  error?: { code?: string; message?: string; line?: number };
}

export async function definitionsCommand(
  kind: Kind,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const command = { name: kind, usage: usageOf(kind) };
  const parsed = commandArgs(command, args, { url: { type: 'string' }, token: { type: 'string' } });
  if (typeof parsed === 'number') return parsed;
  const [sub, ...items] = parsed.positionals;
  const base = `${engineUrl(parsed.values.url, env)}/api/${kind}`;
  const headers = authHeaders(parsed.values.token, env);
  const call = async (method: string, path: string, body?: string) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'text/plain; charset=utf-8' }) },
      ...(body === undefined ? {} : { body }),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON: the status says it */
    }
    return { status: res.status, json };
  };
  try {
    switch (sub) {
      case 'push':
        if (items.length === 0) return usageError(command, 'give the files to push');
        return await push(kind, items, call);
      case 'rm': {
        if (items.length === 0) return usageError(command, 'give the names to remove');
        let failed = 0;
        for (const name of items) {
          const r = await call('DELETE', `/${encodeURIComponent(name)}`);
          if (r.status === 200) process.stdout.write(`${name}: removed\n`);
          else {
            failed++;
            process.stderr.write(`${name}: ${messageOf(r)}\n`);
          }
        }
        return failed > 0 ? 1 : 0;
      }
      case 'ls': {
        const r = await call('GET', '');
        if (r.status !== 200) throw new Error(messageOf(r));
        const list = (r.json as Record<string, { name: string; origin: string; status: string; progress?: number }[]>)[
          kind
        ]!;
        for (const d of list)
          process.stdout.write(
            `${d.name}\t${d.origin}\t${d.status}${d.progress !== undefined && d.progress < 1 ? ` ${Math.round(d.progress * 100)} %` : ''}\n`,
          );
        return 0;
      }
      default:
        return usageError(
          command,
          sub === undefined ? 'say what to do: push, rm or ls' : `unknown subcommand "${sub}"`,
        );
    }
  } catch (err) {
    process.stderr.write(`ioc ${kind}: ${errorMessage(err)}\n`);
    return 1;
  }
}

type Call = (method: string, path: string, body?: string) => Promise<{ status: number; json: unknown }>;

/** Each file created, or redefined when a runtime one has its name; problems as file:line: reason. */
async function push(kind: Kind, files: string[], call: Call): Promise<number> {
  let failed = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      failed++;
      process.stderr.write(`${file}: cannot read it: ${errorMessage(err)}\n`);
      continue;
    }
    let r = await call('POST', '', text);
    const name = /^--\s*name\s*:\s*(\S+)\s*$/m.exec(text)?.[1];
    if (r.status === 409 && name && messageOf(r).includes(`PUT /api/${kind}/${name}`))
      r = await call('PUT', `/${encodeURIComponent(name)}`, text);
    if (r.status === 200 || r.status === 201) {
      const d = r.json as { name: string; status?: string };
      process.stdout.write(
        `${file}: ${d.name} ${r.status === 201 ? 'created' : 'redefined'}${d.status ? ` (${d.status})` : ''}\n`,
      );
      continue;
    }
    failed++;
    const line = (r.json as ErrorBody | null)?.error?.line;
    process.stderr.write(`${file}:${line ?? 1}: ${messageOf(r).replace(/^line \d+: /, '')}\n`);
  }
  return failed > 0 ? 1 : 0;
}

function messageOf(r: { status: number; json: unknown }): string {
  return (r.json as ErrorBody | null)?.error?.message ?? `HTTP ${r.status}`;
}
