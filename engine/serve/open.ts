// The admins' door to the open-data portal: publish an indicator view or a saved query as an open dataset, withdraw
// it, list them with their downloads. Checked here first (the admin hears the reason), then applied by every replica
// from the command stream.
import { Hono } from 'hono';
import { z } from 'zod';
import { GRANTS, identityOf, requireRole, type AccessEnv } from '../access/index.ts';
import type { CommandBus } from '../cluster/index.ts';
import { DatasetName, PublishBody, type OpenData } from '../open/index.ts';
import { jsonBody, validate } from './validate.ts';

const OpenPath = z.object({ name: DatasetName });

export function openRoutes(open: OpenData, commands: CommandBus): Hono<AccessEnv> {
  const api = new Hono<AccessEnv>();
  const admins = requireRole(...GRANTS.publish);

  api.get('/open', admins, async (c) => c.json({ datasets: await open.list(), minCount: open.minCount }));

  api.put(
    '/open/:name',
    admins,
    jsonBody(64 * 1024),
    validate('param', OpenPath),
    validate('json', PublishBody),
    async (c) => {
      const dataset = await open.resolve(c.req.valid('param').name, c.req.valid('json'));
      return c.json(await commands.submit({ type: 'open.put', dataset, by: identityOf(c).name, at: Date.now() }));
    },
  );

  api.delete('/open/:name', admins, validate('param', OpenPath), async (c) => {
    const { name } = c.req.valid('param');
    return c.json(await commands.submit({ type: 'open.delete', name, by: identityOf(c).name, at: Date.now() }));
  });

  return api;
}
