// The city's security monitoring tools (SIEM, EDR, IDS): incidents on the agencies' systems, each reported through its
// lifecycle detected → confirmed → contained → resolved, or closed as a false positive.
import { rfc3339Hanoi } from './clock.ts';
import type { Emitter } from './emitter.ts';
import { pick, pickWeighted, type Rng } from './prng.ts';

/** An agency whose systems the tools watch, with the area its systems stand in (null: a city department). */
export interface WatchedAgency {
  id: string;
  area: string | null;
}

const TOOLS = ['siem-soc-hanoi', 'edr-sentinel', 'ids-perimeter'] as const;
/** Incidents per agency per day: a few, as the centre sees them. */
const INCIDENTS_PER_AGENCY_DAY = 3;
const CATEGORIES = ['malware', 'intrusion', 'ddos', 'phishing', 'data_leak', 'defacement', 'vulnerability', 'other'];
const CATEGORY_WEIGHTS = [25, 15, 8, 25, 4, 3, 15, 5];
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
// Critical ones are rare: about one in 25.
const SEVERITY_WEIGHTS = [36, 36, 24, 4];
/** Most incidents meet Decision 6372's targets; these shares miss them. */
const LATE_DETECTION = 0.12;
const LATE_RESOLUTION = 0.12;
const FALSE_POSITIVE = 0.15;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Incidents a tool keeps in play; past it, new ones wait until old ones close. */
const MAX_OPEN = 200;

interface Report {
  at: number;
  status: 'detected' | 'confirmed' | 'contained' | 'resolved' | 'false_positive';
  /** `"incidentId":…,"agency":…,…` shared by the incident's reports. */
  body: string;
}

const between = (r: Rng, lo: number, hi: number): number => lo + (hi - lo) * r();

/**
 * One emitter per tool, each watching every agency: the tool's next incident comes after an exponential wait (so
 * `INCIDENTS_PER_AGENCY_DAY` per agency across the tools), and its reports come due on the tool's turns.
 */
export function createSecurityTools(
  agencies: readonly WatchedAgency[],
  areaCodes: readonly string[],
  weight: number,
): Emitter[] {
  if (agencies.length === 0 || areaCodes.length === 0) return [];
  const meanWaitMs = DAY / ((INCIDENTS_PER_AGENCY_DAY * agencies.length) / TOOLS.length);
  return TOOLS.map((tool, index) => {
    const due: Report[] = [];
    let nextAt: number | null = null;
    let incidents = 0;
    let seq = 0;

    const open = (t: number, tag: string, r: Rng): void => {
      incidents++;
      const agency = pick(r, agencies);
      const severity = SEVERITIES[pickWeighted(r, SEVERITY_WEIGHTS)]!;
      const lateDetection = r() < LATE_DETECTION;
      const began = t - (lateDetection ? between(r, 1.1 * HOUR, 6 * HOUR) : between(r, 2 * MIN, 55 * MIN));
      const body =
        `"incidentId":"SEC-${tag}-${index}-${incidents}","agency":"${agency.id}","assetId":"${agency.id}-srv-${1 + Math.floor(r() * 12)}"` +
        `,"category":"${CATEGORIES[pickWeighted(r, CATEGORY_WEIGHTS)]}","severity":"${severity}"` +
        `,"detectedAt":"${rfc3339Hanoi(Math.round(began))}","source":"${tool}","area":"${agency.area ?? pick(r, areaCodes)}"`;
      due.push({ at: t, status: 'detected', body });
      if (r() < FALSE_POSITIVE) {
        due.push({ at: t + between(r, 10 * MIN, 60 * MIN), status: 'false_positive', body });
        return;
      }
      const confirmed = t + between(r, 5 * MIN, 45 * MIN);
      const resolved =
        confirmed + (r() < LATE_RESOLUTION ? between(r, 4.3 * HOUR, 10 * HOUR) : between(r, 40 * MIN, 3.7 * HOUR));
      due.push({ at: confirmed, status: 'confirmed', body });
      due.push({ at: between(r, confirmed, resolved), status: 'contained', body });
      due.push({ at: resolved, status: 'resolved', body });
    };

    return {
      topic: `city/security/${tool}`,
      weight,
      next(t, tag, r) {
        nextAt ??= t + -Math.log(1 - r()) * meanWaitMs;
        if (t >= nextAt) {
          nextAt = t + -Math.log(1 - r()) * meanWaitMs;
          if (due.length < MAX_OPEN * 4) open(t, tag, r);
        }
        // The earliest report due: a tool reports on its own turns, so a report goes out at the first turn after it.
        let first = -1;
        for (let i = 0; i < due.length; i++)
          if (due[i]!.at <= t && (first < 0 || due[i]!.at < due[first]!.at)) first = i;
        if (first < 0) return null;
        const [report] = due.splice(first, 1);
        seq++;
        return `{"id":"${tool}-${tag}-${seq}","ts":"${rfc3339Hanoi(t)}",${report!.body},"status":"${report!.status}"}`;
      },
    };
  });
}
