// Alert and incident routes: list with filters, acknowledge, resolve, tick a checklist step; each change is pushed live,
// and each records who acted as the token says, never as the body says.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { identityOf } from '../access/index.ts';
import type { AlertEngine, AlertEvent } from '../alerts/index.ts';
import { EngineError } from '../errors.ts';
import { jsonBody, parseWith } from './validate.ts';

const code = z.string().max(64).regex(/^[\w.-]+$/, 'must be a code such as ba_dinh');
const AlertQuery = z.object({
  status: z.enum(['open', 'acknowledged', 'resolved', 'active']).optional(),
  area: code.optional(), rule: code.optional(), severity: z.enum(['info', 'warning', 'critical']).optional(),
  incident: code.optional(), limit: z.coerce.number().int().min(1).max(10_000).default(500),
});
/** `by` is read only to refuse it when it names someone else (see actor). */
const Action = z.object({ by: z.unknown().optional(), comment: z.string().max(2000).optional() });
const Step = z.object({ by: z.unknown().optional(), done: z.boolean().default(true) });

/** An action needs no body now that `by` comes from the token: an absent one reads as `{}`. */
async function actionBody(c: Context): Promise<unknown> {
  const length = c.req.header('content-length');
  if (length === '0' || (length === undefined && c.req.header('transfer-encoding') === undefined)) return {};
  return jsonBody(c, 64 * 1024);
}

/**
 * Who acts: the token's name ("anonymous" with AUTH off). A body naming someone else is refused rather than quietly
 * overridden, so a script that sends `by` learns it means nothing; one naming the token itself still works.
 */
function actor(c: Context, by: unknown): string {
  const who = identityOf(c).name;
  if (by !== undefined && by !== who) {
    throw new EngineError('bad_request', `field "by": not accepted; who acts is taken from the bearer token (here "${who}"), leave "by" out`);
  }
  return who;
}

export function alertRoutes(alerts: AlertEngine, publish: (e: AlertEvent) => void): Hono {
  const api = new Hono();
  api.get('/alerts', async (c) => {
    const q = parseWith(AlertQuery, c.req.query(), 'query');
    const where = [
      q.status === 'active' ? `status <> 'resolved'` : q.status ? `status = '${q.status}'` : '',
      q.area ? `area = '${q.area}'` : '', q.rule ? `rule = '${q.rule}'` : '', q.severity ? `severity = '${q.severity}'` : '',
      q.incident ? `incident_id = '${q.incident}'` : '',
    ].filter(Boolean);
    return c.json({ alerts: await alerts.list(where.length ? `WHERE ${where.join(' AND ')}` : '', q.limit) });
  });
  const act = (verb: 'acknowledge' | 'resolve') => async (c: Context) => {
    const body = parseWith(Action, await actionBody(c), 'body');
    const event = await alerts[verb](c.req.param('id')!, actor(c, body.by), body.comment ?? null);
    publish(event);
    return c.json(event);
  };
  api.post('/alerts/:id/ack', act('acknowledge'));
  api.post('/alerts/:id/resolve', act('resolve'));
  api.get('/incidents', async (c) => {
    const status = c.req.query('status');
    if (status && !['open', 'acknowledged', 'resolved', 'active'].includes(status)) throw new EngineError('bad_request', 'field "status": must be open, acknowledged, resolved or active');
    const where = status === 'active' ? `WHERE i.status <> 'resolved'` : status ? `WHERE i.status = '${status}'` : '';
    return c.json({ incidents: await alerts.incidents(where) });
  });
  api.post('/incidents/:id/checklist/:step', async (c) => {
    const step = Number(c.req.param('step'));
    if (!Number.isInteger(step) || step < 1) throw new EngineError('bad_request', 'field "step": must be a step number from 1');
    const body = parseWith(Step, await actionBody(c), 'body');
    return c.json({ incident: await alerts.checkStep(c.req.param('id')!, step, body.done, actor(c, body.by)) });
  });
  return api;
}
