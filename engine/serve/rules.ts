// Alert rules made on a running engine: created, redefined and removed in the format of views/alerts/*.rule, checked
// here (the author gets the line and the problem), applied by every replica from the command stream.
import { Hono } from 'hono';
import { z } from 'zod';
import { GRANTS, identityOf, requireRole, type AccessEnv } from '../access/index.ts';
import type { LiveRules } from '../alerts/live-rules.ts';
import type { CommandBus } from '../cluster/index.ts';
import { definitionText, mayChange } from './definitions.ts';
import { validate } from './validate.ts';

const RulePath = z.object({ name: z.string().regex(/^[a-z][a-z0-9_]{1,62}$/, 'must be a rule name (snake_case)') });

export function ruleRoutes(rules: LiveRules, commands: CommandBus): Hono<AccessEnv> {
  const api = new Hono<AccessEnv>();
  // Everyone who reads the indicators may read what judges them.
  const readers = requireRole(...GRANTS.read);
  const analysts = requireRole(...GRANTS.analyse);

  api.get('/rules', readers, (c) => c.json({ rules: rules.list() }));
  api.get('/rules/:name', readers, validate('param', RulePath), (c) =>
    c.json(rules.describe(c.req.valid('param').name)),
  );

  api.post('/rules', analysts, async (c) => {
    const text = await definitionText(c, 'rule');
    rules.check(text);
    return c.json(
      await commands.submit({ type: 'rule.put', text, replacing: null, by: identityOf(c).name, at: Date.now() }),
      201,
    );
  });

  api.put('/rules/:name', analysts, validate('param', RulePath), async (c) => {
    const { name } = c.req.valid('param');
    mayChange(c, 'rule', rules.describe(name));
    const text = await definitionText(c, 'rule');
    rules.check(text, name);
    return c.json(
      await commands.submit({ type: 'rule.put', text, replacing: name, by: identityOf(c).name, at: Date.now() }),
    );
  });

  api.delete('/rules/:name', analysts, validate('param', RulePath), async (c) => {
    const { name } = c.req.valid('param');
    mayChange(c, 'rule', rules.describe(name));
    return c.json(await commands.submit({ type: 'rule.delete', name, by: identityOf(c).name, at: Date.now() }));
  });

  return api;
}
