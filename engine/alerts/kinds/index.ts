// Rule kinds' door: the one interface and the evaluator of each kind, chosen by the rule's `kind`.
import type { Rule } from '../rule.ts';
import { anomaly } from './anomaly.ts';
import type { Condition, Evaluation, RuleKind } from './kind.ts';
import { noData } from './no-data.ts';
import { rate } from './rate.ts';
import { threshold } from './threshold.ts';

export type { Condition, Latest } from './kind.ts';

/** A rule with its kind's evaluator bound to it. */
export interface BoundRule {
  conditions(at: Evaluation): Promise<Condition[]>;
  holdMs: number;
  /** The shortest time between two evaluations; 0: at every tick. */
  everyMs: number;
}

const bind = <R extends Rule>(kind: RuleKind<R>, rule: R): BoundRule => ({
  conditions: (at) => kind.conditions(rule, at),
  holdMs: kind.holdMs(rule),
  everyMs: kind.everyMs?.(rule) ?? 0,
});

export function bindRule(rule: Rule): BoundRule {
  switch (rule.kind) {
    case 'threshold':
      return bind(threshold, rule);
    case 'rate':
      return bind(rate, rule);
    case 'no_data':
      return bind(noData, rule);
    case 'anomaly':
      return bind(anomaly, rule);
    default: {
      const never: never = rule;
      throw new Error(`unknown rule kind ${String((never as Rule).kind)}`);
    }
  }
}
