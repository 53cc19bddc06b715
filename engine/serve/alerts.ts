// Alert and incident routes: list with filters, acknowledge, resolve, tick a checklist step; each change is pushed live,
// and each records who acted as the token says, never as the body says.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { GRANTS, identityOf, requireRole, type AccessEnv } from '../access/index.ts';
import { AlertQuery, IncidentQuery, type AlertEngine } from '../alerts/index.ts';
import type { CommandBus } from '../cluster/index.ts';
import { EngineError } from '../errors.ts';
import { jsonBody, validate } from './validate.ts';

/** `by` is read only to refuse it when it names someone else (see actor). */
const Action = z.object({ by: z.unknown().optional(), comment: z.string().max(2000).optional() });
const Step = z.object({ by: z.unknown().optional(), done: z.boolean().default(true) });

/** An action needs no body now that `by` comes from the token: an absent one reads as `{}`. */
const actionBody = jsonBody(64 * 1024, { optional: true });
const STEP = 'must be a step number from 1';
const StepPath = z.object({ step: z.coerce.number<string>({ error: STEP }).int(STEP).min(1, STEP) });

/**
 * Who acts: the token's name ("anonymous" with AUTH off). A body naming someone else is refused rather than quietly
 * overridden, so a script that sends `by` learns it means nothing; one naming the token itself still works.
 */
function actor(c: Context<AccessEnv>, by: unknown): string {
  const who = identityOf(c).name;
  if (by !== undefined && by !== who) {
    throw new EngineError(
      'bad_request',
      `field "by": not accepted; who acts is taken from the bearer token (here "${who}"), leave "by" out`,
    );
  }
  return who;
}

/** Reads come from this replica's tables; actions go through the command stream, so every replica applies them. */
export function alertRoutes(alerts: AlertEngine, commands: CommandBus): Hono<AccessEnv> {
  const api = new Hono<AccessEnv>();
  const watchers = requireRole(...GRANTS.watch);
  const responders = requireRole(...GRANTS.respond);
  api.get('/alerts', watchers, validate('query', AlertQuery), async (c) => {
    return c.json({ alerts: await alerts.list(c.req.valid('query')) });
  });
  for (const [path, type] of [
    ['/alerts/:id/ack', 'alert.acknowledge'],
    ['/alerts/:id/resolve', 'alert.resolve'],
  ] as const) {
    api.post(path, responders, actionBody, validate('json', Action), async (c) => {
      const body = c.req.valid('json');
      const by = actor(c, body.by);
      // Refused here when this replica knows no such alert, before anything reaches the other replicas.
      const { id, rule, area, subject } = await alerts.get(c.req.param('id'));
      const key = { rule, area, subject };
      return c.json(await commands.submit({ type, id, key, by, comment: body.comment ?? null, at: Date.now() }));
    });
  }
  api.get('/incidents', watchers, validate('query', IncidentQuery), async (c) => {
    return c.json({ incidents: await alerts.incidents(c.req.valid('query')) });
  });
  api.post(
    '/incidents/:id/checklist/:step',
    responders,
    validate('param', StepPath),
    actionBody,
    validate('json', Step),
    async (c) => {
      const { step } = c.req.valid('param');
      const body = c.req.valid('json');
      const by = actor(c, body.by);
      return c.json(
        await commands.submit({
          type: 'incident.step',
          id: c.req.param('id')!,
          step,
          done: body.done,
          by,
          at: Date.now(),
        }),
      );
    },
  );
  return api;
}
