// POST /api/backup makes a consistent backup of the running engine; GET /api/backup/:id/<file> downloads its files, by
// their names in its manifest only; DELETE /api/backup/:id removes it. Admins only: a backup is the whole database.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { requireRole, type AccessEnv } from '../access/index.ts';
import { EngineError } from '../errors.ts';
import { BackupFileName, MANIFEST_FILE } from '../store/backup.ts';
import { BackupId, type Backups } from '../store/backups.ts';
import { parseWith } from './validate.ts';

export type BackupDoor = Pick<Backups, 'create' | 'file' | 'remove'>;

export function backupRoutes(backups: BackupDoor): Hono<AccessEnv> {
  const api = new Hono<AccessEnv>();
  const admins = requireRole('admin');

  api.post('/', admins, async (c) => {
    const { id, manifest } = await backups.create();
    return c.json(
      {
        id,
        manifest,
        files: [...manifest.files.map((f) => f.name), MANIFEST_FILE].map((name) => ({
          name,
          url: `/api/backup/${id}/${name}`,
        })),
      },
      201,
    );
  });

  api.get('/:id/:file{.+}', admins, (c) => {
    const id = parseWith(BackupId, c.req.param('id'), 'path "id"');
    const name = c.req.param('file');
    if (name !== MANIFEST_FILE) parseWith(BackupFileName, name, 'path "file"');
    const file = backups.file(id, name);
    if (!file) throw new EngineError('not_found', `no file ${name} in a backup ${id} of this engine`);
    const body = Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array>;
    return c.body(body, 200, {
      'content-type': name.endsWith('.json') ? 'application/json' : 'application/octet-stream',
      'content-length': String(file.bytes),
      'cache-control': 'no-store',
    });
  });

  api.delete('/:id', admins, async (c) => {
    const id = parseWith(BackupId, c.req.param('id'), 'path "id"');
    if (!(await backups.remove(id))) throw new EngineError('not_found', `no backup ${id} waits on this engine`);
    return c.json({ id, removed: true });
  });

  return api;
}
