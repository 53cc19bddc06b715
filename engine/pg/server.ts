// The PostgreSQL door: a TCP listener on PG_PORT whose connections log in with a token and query the analysts' sandbox.
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net, { type Socket } from 'node:net';
import type { TlsOptions } from 'pg-gateway';
import {
  checkToken,
  GRANTS,
  ANONYMOUS,
  isLoopback,
  type Identity,
  type SqlSlots,
  type TokenStore,
} from '../access/index.ts';
import { ConfigError, EngineError, errorMessage } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Sandbox } from '../query/index.ts';
import { Backend } from './backend.ts';
import { REPORTED, REPORTED_NAME, serverSettings } from './chatter.ts';
import { DoorConnection } from './connection.ts';
import { readFrontend } from './frontend.ts';
import { Session } from './session.ts';
import { PgError } from './sqlstate.ts';

export interface PgDoorOptions {
  host: string;
  port: number;
  maxRows: number;
  maxConnections: number;
  maxMessageBytes: number;
  authTimeoutMs: number;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  sandbox: Sandbox;
  /** Whether a token is required (AUTH); off, anyone on loopback queries as anonymous. */
  auth: boolean;
  tokens: TokenStore;
  /** Queries running per token, counted with those of POST /api/sql (absent: no limit per token). */
  slots?: SqlSlots;
}

export interface PgDoor {
  port: number;
  readonly connections: number;
  close(): Promise<void>;
}

const WHAT = 'the PostgreSQL door';

function readTls(cert: string | undefined, key: string | undefined): TlsOptions | undefined {
  if (!cert && !key) return undefined;
  if (!cert || !key) throw new ConfigError(['PG_TLS_CERT and PG_TLS_KEY go together: set both, or neither']);
  try {
    return { cert: readFileSync(cert), key: readFileSync(key) };
  } catch (err) {
    throw new ConfigError([`PG_TLS_CERT/PG_TLS_KEY: cannot read ${cert} or ${key} (${errorMessage(err)})`]);
  }
}

/** Writes messages, waiting while the client's socket buffer is full; a client gone meanwhile ends the wait. */
async function write(socket: Socket, messages: Buffer[]): Promise<void> {
  if (socket.destroyed || !socket.writable) throw new PgError('08006', 'the client has closed the connection');
  if (socket.write(messages.length === 1 ? messages[0]! : Buffer.concat(messages))) return;
  await new Promise<void>((resolve, reject) => {
    const done = (): void => {
      socket.off('drain', done);
      socket.off('close', gone);
      resolve();
    };
    const gone = (): void => {
      socket.off('drain', done);
      reject(new PgError('08006', 'the client has closed the connection'));
    };
    socket.once('drain', done);
    socket.once('close', gone);
  });
}

export async function startPgDoor(opts: PgDoorOptions, log: Logger): Promise<PgDoor> {
  const tls = readTls(opts.tlsCert, opts.tlsKey);
  // PostgreSQL's password exchange sends the token as it is: off loopback, only TLS keeps it from the network.
  if (!tls && !isLoopback(opts.host))
    log.warn(
      'the PostgreSQL door listens off loopback without TLS: tokens cross the network in clear; set PG_TLS_CERT and PG_TLS_KEY',
      {
        host: opts.host,
        port: opts.port,
      },
    );
  const open = new Map<number, { secret: number; conn: DoorConnection; session: Session | null }>();
  let nextPid = 1;

  const login = (password: string): { identity: Identity } | { code: string; message: string } => {
    try {
      return {
        identity: checkToken(opts.tokens, password === '' ? null : password, GRANTS.analyse, WHAT),
      };
    } catch (err) {
      if (err instanceof EngineError && err.code === 'forbidden') return { code: '28000', message: err.message };
      const message =
        err instanceof EngineError && err.code === 'unauthorized'
          ? password === ''
            ? 'no password given: the password is an analyst token (npx ioc token create --role analyst --name <you>)'
            : 'the password is not a recognised token, or the token has been revoked'
          : `the token file cannot be read (${errorMessage(err)})`;
      return { code: '28P01', message };
    }
  };

  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('error', (err) => log.debug('postgres client socket error', { err: errorMessage(err) }));
    const pid = nextPid++;
    const secret = randomInt(1, 2 ** 31 - 1);
    let identity: Identity = ANONYMOUS;
    let token = '';
    // Set before the connection exists; it fires only once the connection below is made.
    const authTimer = setTimeout(() => {
      if (conn.isAuthenticated) return;
      conn.fatal({
        severity: 'FATAL',
        code: '08006',
        message: `no login within ${opts.authTimeoutMs} ms (PG_AUTH_TIMEOUT_MS); connection closed`,
      });
      socket.destroy();
    }, opts.authTimeoutMs);
    authTimer.unref();
    const conn: DoorConnection = new DoorConnection(
      socket,
      {
        authMode: opts.auth ? 'cleartextPassword' : 'none',
        ...(tls ? { tls } : {}),
        onMessage: async (_data, state) => {
          const entry = open.get(pid);
          if (!state.isAuthenticated || !entry?.session) return false;
          await entry.session.handle(readFrontend(conn.reader));
          return true;
        },
      },
      {
        maxMessageBytes: opts.maxMessageBytes,
        login: (password) => {
          const out = login(password);
          if ('code' in out) {
            log.info('postgres login refused', { user: conn.clientInfo?.parameters.user, reason: out.message });
            return out;
          }
          identity = out.identity;
          token = password;
          return null;
        },
        welcome: (c) => {
          clearTimeout(authTimer);
          const user = c.clientInfo?.parameters.user ?? identity.name;
          const settings = serverSettings(user);
          for (const name of REPORTED) c.sendParameterStatus(REPORTED_NAME[name] ?? name, settings.get(name) ?? '');
          const backend = new Backend(c.writer);
          c.socket.write(backend.backendKey(pid, secret));
          const session = new Session(
            {
              sandbox: opts.sandbox,
              take: () => opts.slots?.take(identity) ?? (() => undefined),
              who: identity.name,
              role: identity.role,
              user,
              maxRows: opts.maxRows,
            },
            {
              backend,
              write: (messages) => write(c.socket, messages),
              error: (e) => c.sendError(e),
              ready: (status) => c.sendReadyForQuery(status),
              stillValid: () => {
                if (!opts.auth) return null;
                try {
                  return opts.tokens.verify(token)
                    ? null
                    : 'the token has been revoked; connect again with a valid one';
                } catch (err) {
                  return `the token file cannot be read (${errorMessage(err)})`;
                }
              },
              end: (fatal) => (fatal ? c.fatal(fatal) : c.socket.end()),
            },
          );
          const entry = open.get(pid);
          if (entry) entry.session = session;
        },
        cancel: (target, key) => {
          const entry = open.get(target);
          if (entry && entry.secret === key) entry.session?.cancel();
        },
        lost: (err) => log.debug('postgres connection lost', { err: errorMessage(err) }),
      },
    );
    if (open.size >= opts.maxConnections) {
      conn.fatal({
        severity: 'FATAL',
        code: '53300',
        message: `too many PostgreSQL connections: ${open.size} are open (PG_MAX_CONNECTIONS=${opts.maxConnections})`,
      });
      // Nothing more of it is read: it must not log in on its way out.
      clearTimeout(authTimer);
      conn.detach();
      return;
    }
    open.set(pid, { secret, conn, session: null });
    socket.once('close', () => {
      clearTimeout(authTimer);
      const entry = open.get(pid);
      open.delete(pid);
      void entry?.session?.close().catch((err: unknown) => log.warn('postgres session close failed', { err }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new EngineError(
              'unavailable',
              `port ${opts.port} on ${opts.host} is in use: set PG_PORT to a free port, or 0 to turn the PostgreSQL door off`,
              { cause: err },
            )
          : err,
      ),
    );
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  log.info('postgres door listening', { host: opts.host, port, tls: Boolean(tls), auth: opts.auth });
  return {
    port,
    get connections() {
      return open.size;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(
        [...open.values()].map(async (entry) => {
          await entry.session?.close().catch(() => undefined);
          entry.conn.socket.destroy();
        }),
      );
      await closed;
    },
  };
}
