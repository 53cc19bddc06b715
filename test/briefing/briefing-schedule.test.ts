// The morning email's timing: the next BRIEFING_AT in Hanoi time from any instant, retries, the leader alone sending,
// and nothing scheduled without an outbox or recipients.
import { describe, expect, it } from 'vitest';
import { nextBriefingAt, startBriefingSchedule } from '../../engine/briefing/index.ts';
import { createLogger } from '../../engine/log.ts';
import { briefingSchema, type Briefing } from '../../dashboards/shared/wire/index.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { RecordingOutbox } from '../support/recording-outbox.ts';

const utc = (s: string) => Date.parse(s);
const log = createLogger('silent');
const config = { briefingAt: '07:00', briefingTo: ['lanhdao@hanoi.gov.vn', 'ioc@hanoi.gov.vn'] };

/** A day without data: the smallest briefing there is. */
const empty = (date: string): Briefing =>
  briefingSchema.parse({
    date,
    span: 'day',
    from: new Date(Date.parse(`${date}T00:00:00+07:00`)).toISOString(),
    to: new Date(Date.parse(`${date}T00:00:00+07:00`) + 86_400_000).toISOString(),
    lang: 'vi',
    generatedAt: '2026-12-06T00:00:00.000Z',
    simulated: true,
    scale: 'VN_AQI',
    hasData: false,
    kpis: [],
    themes: [],
    incidents: {
      total: 0,
      byType: [],
      byArea: [],
      items: [],
      response: {
        total: 0,
        detectedInHour: 0,
        resolved: 0,
        resolvedIn4h: 0,
        medianDetectS: null,
        medianResolveS: null,
      },
    },
    alerts: [],
    raised: { total: 0, bySeverity: [], acknowledged: 0, items: [] },
    air: { indicator: null, threshold: 101, hours: [] },
    dataQuality: { agencies: [], unregistered: 0 },
    feedback: null,
    sections: [],
    narrative: [`Không có dữ liệu ngày ${date.split('-').reverse().join('/')}.`],
  });

describe('nextBriefingAt', () => {
  it('is today at 07:00 Hanoi (00:00 UTC) before it, tomorrow from it on', () => {
    expect(nextBriefingAt(utc('2026-12-05T23:00:00Z'), '07:00')).toBe(utc('2026-12-06T00:00:00Z'));
    expect(nextBriefingAt(utc('2026-12-05T23:59:59.999Z'), '07:00')).toBe(utc('2026-12-06T00:00:00Z'));
    expect(nextBriefingAt(utc('2026-12-06T00:00:00Z'), '07:00')).toBe(utc('2026-12-07T00:00:00Z'));
    expect(nextBriefingAt(utc('2026-12-06T01:00:00Z'), '07:00')).toBe(utc('2026-12-07T00:00:00Z'));
  });

  it('counts days in Hanoi, not UTC, across midnight UTC and at the end of a month and a year', () => {
    // 00:30 in Hanoi on 6 Dec is 17:30 UTC on 5 Dec: 00:15 has passed, so the next is 00:15 on 7 Dec.
    expect(nextBriefingAt(utc('2026-12-05T17:30:00Z'), '00:15')).toBe(utc('2026-12-06T17:15:00Z'));
    // 23:00 in Hanoi on 5 Dec (16:00 UTC): 23:30 is still today.
    expect(nextBriefingAt(utc('2026-12-05T16:00:00Z'), '23:30')).toBe(utc('2026-12-05T16:30:00Z'));
    // 08:00 UTC on 31 Dec is 15:00 in Hanoi: 07:00 next comes on 1 Jan, at 00:00 UTC.
    expect(nextBriefingAt(utc('2026-12-31T08:00:00Z'), '07:00')).toBe(utc('2027-01-01T00:00:00Z'));
    // 20:00 UTC on 28 Feb is 03:00 on 1 Mar in Hanoi.
    expect(nextBriefingAt(utc('2027-02-28T20:00:00Z'), '07:00')).toBe(utc('2027-03-01T00:00:00Z'));
  });
});

describe('startBriefingSchedule', () => {
  it('schedules nothing without an outbox or without recipients', () => {
    const briefing = async () => empty('2026-12-05');
    expect(startBriefingSchedule({ config, outbox: null, briefing, log })).toBeNull();
    expect(
      startBriefingSchedule({ config: { ...config, briefingTo: [] }, outbox: new RecordingOutbox(), briefing, log }),
    ).toBeNull();
  });

  it("sends yesterday's briefing at 07:00, then waits for the next day", async () => {
    const clock = new ManualClock(utc('2026-12-05T20:00:00Z'));
    const outbox = new RecordingOutbox();
    const asked: unknown[] = [];
    const schedule = startBriefingSchedule({
      config,
      outbox,
      briefing: async (q) => (asked.push(q), empty(q.date)),
      clock,
      log,
    })!;
    expect(schedule.next).toBe(utc('2026-12-06T00:00:00Z'));
    expect(clock.delays).toEqual([4 * 3_600_000]);
    clock.fire();
    await outbox.until(1);
    await schedule.idle();
    expect(asked).toEqual([{ date: '2026-12-05', span: 'day', lang: 'vi' }]);
    const [post] = outbox.posts;
    expect(post!.kind).toBe('briefing');
    expect(post!.message).toMatchObject({
      to: config.briefingTo,
      subject: 'Báo cáo điều hành ngày 05/12/2026 — IOC Hà Nội',
      text: 'Không có dữ liệu ngày 05/12/2026.',
      attachments: [{ filename: 'briefing-2026-12-05.pdf', contentType: 'application/pdf' }],
    });
    expect(new TextDecoder().decode(post!.message.attachments![0]!.content.slice(0, 5))).toBe('%PDF-');
    expect(schedule.next).toBe(utc('2026-12-07T00:00:00Z'));
    expect(clock.pending).toBe(1);
    schedule.stop();
    expect(clock.pending).toBe(0);
  });

  it('tries a failed render once more a few minutes later, then gives the day up without stopping', async () => {
    const clock = new ManualClock(utc('2026-12-05T23:59:00Z'));
    const outbox = new RecordingOutbox();
    let calls = 0;
    const schedule = startBriefingSchedule({
      config,
      outbox,
      briefing: async (q) => {
        calls++;
        if (calls !== 2) throw new Error('the database is busy');
        return empty(q.date);
      },
      clock,
      log,
      retryMs: 300_000,
    })!;
    clock.fire();
    await schedule.idle();
    expect(schedule.next).toBe(utc('2026-12-06T00:05:00Z'));
    clock.fire();
    await outbox.until(1);
    await schedule.idle();
    expect(outbox.posts[0]!.message.subject).toContain('05/12/2026');
    expect(schedule.next).toBe(utc('2026-12-07T00:00:00Z'));
    // The next day fails twice: no email, and the day after is still scheduled.
    clock.fire();
    await schedule.idle();
    clock.fire();
    await schedule.idle();
    expect(outbox.posts).toHaveLength(1);
    expect(schedule.next).toBe(utc('2026-12-08T00:00:00Z'));
    schedule.stop();
  });

  it('leaves the sending to the leader when this replica follows', async () => {
    const clock = new ManualClock(utc('2026-12-05T23:00:00Z'));
    const outbox = new RecordingOutbox();
    let leader = false;
    const schedule = startBriefingSchedule({
      config,
      outbox,
      briefing: async (q) => empty(q.date),
      isLeader: () => leader,
      clock,
      log,
    })!;
    clock.fire();
    await schedule.idle();
    expect(outbox.posts).toHaveLength(0);
    expect(schedule.next).toBe(utc('2026-12-07T00:00:00Z'));
    leader = true;
    clock.fire();
    await outbox.until(1);
    expect(outbox.posts[0]!.message.subject).toBe('Báo cáo điều hành ngày 06/12/2026 — IOC Hà Nội');
    schedule.stop();
  });
});
