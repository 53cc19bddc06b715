// The wall's ticker marks an alert nobody acknowledged in time: "Đã báo cấp trên" / "Escalated".
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../dashboards/shared/wire/index.ts';
import { AlertBoard, renderTicker } from '../../dashboards/wall/alert-board.ts';

const alert = (id: string, escalatedAt: string | null): Alert => ({
  id,
  rule: 'heavy_rain',
  kind: 'threshold',
  severity: 'warning',
  area: 'tay_ho',
  subject: 'tay_ho',
  title: { vi: 'Mưa lớn', en: 'Heavy rain' },
  status: 'open',
  value: 90,
  threshold: 50,
  message: 'rainfall 90 mm',
  conditionSince: '2026-12-06T15:00:00.000Z',
  openedAt: '2026-12-06T15:05:00.000Z',
  acknowledgedAt: null,
  acknowledgedBy: null,
  comment: null,
  resolvedAt: null,
  resolvedBy: null,
  incidentId: null,
  escalatedAt,
});

describe('the alert ticker', () => {
  it('shows the escalated badge on an escalated alert only, in the wall’s language', () => {
    const board = new AlertBoard();
    board.set([alert('a-late', '2026-12-06T15:20:00.000Z'), alert('a-new', null)]);
    for (const [lang, word] of [
      ['vi', 'Đã báo cấp trên'],
      ['en', 'Escalated'],
    ] as const) {
      const el = { dataset: {}, innerHTML: '' } as unknown as HTMLElement;
      renderTicker(el, board, lang, { kiosk: false, areaName: (c) => c });
      const items = el.innerHTML.split('<span class="alert-item').slice(1);
      expect(items.find((i) => i.includes('data-alert="a-late"'))).toContain(`<span class="escalated">${word}</span>`);
      expect(items.find((i) => i.includes('data-alert="a-new"'))).not.toContain('class="escalated"');
    }
  });
});
