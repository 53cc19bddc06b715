// How an indicator's windows combine into a coarser one, by the view's merge rule: the one SQL for rolling views,
// re-bucketed series and the briefing's period totals.

export const MERGES = ['sum', 'mean', 'max', 'min'] as const;
export type Merge = (typeof MERGES)[number];

/**
 * The aggregate that merges rows of a rollup (`value`, `n`, `weight`), optionally qualified by a table alias.
 * A mean is weighted by each window's weight (or its count), so merging windows gives the mean of their events.
 */
export function mergedValueSql(merge: Merge, alias = ''): string {
  const c = (col: string) => (alias ? `${alias}.${col}` : col);
  const w = `coalesce(${c('weight')}, ${c('n')})`;
  switch (merge) {
    case 'sum':
      return `sum(${c('value')})`;
    case 'mean':
      return `sum(${c('value')} * ${w}) FILTER (WHERE ${c('value')} IS NOT NULL) / nullif(sum(${w}) FILTER (WHERE ${c('value')} IS NOT NULL), 0)`;
    case 'max':
      return `max(${c('value')})`;
    case 'min':
      return `min(${c('value')})`;
    default: {
      const never: never = merge;
      throw new Error(`unknown merge ${String(never)}`);
    }
  }
}

/** The weight a merged mean carries forward (so a mean of means stays exact); other rules carry none. */
export function mergedWeightSql(merge: Merge, alias = ''): string {
  const c = (col: string) => (alias ? `${alias}.${col}` : col);
  return merge === 'mean'
    ? `sum(coalesce(${c('weight')}, ${c('n')})) FILTER (WHERE ${c('value')} IS NOT NULL)`
    : 'NULL';
}
