// Reads a period's facts from the rollups (and the raw camera events for incidents): KPIs, trends, areas, alerts, air,
// and the agencies' data quality.
import type { Connection } from '../db.ts';
import type { Rollups, ViewDef } from '../views/index.ts';
import { readSeries } from '../views/series.ts';
import { mergedValueSql, timestampParam } from '../sql/index.ts';
import { bounds, PERIOD, periodOf, previousPeriod, trendRange, type Period } from './period.ts';
import { better, kpiStatus } from './status.ts';
import { readDataQuality } from './agencies.ts';
import { readFeedback } from './feedback.ts';
import { areaNames, RANKED_AREAS, type NameOf } from './ranked-areas.ts';
import type { Briefing } from '../../dashboards/shared/wire/index.ts';

/** The headline indicators, in the order a leader reads them; those the engine does not have are skipped. */
export const HEADLINES = [
  'avg_speed',
  'congestion_index',
  'incident_reports',
  'aqi',
  'pm25',
  'water_level_max',
  'flood_alert',
  'noise_laeq',
  'network_below_40',
  'service_on_time_rate',
  'service_online_rate',
  'service_overdue',
  'service_received',
] as const;

/** One indicator per theme ranks the areas; the first that exists wins. */
export const THEME_RANKERS: Record<string, readonly string[]> = {
  traffic: ['congestion_index', 'avg_speed'],
  air: ['aqi', 'pm25'],
  water: ['water_level_max'],
  services: ['service_on_time_rate', 'service_online_rate'],
  network: ['network_below_40'],
};

// The facts are the briefing the page reads (dashboards/shared/wire), less what the route adds: the period's own
// fields, the language and the narrative.
type Facts = Omit<
  Briefing,
  'date' | 'span' | 'from' | 'to' | 'lang' | 'generatedAt' | 'scale' | 'narrative' | 'sections' | 'simulated'
>;
export type BriefingFacts = Facts & { period: Period };
export type Kpi = Briefing['kpis'][number];
type ThemeRanking = Briefing['themes'][number];
type Incidents = Briefing['incidents'];
type AlertItem = Briefing['alerts'][number];

type Reader = Pick<Rollups, 'present' | 'watermarks'>;

const iso = (ms: number): string => new Date(ms).toISOString();
const bucketName = (ms: number): string =>
  ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${ms / 60_000}m`;

export async function briefingFacts(
  conn: Connection,
  rollups: Reader,
  views: readonly ViewDef[],
  date: string,
  span: Period['span'],
): Promise<BriefingFacts> {
  const p = periodOf(date, span);
  const byName = new Map(views.filter((v) => !v.hidden).map((v) => [v.name, v]));
  const names = await areaNames(conn);
  const named: NameOf = (code) => names.get(code) ?? { name: code, nameEn: null };

  // The headline views, then those whose header asks for the briefing (analysts' views among them).
  const headlines: string[] = [
    ...HEADLINES,
    ...views
      .filter((v) => v.briefing && !v.hidden && !(HEADLINES as readonly string[]).includes(v.name))
      .map((v) => v.name),
  ];
  const kpis: Kpi[] = [];
  for (const name of headlines) {
    const v = byName.get(name);
    if (v) kpis.push(await kpi(conn, rollups, v, p));
  }

  const themes: ThemeRanking[] = [];
  for (const [theme, candidates] of Object.entries(THEME_RANKERS)) {
    const v = candidates.map((n) => byName.get(n)).find((x) => x !== undefined);
    if (!v) continue;
    const rows = await conn.objects<{ area: string; value: number | null }>(
      `SELECT area, ${mergedValueSql(v.merge)} AS value FROM ${v.name} WHERE ${PERIOD} AND area IN ${RANKED_AREAS} GROUP BY area`,
      bounds(p),
    );
    const ranked = rows
      .filter((r): r is { area: string; value: number } => r.value !== null && Number.isFinite(r.value))
      .sort((a, b) =>
        better(v.direction, a.value, b.value)
          ? -1
          : better(v.direction, b.value, a.value)
            ? 1
            : a.area.localeCompare(b.area),
      )
      .map((r) => ({ area: r.area, ...named(r.area), value: r.value }));
    // Best and worst never share an area: with few areas each side takes half, and a lone area goes where its status puts it.
    const k = Math.min(3, Math.floor(ranked.length / 2));
    const lone = ranked.length === 1 ? ranked : [];
    const loneOk = lone.length === 1 && kpiStatus(v, lone[0]!.value) === 'met';
    themes.push({
      theme,
      indicator: v.name,
      title: v.title,
      unit: v.unit,
      direction: v.direction,
      best: loneOk ? lone : ranked.slice(0, k),
      worst: lone.length && !loneOk ? lone : ranked.slice(ranked.length - k).reverse(),
    });
  }

  const incidents = await readIncidents(conn, p, named);
  const alerts: AlertItem[] = [];
  for (const name of headlines) {
    const v = byName.get(name);
    const alert = v?.thresholds?.alert;
    if (!v || alert === undefined) continue;
    const cmp = v.direction === 'up' ? '<=' : '>=';
    const rows = await conn.objects<{ area: string; windows: number; first: number; last: number; peak: number }>(
      `SELECT area, count(*)::INTEGER AS windows, epoch_ms(min(t)) AS first, epoch_ms(max(t)) AS last, ${v.direction === 'up' ? 'min' : 'max'}(value) AS peak
       FROM ${v.name} WHERE ${PERIOD} AND (area = 'hanoi' OR area IN ${RANKED_AREAS}) AND value ${cmp} ${alert} GROUP BY area`,
      bounds(p),
    );
    for (const r of rows) {
      alerts.push({
        indicator: v.name,
        title: v.title,
        unit: v.unit,
        area: r.area,
        ...(r.area === 'hanoi' ? { name: 'Hà Nội', nameEn: 'Hanoi' } : named(r.area)),
        windows: r.windows,
        window: v.window,
        first: iso(r.first),
        last: iso(r.last + v.windowMs),
        peak: r.peak,
      });
    }
  }
  alerts.sort((a, b) => b.windows - a.windows || a.first.localeCompare(b.first));

  const aqi = byName.get('aqi');
  const threshold = 101;
  const air: BriefingFacts['air'] = { indicator: aqi ? aqi.name : null, threshold, hours: [] };
  if (aqi) {
    const rows = await conn.objects<{ area: string; hours: number; peak: number; peak_at: number }>(
      `SELECT area, count(*) FILTER (WHERE value >= ${threshold})::INTEGER AS hours, max(value) AS peak, epoch_ms(arg_max(t, value)) AS peak_at
       FROM ${aqi.name} WHERE ${PERIOD} AND area IN ${RANKED_AREAS} AND value IS NOT NULL GROUP BY area`,
      bounds(p),
    );
    air.hours = rows
      .map((r) => ({ area: r.area, ...named(r.area), hours: r.hours, peak: r.peak, peakAt: iso(r.peak_at) }))
      .sort((a, b) => b.hours - a.hours || b.peak - a.peak);
  }

  const raised = await readRaised(conn, p, named);
  const dataQuality = await readDataQuality(conn, p);
  const feedback = await readFeedback(conn, byName, p, named);
  const hasData = kpis.some((k) => k.n > 0) || incidents.total > 0 || feedback !== null;
  return {
    period: p,
    hasData,
    kpis,
    themes: hasData ? themes : [],
    incidents,
    alerts: alerts.slice(0, 30),
    raised,
    air,
    dataQuality,
    feedback,
  };
}

async function kpi(conn: Connection, rollups: Reader, v: ViewDef, p: Period): Promise<Kpi> {
  const prev = previousPeriod(p);
  const rows = await conn.objects<{ cur: boolean; value: number | null; n: number | null }>(
    `SELECT t >= $from::TIMESTAMPTZ AS cur, ${mergedValueSql(v.merge)} AS value, sum(n)::BIGINT AS n
     FROM ${v.name} WHERE area = 'hanoi' AND t >= $prev::TIMESTAMPTZ AND t < $to::TIMESTAMPTZ GROUP BY cur`,
    { ...bounds(p), prev: timestampParam(prev.from) },
  );
  const cur = rows.find((r) => r.cur);
  const before = rows.find((r) => !r.cur);
  const value = cur?.value ?? null;
  const range = trendRange(p, v.windowMs);
  const series = await readSeries(conn, rollups, v, {
    area: 'hanoi',
    from: range.from,
    to: range.to,
    bucket: bucketName(range.bucketMs),
  });
  const watermark = rollups.watermarks.watermark(v.source, v.latenessMs);
  return {
    name: v.name,
    title: v.title,
    unit: v.unit,
    theme: v.theme,
    direction: v.direction,
    scale: v.scale ?? null,
    target: v.target ?? null,
    thresholds: { warn: v.thresholds?.warn ?? null, alert: v.thresholds?.alert ?? null },
    value,
    previous: before?.value ?? null,
    status: kpiStatus(v, value),
    n: Number(cur?.n ?? 0),
    final: watermark !== null && watermark >= p.to,
    trend: {
      bucket: series.bucket,
      from: iso(range.from),
      to: iso(range.to),
      points: series.rows.map((r) => ({ t: r.t, value: r.value })),
    },
  };
}

async function readIncidents(conn: Connection, p: Period, named: NameOf): Promise<Incidents> {
  const where = 'ts >= $from::TIMESTAMPTZ AND ts < $to::TIMESTAMPTZ AND incident_type IS NOT NULL';
  // A camera reporting the same incident in consecutive intervals is one incident: runs split by a 15-minute gap.
  const items = await conn.objects<{
    type: string;
    area: string | null;
    camera_id: string;
    first: number;
    last: number;
    reports: number;
  }>(
    `
    WITH r AS (
      SELECT incident_type AS type, area, camera_id, ts,
             CASE WHEN ts - lag(ts) OVER (PARTITION BY camera_id, incident_type ORDER BY ts) <= INTERVAL 15 MINUTE THEN 0 ELSE 1 END AS starts
      FROM camera_events WHERE ${where}
    ), runs AS (SELECT *, sum(starts) OVER (PARTITION BY camera_id, type ORDER BY ts) AS run FROM r)
    SELECT type, any_value(area) AS area, camera_id, epoch_ms(min(ts)) AS first, epoch_ms(max(ts)) AS last, count(*)::INTEGER AS reports
    FROM runs GROUP BY type, camera_id, run ORDER BY first`,
    bounds(p),
  );
  const byType = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const i of items) {
    byType.set(i.type, (byType.get(i.type) ?? 0) + 1);
    if (i.area) byArea.set(i.area, (byArea.get(i.area) ?? 0) + 1);
  }
  return {
    total: items.length,
    response: await readResponse(conn, p),
    byType: [...byType]
      .map(([type, count]) => ({ type, count }))
      .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
    byArea: [...byArea]
      .map(([area, count]) => ({ area, ...named(area), count }))
      .sort((a, b) => b.count - a.count || a.area.localeCompare(b.area)),
    items: items.slice(-50).map((i) => ({
      type: i.type,
      area: i.area,
      ...(i.area ? named(i.area) : { name: null, nameEn: null }),
      cameraId: i.camera_id,
      first: iso(i.first),
      last: iso(i.last),
      reports: i.reports,
    })),
  };
}

/** How fast the incidents detected in the period were detected and resolved, against the 1 h / 4 h targets. */
async function readResponse(conn: Connection, p: Period): Promise<Incidents['response']> {
  const [exists] = await conn.objects<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM duckdb_views() WHERE view_name = 'incident_times' AND schema_name = 'main'`,
  );
  const none = { total: 0, detectedInHour: 0, resolved: 0, resolvedIn4h: 0, medianDetectS: null, medianResolveS: null };
  if (!exists?.n) return none;
  const [r] = await conn.objects<{
    total: number;
    detected: number;
    resolved: number;
    in4h: number;
    detect_s: number | null;
    resolve_s: number | null;
  }>(
    `SELECT count(*)::INTEGER AS total, count(*) FILTER (WHERE detect_met)::INTEGER AS detected,
            count(resolved_at)::INTEGER AS resolved, count(*) FILTER (WHERE resolve_met)::INTEGER AS in4h,
            median(detect_s)::DOUBLE AS detect_s, median(resolve_s)::DOUBLE AS resolve_s
     FROM incident_times WHERE detected_at >= $from::TIMESTAMPTZ AND detected_at < $to::TIMESTAMPTZ`,
    bounds(p),
  );
  if (!r) return none;
  return {
    total: r.total,
    detectedInHour: r.detected,
    resolved: r.resolved,
    resolvedIn4h: r.in4h,
    medianDetectS: r.detect_s,
    medianResolveS: r.resolve_s,
  };
}

async function readRaised(conn: Connection, p: Period, named: NameOf): Promise<BriefingFacts['raised']> {
  const none = { total: 0, bySeverity: [], acknowledged: 0, items: [] };
  const [exists] = await conn.objects<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'alerts' AND schema_name = 'main'`,
  );
  if (!exists?.n) return none;
  const rows = await conn.objects<{
    id: string;
    rule: string;
    severity: string;
    area: string;
    title_vi: string | null;
    title_en: string | null;
    status: string;
    since: number;
    value: number | null;
    threshold: number | null;
    acked: boolean;
  }>(
    `SELECT id, rule, severity, area, title_vi, title_en, status, epoch_ms(condition_since) AS since, value, threshold, acknowledged_at IS NOT NULL AS acked
     FROM alerts WHERE condition_since >= $from::TIMESTAMPTZ AND condition_since < $to::TIMESTAMPTZ ORDER BY condition_since`,
    bounds(p),
  );
  const bySeverity = new Map<string, number>();
  for (const r of rows) bySeverity.set(r.severity, (bySeverity.get(r.severity) ?? 0) + 1);
  const order = ['critical', 'warning', 'info'];
  return {
    total: rows.length,
    bySeverity: [...bySeverity]
      .map(([severity, count]) => ({ severity, count }))
      .sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity)),
    acknowledged: rows.filter((r) => r.acked).length,
    items: rows.slice(-30).map((r) => ({
      id: r.id,
      rule: r.rule,
      severity: r.severity,
      area: r.area,
      ...(r.area === 'hanoi' ? { name: 'Hà Nội', nameEn: 'Hanoi' } : named(r.area)),
      title: { vi: r.title_vi ?? r.rule, en: r.title_en ?? r.rule },
      status: r.status,
      since: iso(r.since),
      value: r.value,
      threshold: r.threshold,
    })),
  };
}
