// The device registry's doors: one device read, registered, changed or removed by id, and a CSV import of many.
// Changes go through the command stream, so every replica holds the same registry.
import { Hono } from 'hono';
import { z } from 'zod';
import { GRANTS, identityOf, requireRole, type AccessEnv } from '../access/index.ts';
import type { CommandBus } from '../cluster/index.ts';
import { EngineError } from '../errors.ts';
import type { AreaIndex } from '../geo/index.ts';
import {
  DeviceEntry,
  DeviceId,
  entryProblem,
  parseRegistryCsv,
  submitDevices,
  type Registry,
} from '../registry/index.ts';
import { readBody } from './body-limit.ts';
import { jsonBody, validate } from './validate.ts';

const DevicePath = z.object({ id: DeviceId });
const ImportQuery = z.object({
  dryRun: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
});
/** The import is capped by the API's body limit in front (1 MiB): about 10 000 devices. */
const IMPORT_MAX_BYTES = 1024 * 1024;

export function registryRoutes(registry: Registry, areas: AreaIndex, commands: CommandBus): Hono<AccessEnv> {
  const api = new Hono<AccessEnv>();
  const readers = requireRole(...GRANTS.read);
  const registrars = requireRole(...GRANTS.register);
  const isUnit = (code: string) => areas.get(code)?.level === 'ward';

  api.get('/devices/:id', readers, validate('param', DevicePath), async (c) =>
    c.json(await registry.describe(c.req.valid('param').id)),
  );

  api.put(
    '/devices/:id',
    registrars,
    jsonBody(16 * 1024),
    validate('param', DevicePath),
    validate('json', DeviceEntry),
    async (c) => {
      const { id } = c.req.valid('param');
      const entry = c.req.valid('json');
      const problem = entryProblem(id, entry, isUnit);
      if (problem) throw new EngineError('bad_request', problem);
      await submitDevices(commands, [{ id, ...entry }], { by: identityOf(c).name, keep: false });
      return c.json(await registry.describe(id));
    },
  );

  api.delete('/devices/:id', registrars, validate('param', DevicePath), async (c) => {
    const { id } = c.req.valid('param');
    // Refused here, before the other replicas hear of it, when this one has no such entry.
    if (!(await registry.describe(id).catch(() => null))?.registered)
      throw new EngineError('not_found', `device "${id}" is not registered`);
    return c.json(await commands.submit({ type: 'device.delete', id, at: Date.now() }));
  });

  /** text/csv: the good records are registered, each refused one comes back with its line and reason. */
  api.post('/devices/import', registrars, validate('query', ImportQuery), async (c) => {
    const bytes = await readBody(c, IMPORT_MAX_BYTES);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new EngineError('bad_request', 'the CSV is not UTF-8 text: save it as CSV UTF-8');
    }
    const { rows, refused } = parseRegistryCsv(text, isUnit);
    const dryRun = c.req.valid('query').dryRun === 'true';
    const changed = dryRun ? 0 : await submitDevices(commands, rows, { by: identityOf(c).name, keep: false });
    return c.json({ dryRun, accepted: rows.length, registered: changed, refused });
  });

  return api;
}
