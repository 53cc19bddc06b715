// One PostgreSQL connection on pg-gateway: its message framing held to a size limit, the login checked against the
// engine's tokens, and what the client expects at login (parameters, a cancel key) sent before ReadyForQuery.
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { PostgresConnection, type BackendError, type PostgresConnectionOptions } from 'pg-gateway';

/** Request codes that stand where a startup message's protocol version would be. */
const CANCEL_REQUEST = 80877102;
const GSSENC_REQUEST = 80877104;

export interface DoorHooks {
  maxMessageBytes: number;
  /** The login: null when the password (token) is good, else the reason it is refused and its SQLSTATE. */
  login(password: string): { code: string; message: string } | null;
  /** After a successful login: sends what goes before the first ReadyForQuery (parameters, the cancel key). */
  welcome(conn: DoorConnection): void;
  cancel(pid: number, secret: number): void;
  /** The socket's own errors (a reset, a failed TLS handshake): the connection is gone, the engine carries on. */
  lost(err: Error): void;
}

export class DoorConnection extends PostgresConnection {
  private pending: Buffer = Buffer.alloc(0);
  private chain: Promise<void> = Promise.resolve();
  private refusal: { code: string; message: string } | null = null;

  constructor(
    socket: Socket,
    options: PostgresConnectionOptions,
    private readonly hooks: DoorHooks,
  ) {
    super(socket, {
      ...options,
      validateCredentials: (credentials) => {
        if (credentials.authMode !== 'cleartextPassword') return false;
        this.refusal = hooks.login(credentials.password);
        return this.refusal === null;
      },
    });
  }

  /**
   * pg-gateway 0.2.4 cuts the second message of a read at the wrong end (subarray(offset, length)) and would buffer a
   * message of any length: messages are split here, each checked against the limit and handed over whole and alone.
   */
  override handleData(data: Buffer): Promise<void> {
    this.pending = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
    this.chain = this.chain
      .then(() => this.drain())
      .catch((err: unknown) => {
        this.hooks.lost(err instanceof Error ? err : new Error(String(err)));
        this.socket.destroy();
      });
    return this.chain;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const header = this.hasStarted ? 5 : 4;
      if (this.pending.length < header) return;
      const length = this.pending.readUInt32BE(header - 4);
      const total = length + header - 4;
      if (length < 4 || total > this.hooks.maxMessageBytes) {
        this.pending = Buffer.alloc(0);
        this.fatal({
          severity: 'FATAL',
          code: '54000',
          message: `a message of ${total} bytes is over this server's limit of ${this.hooks.maxMessageBytes} bytes (PG_MAX_MESSAGE_BYTES)`,
        });
        return;
      }
      if (this.pending.length < total) return;
      const message = this.pending.subarray(0, total);
      this.pending = this.pending.subarray(total);
      if (!this.hasStarted && this.special(message)) continue;
      await super.handleData(message);
      if (this.socket.destroyed) return;
    }
  }

  /** Requests before a startup message that pg-gateway 0.2.4 would read as one: cancel, and GSSAPI encryption. */
  private special(message: Buffer): boolean {
    if (message.length < 8) return false;
    const code = message.readUInt32BE(4);
    if (code === CANCEL_REQUEST && message.length >= 16) {
      this.hooks.cancel(message.readUInt32BE(8), message.readUInt32BE(12));
      this.socket.end();
      this.pending = Buffer.alloc(0);
      return true;
    }
    if (code === GSSENC_REQUEST) {
      this.socket.write('N');
      return true;
    }
    return false;
  }

  /** pg-gateway sets the TLS socket here: it gets an error listener before its handshake can fail. */
  // @ts-expect-error pg-gateway declares a plain field; an accessor on the prototype sees its assignment.
  override set secureSocket(socket: TLSSocket | undefined) {
    this.tls = socket;
    socket?.on('error', (err) => this.hooks.lost(err));
  }
  override get secureSocket(): TLSSocket | undefined {
    return this.tls;
  }
  private tls: TLSSocket | undefined;

  override sendAuthenticationFailedError(): void {
    const r = this.refusal ?? { code: '28P01', message: 'password authentication failed' };
    this.sendError({ severity: 'FATAL', code: r.code, message: r.message });
  }

  /** As pg-gateway's, with the parameters and the cancel key a client reads before it may query. */
  override async completeAuthentication(): Promise<void> {
    this.isAuthenticated = true;
    this.sendAuthenticationOk();
    this.hooks.welcome(this);
    this.sendReadyForQuery('idle');
  }

  fatal(error: BackendError): void {
    if (this.socket.destroyed) return;
    this.sendError(error);
    this.socket.end();
  }
}
