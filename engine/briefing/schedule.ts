// The morning email: at BRIEFING_AT (Hanoi time) yesterday's briefing is rendered to PDF in Vietnamese and handed to the
// outbox for BRIEFING_TO; then the next day is scheduled. One timer; on a cluster only the leader sends.
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Outbox } from '../notify/mail.ts';
import { DAY_MS, hanoiDate, hanoiDateStart } from '../sql/index.ts';
import type { Span } from './period.ts';
import type { Lang } from './narrative.ts';
import { briefingPdfName, dateLabel, renderBriefingPdf } from './pdf.ts';
import type { Briefing } from '../../dashboards/shared/wire/index.ts';

/** A failed render is tried once more this long after. */
const RETRY_MS = 5 * 60_000;

/** The first instant strictly after `now` at which Hanoi's clock reads `at` (HH:MM; Hanoi keeps UTC+7 all year). */
export function nextBriefingAt(now: number, at: string): number {
  const [h, m] = at.split(':').map(Number);
  const offset = (h! * 60 + m!) * 60_000;
  const today = hanoiDateStart(hanoiDate(now)) + offset;
  return today > now ? today : today + DAY_MS;
}

/** Time and timers, replaceable in tests. `set` returns the way to cancel what it set. */
export interface ScheduleClock {
  now(): number;
  set(fn: () => void, ms: number): () => void;
}

const systemClock: ScheduleClock = {
  now: () => Date.now(),
  set(fn, ms) {
    // Never what keeps the process alive: the engine's stop is.
    const t = setTimeout(fn, ms).unref();
    return () => clearTimeout(t);
  },
};

export interface BriefingScheduleOptions {
  config: Pick<Config, 'briefingAt' | 'briefingTo'>;
  /** Null when no SMTP server is configured: nothing is scheduled. */
  outbox: Outbox | null;
  briefing: (q: { date: string; span: Span; lang: Lang }) => Promise<Briefing>;
  /** Whether this replica sends (a cluster's leader; alone, always). */
  isLeader?: () => boolean;
  clock?: ScheduleClock;
  log: Logger;
  retryMs?: number;
}

export interface BriefingSchedule {
  /** When the next briefing goes out (epoch ms), or a retry of a failed one. */
  readonly next: number;
  /** Resolves once the send in progress (if any) is done; for tests and a clean stop. */
  idle(): Promise<void>;
  stop(): void;
}

/** Starts the daily briefing email; null (nothing scheduled) without an outbox or without recipients. */
export function startBriefingSchedule(o: BriefingScheduleOptions): BriefingSchedule | null {
  const { outbox, config, log } = o;
  if (!outbox || config.briefingTo.length === 0) return null;
  const clock = o.clock ?? systemClock;
  let cancel: (() => void) | null = null;
  let next = 0;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const arm = (at: number, retry: boolean): void => {
    if (stopped) return;
    next = at;
    cancel = clock.set(
      () => {
        cancel = null;
        running = fire(at, retry);
      },
      Math.max(0, at - clock.now()),
    );
  };

  const fire = async (due: number, retry: boolean): Promise<void> => {
    // A timer may wake early (a changed clock): wait for the instant it was set for.
    if (clock.now() < due) return arm(due, retry);
    const scheduled = retry ? due - (o.retryMs ?? RETRY_MS) : due;
    const date = hanoiDate(scheduled - DAY_MS);
    if (o.isLeader && !o.isLeader()) {
      log.debug('briefing email left to the leader', { date });
      return arm(nextBriefingAt(clock.now(), config.briefingAt), false);
    }
    try {
      const briefing = await o.briefing({ date, span: 'day', lang: 'vi' });
      const pdf = await renderBriefingPdf(briefing, 'vi');
      // Stopped while rendering: the engine is going down, and the next start schedules again.
      if (stopped) return;
      outbox.post('briefing', {
        to: config.briefingTo,
        subject: `Báo cáo điều hành ngày ${dateLabel(date)} — IOC Hà Nội`,
        text: briefing.narrative[0] ?? '',
        attachments: [{ filename: briefingPdfName(date), content: pdf, contentType: 'application/pdf' }],
      });
      log.info('briefing handed to the outbox', { date, to: config.briefingTo.length, bytes: pdf.byteLength });
    } catch (err) {
      if (!retry) {
        log.warn('briefing render failed; trying again', { date, err });
        return arm(clock.now() + (o.retryMs ?? RETRY_MS), true);
      }
      log.error('briefing render failed again; none sent today', { date, err });
    }
    arm(nextBriefingAt(Math.max(clock.now(), scheduled), config.briefingAt), false);
  };

  arm(nextBriefingAt(clock.now(), config.briefingAt), false);
  log.info('daily briefing scheduled', { at: config.briefingAt, next: new Date(next).toISOString() });
  return {
    get next() {
      return next;
    },
    idle: () => running,
    stop() {
      stopped = true;
      cancel?.();
      cancel = null;
    },
  };
}
