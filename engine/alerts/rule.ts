// An alert rule file (views/alerts/*.rule): a `-- key: value` header, validated by zod, like the views beside it.
import { z } from 'zod';
import { parseDuration } from '../views/index.ts';

const duration = z.string().transform((s, ctx) => {
  const ms = parseDuration(s);
  if (ms === null) { ctx.addIssue({ code: 'custom', message: 'must be a duration such as 90s, 5m, 1h' }); return z.NEVER; }
  return ms;
});
const num = z.coerce.number().refine(Number.isFinite, { message: 'must be a number' });
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

const common = {
  name: z.string().regex(/^[a-z][a-z0-9_]{1,62}$/, 'must be snake_case'),
  title: z.strictObject({ vi: z.string().min(1), en: z.string().min(1) }),
  severity: z.enum(SEVERITIES).default('warning'),
  /** Incidents group alerts of one area by type (flooding, traffic, air …). */
  incident: z.string().regex(/^[a-z_]+$/).optional(),
  /** Which rows are judged: each district (areas, the default), the city-wide row (city), or both (all). */
  scope: z.enum(['areas', 'city', 'all']).default('areas'),
};

export const RuleMeta = z.discriminatedUnion('kind', [
  /** The indicator's latest value is past `above` (or under `below`) for `for`; it clears back past `clear`. */
  z.strictObject({ ...common, kind: z.literal('threshold'), indicator: z.string(), above: num.optional(), below: num.optional(), clear: num.optional(), for: duration.default(0) }),
  /** The latest value moved by at least `change` (negative: a fall) compared with its value `over` earlier. */
  z.strictObject({ ...common, kind: z.literal('rate'), indicator: z.string(), change: num, over: duration }),
  /** A camera or sensor (of `devices`: camera or sensor/<kind>) silent for `after`. */
  z.strictObject({ ...common, kind: z.literal('no_data'), devices: z.string().regex(/^(camera|sensor\/[a-z]+|sensor|service)$/), after: duration }),
  /** The latest value is more than `sigma` standard deviations from the same hour of day over the last `weeks` weeks. */
  z.strictObject({ ...common, kind: z.literal('anomaly'), indicator: z.string(), sigma: num.default(3), weeks: z.coerce.number().int().min(1).max(52).default(4), min_samples: z.coerce.number().int().min(3).default(7) }),
]);
export type RuleMeta = z.infer<typeof RuleMeta>;
export type Rule = RuleMeta & { file: string };

export class RuleError extends Error {
  constructor(readonly file: string, readonly line: number, reason: string) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'RuleError';
  }
}

export function parseRule(file: string, text: string): Rule {
  const meta: Record<string, unknown> = {};
  const lineOf: Record<string, number> = {};
  text.split('\n').forEach((raw, i) => {
    const m = /^--\s*([a-zA-Z][\w.]*)\s*:\s*(.*)$/.exec(raw.trim());
    if (!m) return;
    const [, key, value] = m as unknown as [string, string, string];
    const path = key.split('.');
    let cur = meta;
    for (let k = 0; k < path.length - 1; k++) cur = (cur[path[k]!] ??= {}) as Record<string, unknown>;
    cur[path[path.length - 1]!] = value.trim();
    lineOf[path[0]!] = i + 1;
  });
  const parsed = RuleMeta.safeParse(meta);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? 'kind');
    const reason = issue.code === 'unrecognized_keys' ? `unknown key ${issue.keys.join(', ')}` : `${issue.path.join('.') || 'kind'}: ${issue.message}`;
    throw new RuleError(file, issue.code === 'unrecognized_keys' ? lineOf[issue.keys[0]!] ?? 1 : lineOf[key] ?? 1, reason);
  }
  const rule = parsed.data;
  if (rule.kind === 'threshold' && (rule.above === undefined) === (rule.below === undefined)) {
    throw new RuleError(file, lineOf.kind ?? 1, 'a threshold rule needs exactly one of above: or below:');
  }
  return { ...rule, file };
}
