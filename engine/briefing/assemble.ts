// The whole briefing of a period, as GET /api/briefing answers it, its PDF shows it and the morning email sends it.
import type { Connection } from '../db.ts';
import type { Sandbox } from '../query/index.ts';
import type { Rollups, ViewDef } from '../views/index.ts';
import { briefingFacts } from './compute.ts';
import { narrative, type Lang } from './narrative.ts';
import type { Span } from './period.ts';
import { briefingSections } from './sections.ts';
import type { Briefing } from '../../dashboards/shared/wire/index.ts';

/** What a briefing is read from: the API's connection, the rollups, the views, the saved queries. */
export interface BriefingSource {
  reader: Connection;
  indicators: Pick<Rollups, 'present' | 'watermarks'>;
  views: readonly ViewDef[];
  sandbox: Sandbox;
  simulated?: () => boolean;
}

export async function assembleBriefing(
  src: BriefingSource,
  q: { date: string; span: Span; lang: Lang },
  now = Date.now(),
): Promise<Briefing> {
  const facts = await briefingFacts(src.reader, src.indicators, src.views, q.date, q.span);
  const { period, ...rest } = facts;
  return {
    date: period.date,
    span: period.span,
    from: new Date(period.from).toISOString(),
    to: new Date(period.to).toISOString(),
    lang: q.lang,
    generatedAt: new Date(now).toISOString(),
    simulated: src.simulated?.() ?? false,
    scale: 'VN_AQI (QĐ 1459/QĐ-TCMT)',
    ...rest,
    sections: await briefingSections(src.sandbox, period),
    narrative: narrative(facts, q.lang),
  };
}
