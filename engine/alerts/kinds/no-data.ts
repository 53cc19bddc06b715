// No-data rules: a registered camera or sensor silent for `after`; each device is its own subject.
import { Bindings, DAY_MS, sqlString } from '../../sql/index.ts';
import type { RuleOf } from '../rule.ts';
import type { RuleKind } from './kind.ts';

/** A device silent longer than this is retired, not missing: it no longer raises an alert. */
const RETIRED_MS = 7 * DAY_MS;

/** The longest time between two evaluations of a no-data rule. */
const NO_DATA_EVERY_MS = 5000;

export const noData: RuleKind<RuleOf<'no_data'>> = {
  async conditions(rule, { conn, now }) {
    const [family, kind] = rule.devices.split('/') as [string, string | undefined];
    // The rule's own text with the time as an argument: it runs every tick, and keeps its plan.
    const b = new Bindings();
    const rows = await conn.objectsPlanned<{ id: string; area: string | null; last: number }>(
      `
      SELECT id, area, epoch_ms(last_seen) AS last FROM devices
      WHERE family = ${sqlString(family)} ${kind ? `AND kind = ${sqlString(kind)}` : ''} AND last_seen >= ${b.instant(now - RETIRED_MS)}`,
      b,
    );
    return rows.map((r) => ({
      area: r.area ?? 'unassigned',
      subject: r.id,
      value: (now - r.last) / 60_000,
      threshold: rule.after / 60_000,
      breach: now - r.last >= rule.after,
      clear: now - r.last < rule.after,
      since: r.last,
      message: `${r.id} silent for ${Math.round((now - r.last) / 60_000)} min`,
    }));
  },
  holdMs: () => 0,
  // Silence is measured in minutes: judged every few seconds rather than at each of a quiet city's several ticks a
  // second (each one read the devices register), an alert opens or resolves at most a tenth of `after` later.
  everyMs: (rule) => Math.min(NO_DATA_EVERY_MS, rule.after / 10),
};
