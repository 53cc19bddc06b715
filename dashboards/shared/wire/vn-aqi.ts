// The VN_AQI tables of Decision 1459/QĐ-TCMT (12 Nov 2019): the one copy the engine, the macro's test and the pages read.

export const POLLUTANTS = ['pm25', 'pm10', 'o3_1h', 'o3_8h', 'co', 'so2', 'no2'] as const;
export type Pollutant = (typeof POLLUTANTS)[number];

export const AQI_MAX = 500;

/**
 * Table 2: the index levels I_i and each pollutant's breakpoints BP_i in µg/m³ (CO too: 10 000 µg/m³ = 10 mg/m³).
 * A column as long as `levels` ends in a "≥" band that caps the index at 500; O3 (8h) stops at 400 µg/m³ → 300.
 */
export const VN_AQI_TABLE = {
  levels: [0, 50, 100, 150, 200, 300, 400, AQI_MAX],
  breakpoints: {
    o3_1h: [0, 160, 200, 300, 400, 800, 1000, 1200],
    o3_8h: [0, 100, 120, 170, 210, 400],
    co: [0, 10_000, 30_000, 45_000, 60_000, 90_000, 120_000, 150_000],
    so2: [0, 125, 350, 550, 800, 1600, 2100, 2630],
    no2: [0, 100, 200, 700, 1200, 2350, 3100, 3850],
    pm10: [0, 50, 150, 250, 350, 420, 500, 600],
    pm25: [0, 25, 50, 80, 150, 250, 350, 500],
  },
} as const satisfies { levels: readonly number[]; breakpoints: Record<Pollutant, readonly number[]> };

export interface AqiCategory {
  level: 1 | 2 | 3 | 4 | 5 | 6;
  /** Highest rounded index in the band. */
  max: number;
  vi: string;
  en: string;
  /** The decision's colour as `#RRGGBB`. */
  color: string;
}

/** Table 1: categories and colours, by the rounded integer index. */
export const VN_AQI_CATEGORIES = [
  { level: 1, max: 50, vi: 'Tốt', en: 'Good', color: '#00E400' },
  { level: 2, max: 100, vi: 'Trung bình', en: 'Moderate', color: '#FFFF00' },
  { level: 3, max: 150, vi: 'Kém', en: 'Poor', color: '#FF7E00' },
  { level: 4, max: 200, vi: 'Xấu', en: 'Bad', color: '#FF0000' },
  { level: 5, max: 300, vi: 'Rất xấu', en: 'Very bad', color: '#8F3F97' },
  { level: 6, max: AQI_MAX, vi: 'Nguy hại', en: 'Hazardous', color: '#7E0023' },
] as const satisfies readonly AqiCategory[];

/** Table 1 band of an index, rounded first (50.4 is 'Tốt', 50.5 'Trung bình'); null for a missing or negative one. */
export function vnAqiCategory(index: number | null | undefined): AqiCategory | null {
  if (typeof index !== 'number' || !Number.isFinite(index) || index < 0) return null;
  const r = Math.round(index);
  return VN_AQI_CATEGORIES.find((c) => r <= c.max) ?? VN_AQI_CATEGORIES[VN_AQI_CATEGORIES.length - 1]!;
}

/**
 * The concentration of one pollutant at which each category ends (Infinity for the last): where the pollutant's
 * sub-index reaches the band's highest index, e.g. PM2.5 25, 50, 80, 150, 250 µg/m³.
 */
export function categoryBreakpoints(pollutant: Pollutant): { category: AqiCategory; max: number }[] {
  const bp: readonly number[] = VN_AQI_TABLE.breakpoints[pollutant];
  const levels: readonly number[] = VN_AQI_TABLE.levels;
  return VN_AQI_CATEGORIES.map((category, i) => {
    const at = levels.indexOf(category.max);
    const last = i === VN_AQI_CATEGORIES.length - 1;
    return { category, max: last || at < 0 || at >= bp.length ? Infinity : bp[at]! };
  });
}
