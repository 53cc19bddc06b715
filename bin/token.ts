// `ioc token create --role R --name N | list | revoke N`: works with the engine running or not (tokens live in a file).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROLES, TokenStore, type Role } from '../engine/access/index.ts';
import { loadConfig } from '../engine/config.ts';

const USAGE = `usage: ioc token create --role <${ROLES.join('|')}> --name <name>
       ioc token list
       ioc token revoke <name>
`;

export async function tokenCommand(args: string[]): Promise<number> {
  const store = TokenStore.inDataDir(resolve(loadConfig().dataDir));
  const [verb, ...rest] = args;
  switch (verb) {
    case 'create': {
      const { values } = parseArgs({ args: rest, options: { role: { type: 'string' }, name: { type: 'string' } } });
      if (!values.role || !(ROLES as readonly string[]).includes(values.role)) {
        process.stderr.write(`ioc token create: --role must be one of ${ROLES.join(', ')}\n`);
        return 2;
      }
      if (!values.name) {
        process.stderr.write('ioc token create: --name is required\n');
        return 2;
      }
      const token = store.create(values.name, values.role as Role);
      process.stderr.write(`token for ${values.name} (${values.role}); shown once, keep it safe:\n`);
      process.stdout.write(`${token}\n`);
      return 0;
    }
    case 'list': {
      const rows = store.list();
      if (rows.length === 0) {
        process.stdout.write(`no tokens in ${store.file}\n`);
        return 0;
      }
      for (const t of rows)
        process.stdout.write(
          `${t.name.padEnd(24)} ${t.role.padEnd(9)} created ${t.createdAt}${t.revokedAt ? `  revoked ${t.revokedAt}` : ''}\n`,
        );
      return 0;
    }
    case 'revoke': {
      if (!rest[0]) {
        process.stderr.write(USAGE);
        return 2;
      }
      store.revoke(rest[0]);
      process.stdout.write(`revoked ${rest[0]}\n`);
      return 0;
    }
    default:
      process.stderr.write(USAGE);
      return 2;
  }
}
