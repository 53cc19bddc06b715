// Alert and incident routes: list with filters, acknowledge, resolve, tick a checklist step; each change is pushed live,
// and each records who acted as the token says, never as the body says.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { GRANTS, identityOf, requireRole, type AccessEnv } from '../access/index.ts';
import { randomUUID } from 'node:crypto';
import {
  AlertQuery,
  IncidentChange,
  IncidentOpen,
  IncidentQuery,
  INCIDENT_TYPES,
  type AlertEngine,
} from '../alerts/index.ts';
import { shortHash } from '../alerts/ids.ts';
import { SEVERITIES } from '../alerts/rule.ts';
import type { AreaIndex } from '../geo/index.ts';
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
/** A person's report of an incident: where (an area code, or a point the areas place) and what. */
const OpenBody = z.strictObject({
  type: z.enum(INCIDENT_TYPES),
  severity: z.enum(SEVERITIES).default('warning'),
  area: z.string().min(1).max(64).optional(),
  lat: z.number().min(-90).max(90).optional(),
  lon: z.number().min(-180).max(180).optional(),
  description: IncidentOpen.shape.description,
  by: z.unknown().optional(),
});
const ChangeBody = IncidentChange.extend({
  by: z.unknown().optional(),
  /** A checklist step ticked (or unticked) with the change. */
  step: z.strictObject({ n: z.number().int().min(1), done: z.boolean().default(true) }).optional(),
}).strict();

/** The area of a reported incident: the code given (a ward or former district), else the ward holding the point. */
function placeOf(
  areas: AreaIndex,
  body: z.infer<typeof OpenBody>,
): { area: string; lat: number | null; lon: number | null } {
  if ((body.lat === undefined) !== (body.lon === undefined))
    throw new EngineError('bad_request', `field "${body.lat === undefined ? 'lat' : 'lon'}": lat and lon go together`);
  const point = body.lat !== undefined && body.lon !== undefined ? { lat: body.lat, lon: body.lon } : null;
  if (body.area !== undefined) {
    if (!areas.get(body.area))
      throw new EngineError(
        'bad_request',
        `field "area": ${JSON.stringify(body.area)} is not an area code of GET /api/areas`,
      );
    return { area: body.area, lat: point?.lat ?? null, lon: point?.lon ?? null };
  }
  if (!point) throw new EngineError('bad_request', 'field "area": give an area code, or lat and lon');
  const area = areas.locate(point.lon, point.lat);
  if (area === null) throw new EngineError('bad_request', 'fields "lat", "lon": the point is not in the city');
  return { area, ...point };
}

export function alertRoutes(alerts: AlertEngine, commands: CommandBus, areas: AreaIndex): Hono<AccessEnv> {
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
  api.post('/incidents', responders, jsonBody(64 * 1024), validate('json', OpenBody), async (c) => {
    const body = c.req.valid('json');
    const by = actor(c, body.by);
    const at = Date.now();
    const id = `i-m${shortHash(`${by}|${at}|${randomUUID()}`)}`;
    const incident = {
      id,
      type: body.type,
      severity: body.severity,
      description: body.description,
      ...placeOf(areas, body),
    };
    return c.json(await commands.submit({ type: 'incident.open', incident, by, at }), 201);
  });
  api.patch('/incidents/:id', responders, jsonBody(64 * 1024), validate('json', ChangeBody), async (c) => {
    const { by: said, step, ...change } = c.req.valid('json');
    const by = actor(c, said);
    const id = c.req.param('id');
    if (step === undefined && Object.keys(change).length === 0)
      throw new EngineError('bad_request', 'the body changes nothing: give status, assignee, note, summary or step');
    // Refused here when this replica knows no such incident, before anything reaches the other replicas.
    if ((await alerts.incidents({ id, limit: 1 })).length === 0)
      throw new EngineError('not_found', `no incident ${JSON.stringify(id.slice(0, 128))}`);
    const at = Date.now();
    let answer: unknown = null;
    if (step !== undefined)
      answer = await commands.submit({ type: 'incident.step', id, step: step.n, done: step.done, by, at });
    if (Object.keys(change).length > 0) answer = await commands.submit({ type: 'incident.change', id, change, by, at });
    return c.json(answer);
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
