// Views made on a running engine: created, previewed, redefined and removed by analysts in the format of
// views/**/*.sql. Checked here first (so the author gets the line and the problem), then applied by every replica
// from the command stream.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { GRANTS, identityOf, requireRole, type AccessEnv } from '../access/index.ts';
import { DEFINITION_MAX_TEXT, type CommandBus } from '../cluster/index.ts';
import { EngineError } from '../errors.ts';
import type { Sandbox } from '../query/index.ts';
import type { LiveViews } from '../views/live-views.ts';
import { previewSql } from '../views/preview.ts';
import { readBody } from './body-limit.ts';
import type { ViewPreview } from '../../dashboards/shared/wire/index.ts';
import { validate } from './validate.ts';

const ViewPath = z.object({ name: z.string().regex(/^[a-z][a-z0-9_]{1,62}$/, 'must be a view name (snake_case)') });
const JsonView = z.strictObject({ source: z.string({ error: 'must be the view text (header and SELECT)' }) });
/** A JSON body's quoting makes it longer than the text it carries. */
const BODY_MAX_BYTES = 2 * DEFINITION_MAX_TEXT * 4;

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
    const text = await viewText(c);
    const { parsed } = await views.check(text);
    const { sql, from, to } = previewSql(parsed, Date.now());
    const who = identityOf(c);
    const answer = await sandbox.run(sql, { who: who.name, admin: who.role === 'admin', maxRows: 1000 });
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
    const text = await viewText(c);
    // Checked here before the stream: the author hears of a problem, the other replicas never do.
    await views.check(text);
    const at = Date.now();
    return c.json(await commands.submit({ type: 'view.put', text, replacing: null, by: identityOf(c).name, at }), 201);
  });

  api.put('/views/:name', analysts, validate('param', ViewPath), async (c) => {
    const { name } = c.req.valid('param');
    await mayChange(c, views, name);
    const text = await viewText(c);
    await views.check(text, name);
    return c.json(
      await commands.submit({ type: 'view.put', text, replacing: name, by: identityOf(c).name, at: Date.now() }),
    );
  });

  api.delete('/views/:name', analysts, validate('param', ViewPath), async (c) => {
    const { name } = c.req.valid('param');
    await mayChange(c, views, name);
    return c.json(await commands.submit({ type: 'view.delete', name, by: identityOf(c).name, at: Date.now() }));
  });

  return api;
}

/** A runtime view is changed by whoever created it, or an admin; a file view by no one here. */
async function mayChange(c: Context<AccessEnv>, views: LiveViews, name: string): Promise<void> {
  const d = await views.describe(name);
  if (d.origin === 'file')
    throw new EngineError(
      'conflict',
      `view "${name}" is defined in ${d.file}; only views created over the API change here`,
    );
  const who = identityOf(c);
  if (who.role !== 'admin' && d.createdBy !== who.name)
    throw new EngineError(
      'forbidden',
      `view "${name}" was created by ${d.createdBy}; only they or an admin may change it`,
    );
}

/** The view's text: the body itself (text/plain, or any type but JSON), or JSON {source}. */
async function viewText(c: Context<AccessEnv>): Promise<string> {
  const bytes = await readBody(c, BODY_MAX_BYTES);
  let raw: string;
  try {
    raw = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new EngineError('bad_request', 'the view is not UTF-8 text');
  }
  const type = c.req.header('content-type') ?? '';
  let text = raw;
  if (/^application\/(.+\+)?json\b/i.test(type)) {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch (err) {
      throw new EngineError('bad_request', `request body is not valid JSON: ${(err as Error).message}`);
    }
    const parsed = JsonView.safeParse(body);
    if (!parsed.success)
      throw new EngineError(
        'bad_request',
        parsed.error.issues
          .map((i) => (i.path.length ? `field "${i.path.join('.')}": ${i.message}` : `body: ${i.message}`))
          .join('; '),
      );
    text = parsed.data.source;
  }
  text = text.replace(/^\uFEFF/, '').replaceAll('\r\n', '\n');
  if (text.trim() === '') throw new EngineError('bad_request', 'the body holds no view: send its header and SELECT');
  if (text.length > DEFINITION_MAX_TEXT)
    throw new EngineError('too_large', `the view is ${text.length} characters; at most ${DEFINITION_MAX_TEXT}`);
  return text;
}
