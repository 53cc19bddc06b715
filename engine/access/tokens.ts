// Bearer tokens, stored hashed in DATA_DIR/tokens.json: a plain file, so `ioc token …` works whether or not the
// engine (which holds the DuckDB file's only write lock) is running; the engine notices changes within a second, and
// those watching (live sockets, MQTT clients) hear of a revocation within a quarter of one.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { EngineError } from '../errors.ts';
import { ROLES, type Role } from './roles.ts';

const TokenRecord = z.object({
  name: z.string().regex(/^[\w.@-]{1,64}$/),
  role: z.enum(ROLES),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
  revokedAt: z.string().nullable().default(null),
});
const TokenFile = z.object({ tokens: z.array(TokenRecord) });
export type TokenRecord = z.infer<typeof TokenRecord>;
export interface Identity {
  name: string;
  role: Role;
}

/** Tokens are 256 random bits: a fast hash is enough, nothing to guess from it. */
const hashOf = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A new token in clear, and the hash that is all anyone keeps of it. */
export function newToken(): { token: string; hash: string } {
  const token = `ioc_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashOf(token) };
}

/** How often a watched file is looked at: a revocation by another process (`ioc token revoke`) reaches live connections within this. */
const WATCH_MS = 250;

export class TokenStore {
  private cache: { signature: string; byHash: Map<string, TokenRecord> } | null = null;
  private checkedAt = 0;
  private readonly watchers = new Set<() => void>();
  private poll: NodeJS.Timeout | null = null;
  private seen = '';

  constructor(readonly file: string) {}

  static inDataDir(dataDir: string): TokenStore {
    return new TokenStore(join(dataDir, 'tokens.json'));
  }

  list(): TokenRecord[] {
    if (!existsSync(this.file)) return [];
    const parsed = TokenFile.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
    if (!parsed.success)
      throw new EngineError('config', `${this.file} is damaged: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data.tokens;
  }

  /** Creates a token and returns it: the only time it exists in clear. */
  create(name: string, role: Role, now = new Date()): string {
    const { token, hash } = newToken();
    this.add({ name, role, hash, createdAt: now.toISOString() });
    return token;
  }

  /** Keeps a token made elsewhere (by `ioc token create` on a cluster: its hash reaches every replica as a command). */
  add(t: { name: string; role: Role; hash: string; createdAt: string }): void {
    if (!/^[\w.@-]{1,64}$/.test(t.name))
      throw new EngineError('bad_request', 'token name: 1–64 letters, digits, _ . @ -');
    const tokens = this.list();
    if (tokens.some((x) => x.name === t.name && !x.revokedAt))
      throw new EngineError('bad_request', `a token named "${t.name}" exists: revoke it first`);
    this.write([...tokens.filter((x) => x.name !== t.name), { ...t, revokedAt: null }]);
  }

  revoke(name: string, now = new Date()): void {
    const tokens = this.list();
    const t = tokens.find((x) => x.name === name && !x.revokedAt);
    if (!t) throw new EngineError('not_found', `no active token named "${name}"`);
    t.revokedAt = now.toISOString();
    this.write(tokens);
  }

  /**
   * The identity a presented token stands for, or null. Known tokens are checked against the file at most once a
   * second (a watcher hears revocations sooner); an unknown one looks at once, so a token just created works at once.
   */
  verify(token: string): Identity | null {
    const now = Date.now();
    const hash = hashOf(token);
    if (!this.cache || now - this.checkedAt > 1000 || !this.cache.byHash.has(hash)) this.refresh(now);
    const record = this.cache!.byHash.get(hash);
    if (!record || record.revokedAt) return null;
    return timingSafeEqual(Buffer.from(record.hash), Buffer.from(hash))
      ? { name: record.name, role: record.role }
      : null;
  }

  /**
   * Calls `onChange` whenever the token file changes, whoever changed it, so holders of long-lived connections can
   * check their tokens again. Polled rather than fs.watch: the file is replaced by a rename, which an inode watch loses.
   * Returns the way to stop; the timer runs only while someone listens and never holds the process open.
   */
  watch(onChange: () => void): () => void {
    this.watchers.add(onChange);
    if (!this.poll) {
      this.seen = this.signature();
      this.poll = setInterval(() => this.changed(), WATCH_MS);
      this.poll.unref();
    }
    return () => {
      this.watchers.delete(onChange);
      if (this.watchers.size === 0 && this.poll) {
        clearInterval(this.poll);
        this.poll = null;
      }
    };
  }

  get active(): number {
    return this.list().filter((t) => !t.revokedAt).length;
  }

  private write(tokens: TokenRecord[]): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ tokens }, null, 2), { mode: 0o600 });
    renameSync(tmp, this.file);
    this.cache = null;
    // A revocation in this process is heard at once, not at the next poll.
    if (this.poll) this.changed();
  }

  private refresh(now: number): void {
    this.checkedAt = now;
    const signature = this.signature();
    if (!this.cache || this.cache.signature !== signature)
      this.cache = { signature, byHash: new Map(this.list().map((t) => [t.hash, t])) };
  }

  /** Identifies one version of the file: a rename gives a new inode even within the same millisecond. */
  private signature(): string {
    const s = statSync(this.file, { throwIfNoEntry: false });
    return s ? `${s.ino}:${s.size}:${s.mtimeMs}` : 'none';
  }

  private changed(): void {
    const signature = this.signature();
    if (signature === this.seen) return;
    this.seen = signature;
    this.cache = null;
    for (const listener of [...this.watchers]) {
      // Runs on a timer: a listener that throws must not take the process down, nor deprive the others.
      try {
        listener();
      } catch {
        /* the listener's own failure; the next change calls it again */
      }
    }
  }
}
