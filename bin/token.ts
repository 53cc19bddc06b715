// `ioc token create --role R --name N | list | revoke N`: works with the engine running or not. Alone, tokens live in
// a file of DATA_DIR; on a cluster (REPLICA set) a change is a command on the cluster's command stream, which every
// replica applies (also one that is down, when it comes back).
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { newToken, ROLES, TokenStore, type Role } from '../engine/access/index.ts';
import { appendCommand, ensureCommandStream, type Command } from '../engine/cluster/index.ts';
import { loadConfig, type Config } from '../engine/config.ts';
import { NatsSourceConfig } from '../sources/nats/config.ts';
import { openConnection } from '../sources/nats/connect.ts';

/** Sends a token change to every replica through the command stream. */
async function toCluster(config: Config, cmd: Command): Promise<void> {
  const { nc } = await openConnection(NatsSourceConfig.parse({ url: config.natsUrl!, name: 'ioc-token' }));
  try {
    await ensureCommandStream(await jetstreamManager(nc), config.natsReplicas);
    await appendCommand(jetstream(nc), 'cli', randomUUID(), cmd);
  } finally {
    await nc.drain().catch(() => nc.close());
  }
}

const USAGE = `usage: ioc token create --role <${ROLES.join('|')}> --name <name>
       ioc token list
       ioc token revoke <name>
`;

export async function tokenCommand(args: string[]): Promise<number> {
  const config = loadConfig();
  const store = TokenStore.inDataDir(resolve(config.dataDir));
  const cluster = config.replica !== undefined && config.natsUrl !== undefined;
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
      let token: string;
      if (cluster) {
        if (!/^[\w.@-]{1,64}$/.test(values.name)) {
          process.stderr.write('ioc token create: --name must be 1–64 letters, digits, _ . @ -\n');
          return 2;
        }
        const made = newToken();
        token = made.token;
        const cmd: Command = {
          type: 'token.create',
          name: values.name,
          role: values.role as Role,
          hash: made.hash,
          at: Date.now(),
        };
        await toCluster(config, cmd);
        process.stderr.write(`sent to the cluster's replicas (each applies it from the command stream)\n`);
      } else {
        token = store.create(values.name, values.role as Role);
      }
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
      if (cluster) await toCluster(config, { type: 'token.revoke', name: rest[0], at: Date.now() });
      else store.revoke(rest[0]);
      process.stdout.write(`revoked ${rest[0]}${cluster ? ' on every replica (through the command stream)' : ''}\n`);
      return 0;
    }
    default:
      process.stderr.write(USAGE);
      return 2;
  }
}
