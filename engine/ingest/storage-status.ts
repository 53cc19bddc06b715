// Whether commits reach the disk: one error line when they start failing (naming why), one info line when they succeed
// again, and a status for health and metrics in between, however many commits fail meanwhile.
import type { Logger } from '../log.ts';

export interface StorageStatus {
  /** The last commit succeeded (true before the first). */
  ok: boolean;
  /** Epoch ms of the first failure of the current stretch; null while commits succeed. */
  failingSince: number | null;
  /** Why the last failed commit failed, e.g. `disk full: …` (kept after recovery, for the record); null if none ever did. */
  lastError: string | null;
  /** Commits failed since `failingSince` (0 while commits succeed). */
  failedCommits: number;
}

/** What an operator must do differs by cause: the known causes are named first. */
const CAUSES: readonly [RegExp, string][] = [
  [/no space left on device|ENOSPC|disk full|disk quota exceeded|EDQUOT/i, 'disk full'],
  [/read-only file system|EROFS/i, 'read-only file system'],
  [/permission denied|EACCES|EPERM/i, 'permission denied'],
  [/database has been invalidated/i, 'database invalidated (the engine must be restarted)'],
  [/input\/output error|EIO\b/i, 'I/O error'],
  [/out of memory/i, 'out of memory'],
];

/** `disk full: Could not write file "…/ioc.duckdb.wal": No space left on device`. */
export function storageProblem(err: unknown): { cause: string | null; message: string } {
  const text = err instanceof Error ? err.message : String(err);
  const first = text.split('\n')[0]!.slice(0, 500);
  const cause = CAUSES.find(([re]) => re.test(text))?.[1] ?? null;
  return { cause, message: cause ? `${cause}: ${first}` : first };
}

export class StorageHealth {
  private readonly state: StorageStatus = { ok: true, failingSince: null, lastError: null, failedCommits: 0 };
  private cause: string | null = null;

  constructor(private readonly log: Logger) {}

  get status(): Readonly<StorageStatus> {
    return this.state;
  }

  /** A commit failed; `messages` of it stay unacknowledged. */
  failed(err: unknown, messages: number, now = Date.now()): void {
    const { cause, message } = storageProblem(err);
    const s = this.state;
    const first = s.ok;
    const changed = !first && cause !== this.cause;
    s.ok = false;
    s.failingSince ??= now;
    s.lastError = message;
    s.failedCommits++;
    this.cause = cause;
    if (first || changed)
      this.log.error(
        `storage failing${cause ? ` (${cause})` : ''}: commits fail, nothing is acknowledged until they succeed again`,
        { err, reason: message, messages },
      );
    else this.log.debug('commit failed again', { reason: message, failedCommits: s.failedCommits });
  }

  /** A commit succeeded. */
  succeeded(now = Date.now()): void {
    const s = this.state;
    if (s.ok) return;
    this.log.info('storage is back: commits succeed again and acknowledgements resume', {
      failedCommits: s.failedCommits,
      failingForMs: now - (s.failingSince ?? now),
      lastError: s.lastError,
    });
    s.ok = true;
    s.failingSince = null;
    s.failedCommits = 0;
    this.cause = null;
  }
}
