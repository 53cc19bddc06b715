// The period's data quality per agency ("đúng, đủ, sạch, sống"): each agency's devices scored day by day (a silent
// registered device counting as zero), ranked best first; and how many cameras and sensors reported unregistered.
import type { Connection } from '../db.ts';
import { hanoiDate } from '../sql/index.ts';
import type { Period } from './period.ts';
import type { Briefing } from '../../dashboards/shared/wire/index.ts';

export type DataQualityFacts = Briefing['dataQuality'];

export async function readDataQuality(conn: Connection, p: Period): Promise<DataQualityFacts> {
  const days = { from: hanoiDate(p.from), to: hanoiDate(p.to) };
  const rows = await conn.objects<{
    agency: string;
    name: string | null;
    devices: number;
    silent: number;
    score: number;
    accuracy: number | null;
    completeness: number;
    cleanliness: number | null;
    liveness: number;
  }>(
    // Days weigh by their devices: an agency's score is the mean over its device-days.
    `SELECT agency, any_value(agency_name) AS name, max(devices)::INTEGER AS devices, sum(silent)::INTEGER AS silent,
            sum(score * devices) / sum(devices) AS score, sum(accuracy * devices) / sum(devices) FILTER (WHERE accuracy IS NOT NULL) AS accuracy,
            sum(completeness * devices) / sum(devices) AS completeness,
            sum(cleanliness * devices) / sum(devices) FILTER (WHERE cleanliness IS NOT NULL) AS cleanliness,
            sum(liveness * devices) / sum(devices) AS liveness
     FROM agency_quality WHERE day >= $from::DATE AND day < $to::DATE GROUP BY agency`,
    days,
  );
  const round = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
  const agencies = rows
    .map((r) => ({
      agency: r.agency,
      name: r.name,
      devices: r.devices,
      silentDays: r.silent,
      score: round(r.score) ?? 0,
      accuracy: round(r.accuracy),
      completeness: round(r.completeness) ?? 0,
      cleanliness: round(r.cleanliness),
      liveness: round(r.liveness) ?? 0,
    }))
    .sort((a, b) => b.score - a.score || a.agency.localeCompare(b.agency));
  const [unregistered] = await conn.objects<{ n: number }>(
    `SELECT count(DISTINCT (family, id))::INTEGER AS n FROM data_quality
     WHERE day >= $from::DATE AND day < $to::DATE AND NOT registered AND family IN ('camera', 'sensor')`,
    days,
  );
  return { agencies, unregistered: unregistered?.n ?? 0 };
}
