// Views made on a running engine: created, previewed, redefined and removed by analysts in the format of
// views/**/*.sql. Checked here first (so the author gets the line and the problem), then applied by every replica
// from the command stream.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { GRANTS, identityOf, requireRole, type AccessEnv } from '../access/index.ts';
import type { CommandBus } from '../cluster/index.ts';
import type { Sandbox } from '../query/index.ts';
import type { LiveViews } from '../views/live-views.ts';
import { dayCostSql, previewSql } from '../views/preview.ts';
import type { ViewDef } from '../views/index.ts';
import { EngineError } from '../errors.ts';
import { definitionText, mayChange } from './definitions.ts';
import type { ViewPreview } from '../../dashboards/shared/wire/index.ts';
import { validate } from './validate.ts';

const ViewPath = z.object({ name: z.string().regex(/^[a-z][a-z0-9_]{1,62}$/, 'must be a view name (snake_case)') });

export function viewRoutes(views: LiveViews, sandbox: Sandbox, commands: CommandBus): Hono<AccessEnv> {
  const api = new Hono<AccessEnv>();
  const readers = requireRole(...GRANTS.read);
  const analysts = requireRole(...GRANTS.analyse);

  api.get('/views', readers, async (c) => c.json({ views: await views.list() }));

  api.get('/views/:name', readers, validate('param', ViewPath), async (c) =>
    c.json(await views.describe(c.req.valid('param').name)),
  );

  /** The first windows of a view not created yet, from the analysts' replica: what "create" would start with. */
  api.post('/views/preview', analysts, async (c) => {
    const text = await definitionText(c, 'view');
    const { parsed } = await views.check(text, undefined, identityOf(c).role);
    const { sql, from, to } = previewSql(parsed, Date.now());
    const who = identityOf(c);
    const answer = await sandbox.run(sql, { who: who.name, role: who.role, maxRows: 1000 });
    const preview: ViewPreview = {
      name: parsed.name,
      columns: answer.columns,
      rows: answer.rows,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
    };
    return c.json(preview);
  });

  api.post('/views', analysts, async (c) => {
    const text = await definitionText(c, 'view');
    // Checked here before the stream: the author hears of a problem, the other replicas never do.
    await tryCost(c, sandbox, (await views.check(text, undefined, identityOf(c).role)).parsed);
    const at = Date.now();
    return c.json(await commands.submit({ type: 'view.put', text, replacing: null, by: identityOf(c).name, at }), 201);
  });

  api.put('/views/:name', analysts, validate('param', ViewPath), async (c) => {
    const { name } = c.req.valid('param');
    mayChange(c, 'view', await views.describe(name));
    const text = await definitionText(c, 'view');
    await tryCost(c, sandbox, (await views.check(text, name, identityOf(c).role)).parsed);
    return c.json(
      await commands.submit({ type: 'view.put', text, replacing: name, by: identityOf(c).name, at: Date.now() }),
    );
  });

  api.delete('/views/:name', analysts, validate('param', ViewPath), async (c) => {
    const { name } = c.req.valid('param');
    mayChange(c, 'view', await views.describe(name));
    return c.json(await commands.submit({ type: 'view.delete', name, by: identityOf(c).name, at: Date.now() }));
  });

  return api;
}

/**
 * The engine runs a view's SELECT on its own database for every day of history and then every tick: one that takes
 * longer than an analyst's query may over its last day is refused before it can hold the ticks (and the walls) up.
 */
async function tryCost(c: Context<AccessEnv>, sandbox: Sandbox, v: ViewDef): Promise<void> {
  const sql = dayCostSql(v, Date.now());
  if (sql === null) return;
  const who = identityOf(c);
  try {
    await sandbox.run(sql, { who: who.name, role: who.role, maxRows: 1 });
  } catch (err) {
    if (err instanceof EngineError && (err.code === 'timeout' || err.code === 'too_large'))
      throw new EngineError(
        'bad_request',
        `the view's SELECT over its last day of events did not finish within an analyst's limits (${err.message}); the engine would spend that on every day of its history and then every tick: narrow it`,
      );
    throw err;
  }
}
