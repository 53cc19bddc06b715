// The backups a running engine has made and keeps for download: one at a time, under DATA_DIR/backups/<id>, each
// removed once downloaded (DELETE) or after an hour, and all of them at start and stop.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Source, StreamPosition } from '../../sources/source.ts';
import { EngineError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { MANIFEST_FILE, SNAPSHOT_PREFIX, takeSnapshot, type BackupPosition, type Manifest } from './backup.ts';
import type { Store } from './open.ts';

/** Ids are 128 random bits: knowing one backup's id tells nothing of another's. */
export const BackupId = z.string().regex(/^[0-9a-f]{32}$/, 'must be a backup id (32 hexadecimal digits)');

export interface BackupsOptions {
  /** Where backups wait for download (DATA_DIR/backups): emptied at start, it belongs to this engine alone. */
  root: string;
  /** The engine's sources: the first with a stream position gives the one a backup covers. */
  sources: readonly Pick<Source, 'position'>[];
  /** A replica's place in the command stream, read with the stream position (null when alone). */
  commands?: () => StreamPosition | null;
  /** DATA_DIR/tokens.json, copied with the database (null: none). */
  tokensFile: string | null;
  /** A backup nobody removed goes after this long. */
  keepMs?: number;
  /** Backups waiting for download at once: each is a whole copy of the database. */
  maxKept?: number;
}

interface Kept {
  dir: string;
  manifest: Manifest;
  timer: NodeJS.Timeout;
}

export class Backups {
  private readonly kept = new Map<string, Kept>();
  private making = false;

  private constructor(
    private readonly store: Store,
    private readonly opts: Required<BackupsOptions>,
    private readonly log: Logger,
  ) {}

  /** Clears what an earlier run left (staged backups, half-made snapshots), then takes requests. */
  static async open(store: Store, options: BackupsOptions, log: Logger): Promise<Backups> {
    await rm(options.root, { recursive: true, force: true });
    // (An in-memory store's archive folder is shared by every such engine on the machine: left alone.)
    if (store.path !== ':memory:' && existsSync(store.archiveDir))
      for (const name of readdirSync(store.archiveDir))
        if (name.startsWith(SNAPSHOT_PREFIX)) await rm(join(store.archiveDir, name), { force: true });
    return new Backups(store, { keepMs: 3_600_000, maxKept: 2, commands: () => null, ...options }, log);
  }

  /** The stream position the next snapshot covers: read before it begins, everything up to it is committed. */
  position(): BackupPosition | null {
    for (const s of this.opts.sources) {
      const p: StreamPosition | null | undefined = s.position?.();
      if (p) return { name: p.stream, consumer: p.consumer, seq: p.ackFloor };
    }
    return null;
  }

  private commandsPosition(): BackupPosition | null {
    const p = this.opts.commands?.();
    return p ? { name: p.stream, consumer: p.consumer, seq: p.ackFloor } : null;
  }

  async create(): Promise<{ id: string; manifest: Manifest }> {
    if (this.making) throw new EngineError('busy', 'a backup is being made: try again once it is done');
    if (this.kept.size >= this.opts.maxKept)
      throw new EngineError(
        'busy',
        `${this.kept.size} backups wait for download: fetch and DELETE /api/backup/<id> first (they also go after ${Math.round(this.opts.keepMs / 60_000)} min)`,
      );
    this.making = true;
    const id = randomBytes(16).toString('hex');
    const dir = join(this.opts.root, id);
    try {
      const manifest = await takeSnapshot(this.store, dir, {
        position: this.position(),
        commands: this.commandsPosition(),
        tokensFile: this.opts.tokensFile,
      });
      const timer = setTimeout(() => void this.remove(id), this.opts.keepMs);
      timer.unref();
      this.kept.set(id, { dir, manifest, timer });
      this.log.info('backup made', {
        id,
        bytes: manifest.files.reduce((n, f) => n + f.bytes, 0),
        files: manifest.files.length,
        tookMs: manifest.tookMs,
        stream: manifest.stream,
      });
      return { id, manifest };
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    } finally {
      this.making = false;
    }
  }

  /** A file of a kept backup by its name in the manifest (or the manifest itself); null for anything else. */
  file(id: string, name: string): { path: string; bytes: number } | null {
    const kept = this.kept.get(id);
    if (!kept) return null;
    if (name !== MANIFEST_FILE && !kept.manifest.files.some((f) => f.name === name)) return null;
    const path = join(kept.dir, name);
    return existsSync(path) ? { path, bytes: statSync(path).size } : null;
  }

  async remove(id: string): Promise<boolean> {
    const kept = this.kept.get(id);
    if (!kept) return false;
    this.kept.delete(id);
    clearTimeout(kept.timer);
    await rm(kept.dir, { recursive: true, force: true });
    return true;
  }

  async close(): Promise<void> {
    for (const id of [...this.kept.keys()]) await this.remove(id);
  }
}
