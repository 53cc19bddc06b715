// Rate rules: the latest value moved by at least `change` compared with the value `over` earlier.
import { Bindings } from '../../sql/index.ts';
import type { RuleOf } from '../rule.ts';
import type { RuleKind } from './kind.ts';

export const rate: RuleKind<RuleOf<'rate'>> = {
  async conditions(rule, { conn, now, latest, touched }) {
    // Areas without a fresh value keep their alert's state: nothing to re-judge.
    const areas = [...(touched.get(rule.indicator) ?? [])];
    if (areas.length === 0) return [];
    // Planned: the text is the same at every tick (a rule over a busy indicator runs it at each one), what varies goes
    // in as arguments.
    const b = new Bindings();
    const rows = await conn.objectsPlanned<{ area: string; value: number | null }>(
      `
      SELECT area, arg_max(value, t) AS value FROM ${rule.indicator}
      WHERE area IN ${b.strings(areas)}
        AND t <= ${b.instant(now - rule.over)} AND t > ${b.instant(now - 2 * rule.over)} GROUP BY area`,
      b,
    );
    const before = new Map(rows.map((r) => [r.area, r.value]));
    return areas.flatMap((area) => {
      const cur = latest.get(rule.indicator)?.get(area)?.value;
      const prev = before.get(area);
      if (cur == null || prev == null) return [];
      const delta = cur - prev;
      const breach = rule.change >= 0 ? delta >= rule.change : delta <= rule.change;
      const message = `${rule.indicator} ${delta >= 0 ? '+' : ''}${delta.toFixed(1)} in ${rule.over / 60_000} min`;
      return [{ area, subject: rule.indicator, value: cur, threshold: rule.change, breach, clear: !breach, message }];
    });
  },
  holdMs: () => 0,
};
