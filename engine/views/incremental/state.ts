// Window states: per view, window start and area, the running value of each aggregate. Folding adds a group of rows'
// partial states (summed up by DuckDB) to its window once; the staged values are what each aggregate would return over
// the window's rows.
import type { Aggregate } from './plan.ts';

/**
 * Where an aggregate's partial state stands in a grouped row: `value` holds the count, the sum (a mean's too), the
 * extreme, or the list of distinct values; `count` the number of values under a sum, mean or extreme (-1: none).
 */
export interface PartialState {
  value: number;
  count: number;
}

/** The city-wide row of a window (the (t) grouping set), apart from any area, the missing one (null) included. */
export const CITY = '\u0000city';
const NO_AREA = '\u0000none';

export class Accumulator {
  private readonly sums: number[];
  private readonly counts: number[];
  private readonly sets: (Set<unknown> | null)[];

  constructor(private readonly aggs: readonly Aggregate[]) {
    this.sums = aggs.map(() => 0);
    this.counts = aggs.map(() => 0);
    this.sets = aggs.map((a) => (a.fold === 'count_distinct' ? new Set() : null));
  }

  /** Adds a group's partial states (positions in `row` per aggregate). */
  merge(row: readonly unknown[], parts: readonly PartialState[]): void {
    for (let j = 0; j < this.aggs.length; j++) {
      const part = parts[j]!;
      const x = row[part.value];
      switch (this.aggs[j]!.fold) {
        case 'count':
        case 'count_star':
          this.counts[j]! += x as number;
          break;
        case 'count_distinct':
          for (const v of (x as unknown[] | null) ?? [])
            this.sets[j]!.add(typeof v === 'object' ? JSON.stringify(v) : v);
          break;
        default: {
          const n = row[part.count] as number;
          if (n === 0) break;
          const fold = this.aggs[j]!.fold;
          const y = x as number;
          const first = this.counts[j] === 0;
          if (fold === 'min') this.sums[j] = first || y < this.sums[j]! ? y : this.sums[j]!;
          else if (fold === 'max') this.sums[j] = first || y > this.sums[j]! ? y : this.sums[j]!;
          else this.sums[j]! += y;
          this.counts[j]! += n;
        }
      }
    }
  }

  /** What each aggregate returns over the rows folded so far (SQL's NULL for a sum, mean or extreme of nothing). */
  values(): (number | null)[] {
    return this.aggs.map((a, j) => {
      const n = this.counts[j]!;
      switch (a.fold) {
        case 'count':
        case 'count_star':
          return n;
        case 'count_distinct':
          return this.sets[j]!.size;
        case 'avg':
          return n === 0 ? null : this.sums[j]! / n;
        default:
          return n === 0 ? null : this.sums[j]!;
      }
    });
  }
}

/**
 * One window of one view: an accumulator per ward, one per district (a ward's rows also count in its district's, the
 * view's district pass made incremental) and one for the city.
 */
export class WindowState {
  readonly areas = new Map<string, Accumulator>();

  constructor(
    private readonly aggs: readonly Aggregate[],
    private readonly parents: ReadonlyMap<string, string>,
  ) {}

  merge(area: string | null, row: readonly unknown[], parts: readonly PartialState[]): void {
    this.into(area ?? NO_AREA, row, parts);
    const parent = area === null ? undefined : this.parents.get(area);
    if (parent !== undefined) this.into(parent, row, parts);
    this.into(CITY, row, parts);
  }

  private into(key: string, row: readonly unknown[], parts: readonly PartialState[]): void {
    let acc = this.areas.get(key);
    if (!acc) this.areas.set(key, (acc = new Accumulator(this.aggs)));
    acc.merge(row, parts);
  }

  /** (area or null, whether city-wide, values) per row the window's grouping sets give. */
  *rows(): Generator<[string | null, number, (number | null)[]]> {
    for (const [key, acc] of this.areas)
      yield [key === CITY || key === NO_AREA ? null : key, key === CITY ? 1 : 0, acc.values()];
  }
}
