// Window states: per view, window start and area, the running value of each aggregate. Folding a row adds it to its
// window once; the staged values are what each aggregate would return over the window's rows.
import type { Aggregate } from './plan.ts';

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

  /** `args[j]`: the row's argument of aggregate j (undefined for count(*)); `pass[j]`: its FILTER. */
  add(args: readonly unknown[], pass: readonly boolean[]): void {
    for (let j = 0; j < this.aggs.length; j++) {
      if (!pass[j]) continue;
      const fold = this.aggs[j]!.fold;
      if (fold === 'count_star') {
        this.counts[j]!++;
        continue;
      }
      const x = args[j];
      if (x === null || x === undefined) continue;
      switch (fold) {
        case 'sum':
        case 'avg':
          this.sums[j]! += x as number;
          break;
        case 'min':
          if (this.counts[j] === 0 || (x as number) < this.sums[j]!) this.sums[j] = x as number;
          break;
        case 'max':
          if (this.counts[j] === 0 || (x as number) > this.sums[j]!) this.sums[j] = x as number;
          break;
        case 'count_distinct':
          this.sets[j]!.add(typeof x === 'object' ? JSON.stringify(x) : x);
          break;
      }
      this.counts[j]!++;
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

  add(area: string | null, args: readonly unknown[], pass: readonly boolean[]): void {
    this.into(area ?? NO_AREA, args, pass);
    const parent = area === null ? undefined : this.parents.get(area);
    if (parent !== undefined) this.into(parent, args, pass);
    this.into(CITY, args, pass);
  }

  private into(key: string, args: readonly unknown[], pass: readonly boolean[]): void {
    let acc = this.areas.get(key);
    if (!acc) this.areas.set(key, (acc = new Accumulator(this.aggs)));
    acc.add(args, pass);
  }

  /** (area or null, whether city-wide, values) per row the window's grouping sets give. */
  *rows(): Generator<[string | null, number, (number | null)[]]> {
    for (const [key, acc] of this.areas)
      yield [key === CITY || key === NO_AREA ? null : key, key === CITY ? 1 : 0, acc.values()];
  }
}
