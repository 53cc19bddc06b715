// Anomaly rules: the latest value more than `sigma` standard deviations from the same Hanoi hour over past weeks.
import { DAY_MS, hanoiHour, hanoiHourSql, hanoiMidnight, timestampParam } from '../../sql/index.ts';
import type { RuleOf } from '../rule.ts';
import type { Evaluation, RuleKind } from './kind.ts';

interface HourStats {
  area: string;
  hour: number;
  m: number;
  s: number | null;
  c: number;
}

/**
 * Each rule's baseline, by area and hour, for one Hanoi day. It reads whole past days only, so it holds until
 * midnight or until late data changes a past day: read once a day instead of every tick (four weeks of an
 * indicator's rows, the heaviest statement a busy tick ran).
 */
const baselines = new WeakMap<RuleOf<'anomaly'>, { day: number; stats: Map<string, HourStats> }>();

async function baseline(
  rule: RuleOf<'anomaly'>,
  conn: Evaluation['conn'],
  today: number,
  stale: boolean,
): Promise<Map<string, HourStats>> {
  const held = baselines.get(rule);
  if (held && held.day === today && !stale) return held.stats;
  const rows = await conn.objects<HourStats>(
    `
    SELECT area, ${hanoiHourSql('t')} AS hour, avg(value) AS m, stddev_samp(value) AS s, count(*) AS c
    FROM ${rule.indicator}
    WHERE t >= $from::TIMESTAMPTZ AND t < $to::TIMESTAMPTZ AND value IS NOT NULL
    GROUP BY ALL`,
    { from: timestampParam(today - rule.weeks * 7 * DAY_MS), to: timestampParam(today) },
  );
  const stats = new Map(rows.map((r) => [`${r.area}|${r.hour}`, r]));
  baselines.set(rule, { day: today, stats });
  return stats;
}

export const anomaly: RuleKind<RuleOf<'anomaly'>> = {
  async conditions(rule, { conn, now, latest, touched, pastChanged }) {
    // Areas without a fresh value keep their alert's state: nothing to re-judge.
    const areas = [...(touched.get(rule.indicator) ?? [])];
    if (areas.length === 0) return [];
    // Whole past days only, so today's values (the ones being judged) never make their own baseline.
    const stats = await baseline(rule, conn, hanoiMidnight(now), pastChanged.has(rule.indicator));
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
