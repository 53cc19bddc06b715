// A stored rollup row as served: its window as ISO text, with its trust line (final, and with `devices:` completeness).
import type { IndicatorRow } from '../../dashboards/shared/wire/index.ts';
import type { Watermarks } from '../windows/index.ts';
import type { ViewDef } from './definition.ts';
import type { ExpectedSources } from './expected-sources.ts';

/** A rollup row as read back: `t` in epoch milliseconds. */
export interface StoredRow {
  t: number;
  area: string;
  value: number | null;
  n: number;
  late: number;
  sources: number | null;
  /** When the row last changed (this engine's clock), where it was read: a wall that fails over asks for what came after. */
  updated_at?: number | null;
}

/** Final once the family's watermark has passed the window's end; complete as the share of expected sources heard. */
export function presentRow(v: ViewDef, r: StoredRow, watermarks: Watermarks, expected: ExpectedSources): IndicatorRow {
  const final = watermarks.isFinal(v.source, r.t + v.windowMs, v.latenessMs);
  const row: IndicatorRow = {
    t: new Date(r.t).toISOString(),
    area: r.area,
    value: r.value,
    n: r.n,
    late: r.late,
    sources: r.sources,
    final,
  };
  if (r.updated_at != null) row.updatedAt = new Date(r.updated_at).toISOString();
  if (v.devices) {
    const known = expected.count(v.devices, r.area);
    row.expected = known;
    row.completeness = known > 0 && r.sources !== null ? Math.min(1, r.sources / known) : null;
  }
  return row;
}
