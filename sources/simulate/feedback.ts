// Citizens' reports on the city's feedback channels: each report planned at intake through received → assigned →
// processing → resolved (or rejected), some reopened and resolved again, and published as its steps fall due.
import { hanoiHour, rfc3339Hanoi } from './clock.ts';
import { fixed, type Emitter } from './emitter.ts';
import { pickWeighted, type Rng } from './prng.ts';
import type { SimArea } from './types.ts';

type Channel = 'app' | 'hotline' | 'web' | 'social';
type Step = 'received' | 'assigned' | 'processing' | 'resolved' | 'rejected' | 'reopened';

/** Reports as a share of all events: a few thousand a day at the history's rate, as the city's hotline sees. */
export const FEEDBACK_SHARE = 0.01;

/** Share of reports per channel; the app and social media carry a position, the hotline and web only the ward. */
const CHANNELS: readonly { channel: Channel; share: number; located: boolean }[] = [
  { channel: 'app', share: 0.5, located: true },
  { channel: 'hotline', share: 0.25, located: false },
  { channel: 'web', share: 0.1, located: false },
  { channel: 'social', share: 0.15, located: true },
];

/** Category mix, and the hours a ward is given to settle each (flooding and traffic cannot wait). */
const CATEGORIES: readonly { category: string; share: number; dueH: number }[] = [
  { category: 'waste', share: 0.2, dueH: 24 },
  { category: 'traffic', share: 0.16, dueH: 8 },
  { category: 'environment', share: 0.14, dueH: 48 },
  { category: 'construction', share: 0.12, dueH: 72 },
  { category: 'order', share: 0.12, dueH: 24 },
  { category: 'lighting', share: 0.1, dueH: 48 },
  { category: 'flooding', share: 0.06, dueH: 6 },
  { category: 'administrative', share: 0.06, dueH: 120 },
  { category: 'other', share: 0.04, dueH: 72 },
];
const CATEGORY_WEIGHTS = CATEGORIES.map((c) => c.share);

/** Most reports are settled within their time, some late, a few turned down; some resolutions do not hold. */
const LATE = 0.12;
const REJECTED = 0.04;
const REOPENED = 0.07;
const HOUR_MS = 3_600_000;
/** Reports a channel keeps in play; past it, turns only move old reports on. */
const MAX_OPEN = 400;

/** People report by day: the evening is still busy, the small hours nearly silent. */
function intake(hour: number): number {
  if (hour < 5) return 0.08;
  if (hour < 7) return 0.4;
  if (hour < 22) return 1;
  return 0.3;
}

interface Planned {
  at: number;
  step: Step;
}

interface Report {
  /** `"reportId":…,"category":…,"channel":…,<place>` */
  head: string;
  unit: string;
  dueAt: number;
  steps: Planned[];
  reopened: boolean;
}

/** The lifecycle of a report received at `t`, its times drawn now so the whole story follows the seed. */
function plan(t: number, dueH: number, r: Rng): { dueAt: number; steps: Planned[] } {
  const assigned = t + (0.2 + 1.3 * r()) * HOUR_MS;
  const dueAt = assigned + dueH * HOUR_MS;
  const processing = assigned + (0.1 + 0.2 * r()) * (dueAt - assigned);
  const steps: Planned[] = [
    { at: t, step: 'received' },
    { at: assigned, step: 'assigned' },
    { at: processing, step: 'processing' },
  ];
  const x = r();
  if (x < REJECTED) return { dueAt, steps: [...steps, { at: processing + 0.5 * HOUR_MS, step: 'rejected' }] };
  // On time: somewhere between starting work and the due time; late: up to a day past it.
  const settled = x < REJECTED + LATE ? dueAt + (0.5 + 23 * r()) * HOUR_MS : processing + r() * (dueAt - processing);
  steps.push({ at: settled, step: 'resolved' });
  if (r() < REOPENED) {
    const reopened = settled + (2 + 20 * r()) * HOUR_MS;
    steps.push({ at: reopened, step: 'reopened' }, { at: reopened + (2 + 10 * r()) * HOUR_MS, step: 'resolved' });
  }
  return { dueAt, steps };
}

/** A citizen's rating of a resolution: mostly content when it came in time, less so the second time round. */
function rating(late: boolean, reopened: boolean, r: Rng): number {
  const x = r();
  if (reopened) return x < 0.5 ? 2 : 3;
  if (late) return x < 0.3 ? 1 : x < 0.6 ? 2 : 3;
  return x < 0.6 ? 5 : x < 0.9 ? 4 : 3;
}

/** One emitter per channel (`city/feedback/<channel>`), sharing `weight` by the channels' shares. */
export function createFeedbackChannels(areas: readonly SimArea[], weight: number): Emitter[] {
  // Dense urban wards report most: more people, and more of them on the app.
  const areaWeights = areas.map((a) => a.people * (a.urban ? 2 : 1));
  return CHANNELS.map(({ channel, share, located }, index) => {
    const open: Report[] = [];
    let filed = 0;
    let seq = 0;

    const file = (t: number, tag: string, r: Rng): Report => {
      filed++;
      const area = areas[pickWeighted(r, areaWeights)]!;
      const { category, dueH } = CATEGORIES[pickWeighted(r, CATEGORY_WEIGHTS)]!;
      let place = `"area":"${area.code}"`;
      if (located) {
        const [lon, lat] = area.randomPoint(r);
        place = `"lat":${fixed(lat, 6)},"lon":${fixed(lon, 6)}`;
      }
      const { dueAt, steps } = plan(t, dueH, r);
      return {
        head: `"reportId":"PA-${tag}-${index}-${filed}","category":"${category}","channel":"${channel}",${place}`,
        unit: `ubnd-${area.code.replace(/_/g, '-')}`,
        dueAt,
        steps,
        reopened: false,
      };
    };

    /** The open report whose next step is the earliest due by `t`, if any. */
    const due = (t: number): number => {
      let best = -1;
      for (let i = 0; i < open.length; i++)
        if (open[i]!.steps[0]!.at <= t && (best < 0 || open[i]!.steps[0]!.at < open[best]!.steps[0]!.at)) best = i;
      return best;
    };

    return {
      topic: `city/feedback/${channel}`,
      weight: weight * share,
      next(t, tag, r) {
        let i = due(t);
        if (i < 0) {
          if (open.length >= MAX_OPEN || r() >= intake(hanoiHour(t))) return null;
          open.push(file(t, tag, r));
          i = open.length - 1;
        }
        const report = open[i]!;
        const { step } = report.steps.shift()!;
        if (report.steps.length === 0) {
          open[i] = open[open.length - 1]!;
          open.pop();
        }
        seq++;
        let body = `{"id":"fb-${channel}-${tag}-${seq}","ts":"${rfc3339Hanoi(t)}",${report.head},"status":"${step}"`;
        if (step !== 'received') body += `,"unit":"${report.unit}","dueAt":"${rfc3339Hanoi(Math.round(report.dueAt))}"`;
        if (step === 'reopened') report.reopened = true;
        if (step === 'resolved' && r() < 0.7) body += `,"rating":${rating(t > report.dueAt, report.reopened, r)}`;
        return `${body}}`;
      },
    };
  });
}
