// feedback_by_category: reports per Hanoi day, area and category, from the reports folded in any arrival order.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storedReports, type StoredReports } from './stored-reports.ts';

const DAY = Date.parse('2026-11-20T00:00:00+07:00');
const H = 3_600_000;
let reports: StoredReports;

beforeEach(async () => {
  reports = await storedReports();
});
afterEach(async () => {
  await reports.close();
});

describe('feedback_by_category', () => {
  it('counts received, resolved, resolved on time and still open per day, area and category', async () => {
    const { send } = reports;
    const dueNoon = { dueAt: new Date(DAY + 12 * H).toISOString() };
    // Waste in cau_giay on the 20th: PA-1 resolved on time, PA-2 resolved late on the 21st (its resolution sent
    // first), PA-3 still open; a lighting report placed by its position (hoan_kiem) rejected the same day.
    send('PA-1', 'received', DAY + 8 * H, { area: 'cau_giay' });
    send('PA-1', 'resolved', DAY + 11 * H, { area: 'cau_giay', ...dueNoon });
    send('PA-2', 'resolved', DAY + 30 * H, { area: 'cau_giay', ...dueNoon });
    send('PA-2', 'received', DAY + 9 * H, { area: 'cau_giay' });
    send('PA-3', 'received', DAY + 10 * H, { area: 'cau_giay' });
    send('PA-3', 'received', DAY + 10 * H, { area: 'cau_giay' });
    send('PA-4', 'received', DAY + 9 * H, { category: 'lighting' });
    send('PA-4', 'rejected', DAY + 10 * H, { category: 'lighting' });
    // Flooding reopened and resolved again on the 21st: it counts once, on its last resolution's day, late.
    send('PA-5', 'received', DAY + 7 * H, { area: 'cau_giay', category: 'flooding' });
    send('PA-5', 'resolved', DAY + 8 * H, { area: 'cau_giay', category: 'flooding', ...dueNoon });
    send('PA-5', 'reopened', DAY + 20 * H, { area: 'cau_giay', category: 'flooding' });
    send('PA-5', 'resolved', DAY + 26 * H, { area: 'cau_giay', category: 'flooding' });
    await reports.flush();
    const rows = await reports.store.reader.objects(
      `SELECT strftime(day, '%d') AS day, area, category, received::INT AS received, resolved::INT AS resolved,
              resolved_on_time::INT AS on_time, backlog::INT AS backlog
       FROM feedback_by_category ORDER BY day, area, category`,
    );
    expect(rows).toEqual([
      { day: '20', area: 'cau_giay', category: 'flooding', received: 1, resolved: 0, on_time: 0, backlog: 0 },
      { day: '20', area: 'cau_giay', category: 'waste', received: 3, resolved: 1, on_time: 1, backlog: 1 },
      { day: '20', area: 'hoan_kiem', category: 'lighting', received: 1, resolved: 0, on_time: 0, backlog: 0 },
      { day: '21', area: 'cau_giay', category: 'flooding', received: 0, resolved: 1, on_time: 0, backlog: 0 },
      { day: '21', area: 'cau_giay', category: 'waste', received: 0, resolved: 1, on_time: 0, backlog: 0 },
    ]);
  });
});
