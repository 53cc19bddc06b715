// VN_AQI (Decision 1459/QĐ-TCMT, 12 Nov 2019): sub-indices, NowCast, the final index and its category and colour.
// The tables are the wire contract's (dashboards/shared/wire/vn-aqi.ts); views/_macros/vn_aqi.sql computes the same in
// DuckDB from its own copy of them, and the tests compare the two.
import { POLLUTANTS, VN_AQI_TABLE, vnAqiCategory, type Pollutant } from '../../dashboards/shared/wire/index.ts';

type Reading = number | null | undefined;

function present(v: Reading): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/**
 * Sub-index AQI_x by Formula 1, not rounded. Null for a missing, negative or non-finite concentration, and for
 * O3 (8h) above 400 µg/m³, where the decision uses the 1-hour value alone.
 */
export function subIndex(pollutant: Pollutant, c: Reading): number | null {
  if (!present(c) || c < 0) return null;
  const bp: readonly number[] = VN_AQI_TABLE.breakpoints[pollutant];
  const lv: readonly number[] = VN_AQI_TABLE.levels;
  if (bp === undefined) throw new RangeError(`unknown pollutant "${String(pollutant)}"`);
  const top = bp.length - 1;
  if (c >= bp[top]!) return c === bp[top] || bp.length === lv.length ? lv[top]! : null;
  let i = 0; // 0-based lower breakpoint: bp[i] <= c < bp[i + 1]
  while (bp[i + 1]! <= c) i++;
  // Same operation order as vn_aqi_formula, so both give the same double.
  return ((lv[i + 1]! - lv[i]!) / (bp[i + 1]! - bp[i]!)) * (c - bp[i]!) + lv[i]!;
}

/**
 * NowCast of the last 12 hourly means, `values[0]` = c1 = the current hour; null/undefined/non-finite = missing.
 * w* = min/max over the present hours, w = max(w*, ½), then the weighted mean Σ w^(i−1)·c_i / Σ w^(i−1) over the
 * present hours (the decision's unnormalised form for w = ½ is only approximately this). Null unless at least 2
 * of c1, c2, c3 are present.
 */
export function nowcast(values: readonly Reading[]): number | null {
  const hours = values.slice(0, 12).map((v) => (present(v) ? v : null));
  if (hours.slice(0, 3).filter((v) => v !== null).length < 2) return null;
  const known = hours.filter((v): v is number => v !== null);
  const max = Math.max(...known);
  const w = max > 0 ? Math.max(Math.min(...known) / max, 0.5) : 1;
  let num = 0;
  let den = 0;
  hours.forEach((v, i) => {
    if (v === null) return;
    num += w ** i * v;
    den += w ** i;
  });
  return num / den;
}

export interface AqiResult {
  /** max(AQI_x) rounded to an integer. */
  aqi: number;
  /** The pollutant whose sub-index is the highest (the first in POLLUTANTS order on a tie). */
  dominant: Pollutant;
  subIndices: Partial<Record<Pollutant, number>>;
  /** A concentration reached a "≥" top band: the index is capped at 500 and should be flagged as such. */
  capped: boolean;
}

/**
 * The final index from concentrations already reduced as the index needs them: hourly (PM as NowCast, gases and
 * 'o3_1h' as 1-hour means) or daily (PM 24-hour means, gases their highest 1-hour mean, O3 both 'o3_1h' and
 * 'o3_8h' maxima). Null when neither PM10 nor PM2.5 has a sub-index: the decision requires one of them.
 */
export function aqi(concentrations: Partial<Record<Pollutant, Reading>>): AqiResult | null {
  const subIndices: Partial<Record<Pollutant, number>> = {};
  let best: { p: Pollutant; v: number } | null = null;
  let capped = false;
  for (const p of POLLUTANTS) {
    const c = concentrations[p];
    const v = subIndex(p, c);
    if (v === null) continue;
    subIndices[p] = v;
    if (best === null || v > best.v) best = { p, v };
    const bp: readonly number[] = VN_AQI_TABLE.breakpoints[p];
    if (bp.length === VN_AQI_TABLE.levels.length && c! >= bp[bp.length - 1]!) capped = true;
  }
  if (best === null || (subIndices.pm25 === undefined && subIndices.pm10 === undefined)) return null;
  return { aqi: Math.round(best.v), dominant: best.p, subIndices, capped };
}

/** Table 1 colour as hex, e.g. '#00E400'; null for a missing or negative index. */
export function color(index: Reading): string | null {
  return vnAqiCategory(index)?.color ?? null;
}
