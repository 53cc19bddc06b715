// The saved queries promoted to the briefing (`briefing: true`): each run for the briefing's period, as a section of
// the page with its own table (or bars), through the analysts' sandbox and its limits like any saved query.
import { errorMessage } from '../errors.ts';
import type { Params } from '../db.ts';
import type { Sandbox } from '../query/index.ts';
import type { Period } from './period.ts';
import type { Briefing } from '../../dashboards/shared/wire/index.ts';

/** A section shows at most this many rows; `truncated` says when there were more. */
export const SECTION_ROWS = 30;

type Section = Briefing['sections'][number];

/**
 * The period reaches a query through its declared parameters: `from` and `to` (type time) get the period's bounds,
 * `date` (text) its first day; any other parameter takes its default.
 */
function periodParams(q: { params: { name: string; type: string; default: unknown }[] }, p: Period): Params {
  const out: Params = {};
  for (const d of q.params) {
    const given =
      d.type === 'time' && d.name === 'from'
        ? new Date(p.from).toISOString()
        : d.type === 'time' && d.name === 'to'
          ? new Date(p.to).toISOString()
          : d.type === 'text' && d.name === 'date'
            ? p.date
            : undefined;
    out[d.name] = given ?? (d.default as Params[string]);
  }
  return out;
}

export async function briefingSections(sandbox: Sandbox, p: Period): Promise<Section[]> {
  const queries = await sandbox.saved.list({ briefing: true });
  const sections: Section[] = [];
  for (const q of queries) {
    const head = { name: q.name, title: q.title, description: q.description, unit: q.unit };
    try {
      // The engine's own run, not an analyst's: not audited, few rows, the sandbox's limits otherwise; read as a
      // leader may, since leaders read the briefing.
      const answer = await sandbox.run(q.sql, {
        params: periodParams(q, p),
        maxRows: SECTION_ROWS,
        audit: false,
        who: 'briefing',
        role: 'leader',
      });
      sections.push({ ...head, columns: answer.columns, rows: answer.rows, truncated: answer.truncated, error: null });
    } catch (err) {
      sections.push({ ...head, columns: [], rows: [], truncated: false, error: errorMessage(err) });
    }
  }
  return sections;
}
