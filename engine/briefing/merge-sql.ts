// The SQL that combines an indicator's rollup windows into one value with the view's own merge rule.
import type { Merge } from '../views/index.ts';

export function mergedValueSql(merge: Merge): string {
  const w = 'coalesce(weight, n)';
  switch (merge) {
    case 'sum': return 'sum(value)';
    case 'mean': return `sum(value * ${w}) FILTER (WHERE value IS NOT NULL) / nullif(sum(${w}) FILTER (WHERE value IS NOT NULL), 0)`;
    case 'max': return 'max(value)';
    case 'min': return 'min(value)';
    default: {
      const never: never = merge;
      throw new Error(`unknown merge ${String(never)}`);
    }
  }
}

export const lit = (ms: number): string => `TIMESTAMPTZ '${new Date(ms).toISOString()}'`;
