// Threshold rules: the latest value past `above` (or under `below`), clearing only back past `clear`.
import type { RuleOf } from '../rule.ts';
import type { Condition, RuleKind } from './kind.ts';

export const threshold: RuleKind<RuleOf<'threshold'>> = {
  async conditions(rule, { latest }) {
    const up = rule.above !== undefined;
    const limit = (up ? rule.above : rule.below)!;
    const clear = rule.clear ?? limit;
    const out: Condition[] = [];
    for (const [area, { value }] of latest.get(rule.indicator) ?? []) {
      if (value === null) continue;
      out.push({
        area,
        subject: rule.indicator,
        value,
        threshold: limit,
        breach: up ? value > limit : value < limit,
        clear: up ? value <= clear : value >= clear,
        message: `${rule.indicator} ${value.toFixed(1)} ${up ? '>' : '<'} ${limit}`,
      });
    }
    return out;
  },
  holdMs: (rule) => rule.for,
};
