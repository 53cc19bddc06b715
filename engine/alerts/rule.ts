// An alert rule file (views/alerts/*.rule): a `-- key: value` header, validated by zod, like the views beside it.
import { z } from 'zod';
import { DefinitionError, duration, finiteNumber as num, parseHeader } from '../definitions/index.ts';
import { PlainText } from '../schema/common.ts';

export const SEVERITIES = ['info', 'warning', 'critical'] as const;

const common = {
  name: z.string().regex(/^[a-z][a-z0-9_]{1,62}$/, 'must be snake_case'),
  title: z.strictObject({ vi: PlainText.min(1).max(200), en: PlainText.min(1).max(200) }),
  severity: z.enum(SEVERITIES).default('warning'),
  /** Incidents group alerts of one area by type (flooding, traffic, air …). */
  incident: z
    .string()
    .regex(/^[a-z_]+$/)
    .optional(),
  /**
   * Which rows are judged: each ward (areas, the default), the city-wide row (city), or both (all). The second level's
   * rows (former districts) are never judged: they repeat their wards' alerts.
   */
  scope: z.enum(['areas', 'city', 'all']).default('areas'),
};

const RuleMeta = z.discriminatedUnion('kind', [
  /** The indicator's latest value is past `above` (or under `below`) for `for`; it clears back past `clear`. */
  z.strictObject({
    ...common,
    kind: z.literal('threshold'),
    indicator: z.string(),
    above: num.optional(),
    below: num.optional(),
    clear: num.optional(),
    for: duration.default(0),
  }),
  /** The latest value moved by at least `change` (negative: a fall) compared with its value `over` earlier. */
  z.strictObject({ ...common, kind: z.literal('rate'), indicator: z.string(), change: num, over: duration }),
  /** A camera or sensor (of `devices`: camera or sensor/<kind>) silent for `after`. */
  z.strictObject({
    ...common,
    kind: z.literal('no_data'),
    devices: z.string().regex(/^(camera|sensor\/[a-z]+|sensor|service)$/),
    after: duration,
  }),
  /** The latest value is more than `sigma` standard deviations from the same hour of day over the last `weeks` weeks. */
  z.strictObject({
    ...common,
    kind: z.literal('anomaly'),
    indicator: z.string(),
    sigma: num.default(3),
    weeks: z.coerce.number().int().min(1).max(52).default(4),
    min_samples: z.coerce.number().int().min(3).default(7),
  }),
]);
export type Rule = z.infer<typeof RuleMeta> & { file: string };
/** The rule of one kind, as its evaluator receives it. */
export type RuleOf<K extends Rule['kind']> = Extract<Rule, { kind: K }>;

export class RuleError extends DefinitionError {
  constructor(file: string, line: number, reason: string) {
    super(file, line, reason);
    this.name = 'RuleError';
  }
}

/** A rule file is all header: every `-- key: value` line counts, wherever it stands. */
export function parseRule(file: string, text: string): Rule {
  const { meta: rule, lineOf } = parseHeader(file, text, RuleMeta, { extent: 'file', whole: 'kind', error: RuleError });
  if (rule.kind === 'threshold' && (rule.above === undefined) === (rule.below === undefined)) {
    throw new RuleError(file, lineOf.kind ?? 1, 'a threshold rule needs exactly one of above: or below:');
  }
  return { ...rule, file };
}
