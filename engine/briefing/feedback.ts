// The period's citizens' feedback: the feedback indicators' city-wide values, the categories most reported, and what
// was still open at the period's end, with the wards holding most.
import type { Connection } from '../db.ts';
import { hanoiDate, mergedValueSql, timestampParam } from '../sql/index.ts';
import { FEEDBACK_OPEN } from '../store/feedback-by-category.ts';
import type { ViewDef } from '../views/index.ts';
import { bounds, PERIOD, type Period } from './period.ts';
import { RANKED_AREAS, type NameOf } from './ranked-areas.ts';
import type { Briefing } from '../../dashboards/shared/wire/index.ts';

/** Categories and wards a leader reads: the few that matter, not the list. */
const TOP = 5;

export async function readFeedback(
  conn: Connection,
  views: ReadonlyMap<string, ViewDef>,
  p: Period,
  named: NameOf,
): Promise<Briefing['feedback']> {
  const value = async (name: string): Promise<number | null> => {
    const v = views.get(name);
    if (!v) return null;
    const [row] = await conn.objects<{ value: number | null }>(
      `SELECT ${mergedValueSql(v.merge)} AS value FROM ${v.name} WHERE area = 'hanoi' AND ${PERIOD}`,
      bounds(p),
    );
    return row?.value ?? null;
  };
  const received = await value('feedback_received');
  // What was open when the period ended, from each report's last event before it: the backlog view keeps only the
  // days the engine watched, and a briefing is often of a day replayed or restored.
  const open = await conn.objects<{ area: string | null; ward: boolean | null; count: number }>(
    `SELECT area, area IN ${RANKED_AREAS} AS ward, count(*)::INTEGER AS count FROM (
       SELECT report_id, arg_max(status, ts) AS status, arg_max(area, ts) FILTER (WHERE area IS NOT NULL) AS area
       FROM feedback_events WHERE ts < $to::TIMESTAMPTZ GROUP BY report_id)
     WHERE ${FEEDBACK_OPEN} GROUP BY area`,
    { to: timestampParam(p.to) },
  );
  const backlog = open.reduce((n, r) => n + r.count, 0);
  if (!received && backlog === 0) return null;
  const categories = await conn.objects<{ category: string; received: number }>(
    `SELECT category, sum(received)::INTEGER AS received FROM feedback_by_category
     WHERE day >= $from::DATE AND day < $to::DATE GROUP BY category HAVING sum(received) > 0
     ORDER BY received DESC, category LIMIT ${TOP}`,
    { from: hanoiDate(p.from), to: hanoiDate(p.to) },
  );
  return {
    received: received ?? 0,
    resolvedOnTime: await value('feedback_resolved_on_time'),
    reopenRate: await value('feedback_reopen_rate'),
    rating: await value('feedback_rating'),
    backlog,
    categories,
    backlogAreas: open
      .filter((r): r is { area: string; ward: true; count: number } => r.ward === true)
      .sort((a, b) => b.count - a.count || a.area.localeCompare(b.area))
      .slice(0, TOP)
      .map((r) => ({ area: r.area, ...named(r.area), count: r.count })),
  };
}
