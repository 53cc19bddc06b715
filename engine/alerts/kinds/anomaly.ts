// Anomaly rules: the latest value more than `sigma` standard deviations from the same Hanoi hour over past weeks.
import {
  DAY_MS,
  hanoiHour,
  hanoiHourSql,
  hanoiMidnight,
  inStringsSql,
  stringsParam,
  timestampParam,
} from '../../sql/index.ts';
import type { RuleOf } from '../rule.ts';
import type { RuleKind } from './kind.ts';

interface HourStats {
  area: string;
  hour: number;
  m: number;
  s: number | null;
  c: number;
}

export const anomaly: RuleKind<RuleOf<'anomaly'>> = {
  async conditions(rule, { conn, now, latest, touched }) {
    // Areas without a fresh value keep their alert's state: nothing to re-judge.
    const areas = [...(touched.get(rule.indicator) ?? [])];
    if (areas.length === 0) return [];
    // Whole past days only, so today's values (the ones being judged) never make their own baseline.
    const today = hanoiMidnight(now);
    const rows = await conn.objects<HourStats>(
      `
      SELECT area, ${hanoiHourSql('t')} AS hour, avg(value) AS m, stddev_samp(value) AS s, count(*) AS c
      FROM ${rule.indicator}
      WHERE ${inStringsSql('area', 'areas')} AND t >= $from::TIMESTAMPTZ AND t < $to::TIMESTAMPTZ AND value IS NOT NULL
      GROUP BY ALL`,
      { areas: stringsParam(areas), from: timestampParam(today - rule.weeks * 7 * DAY_MS), to: timestampParam(today) },
    );
    const stats = new Map(rows.map((r) => [`${r.area}|${r.hour}`, r]));
    return areas.flatMap((area) => {
      const l = latest.get(rule.indicator)?.get(area);
      if (!l || l.value === null) return [];
      const st = stats.get(`${area}|${hanoiHour(l.t)}`);
      if (!st || st.c < rule.min_samples || !st.s) return [];
      const z = (l.value - st.m) / st.s;
      const breach = Math.abs(z) > rule.sigma;
      const usual = `usual ${st.m.toFixed(1)} ± ${st.s.toFixed(1)} at this hour`;
      const message = `${rule.indicator} ${l.value.toFixed(1)}, ${usual} (z ${z.toFixed(1)})`;
      return [{ area, subject: rule.indicator, value: l.value, threshold: st.m, breach, clear: !breach, message }];
    });
  },
  holdMs: () => 0,
};
