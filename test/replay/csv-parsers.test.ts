// The three CSV readers (the views' reference tables, the holidays list, replay files) read a quoted line break, a
// quoted comma, a doubled quote and CRLF the same way, and name the line a later bad row starts on.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HolidaysFileError, parseHolidays } from '../../engine/calendar/index.ts';
import { parseRefTable } from '../../engine/views/tables.ts';
import { csvRows, readEvents } from '../../sources/replay/index.ts';

type Item = ReturnType<typeof readEvents> extends AsyncGenerator<infer T> ? T : never;

const HEADER = 'date,name_vi,name_en,kind,basis';
const NAME = 'Tết Dương lịch,\r\n"ngày đầu năm"';
const ROW = `2026-01-01,"${NAME.replaceAll('"', '""')}",New Year,off,law`;
/** Line 1 the header, lines 2–3 one record, line 4 the next. */
const TEXT = `${HEADER}\r\n${ROW}\r\n`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ioc-csv-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function replayed(text: string): Promise<Item[]> {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, text);
  const items: Item[] = [];
  for await (const item of readEvents(file)) items.push(item);
  return items;
}

describe('a quoted line break', () => {
  it('is one field, read the same by all three', async () => {
    const table = parseRefTable('views/_tables/days_off.csv', TEXT);
    const [holiday] = parseHolidays(TEXT, 'h.csv');
    const [item] = await replayed(`${HEADER},dossierId\r\n${ROW},hs-1\r\n`);
    const [, row] = [...csvRows([TEXT])];
    expect(table.rows).toEqual([['2026-01-01', NAME, 'New Year', 'off', 'law']]);
    expect(holiday!.name_vi).toBe(NAME);
    expect(item).toMatchObject({ family: 'service', line: 2, event: { name_vi: NAME, dossierId: 'hs-1' } });
    expect(row![1]).toBe(NAME);
  });

  it('moves the next record to the line after it, in every error and skip', async () => {
    expect(() => parseRefTable('views/_tables/days_off.csv', `${TEXT}2026-01-02,a\r\n`)).toThrow(
      /days_off\.csv:4: 2 values for 5 columns/,
    );
    expect(() => parseHolidays(`${TEXT}2026-01-02,a,b,holiday,law\r\n`, 'h.csv')).toThrow(/h\.csv:4: kind/);
    const items = await replayed(`${HEADER}\r\n${ROW}\r\n2026-01-02,a,b,off,law\r\n`);
    expect(items.map((i) => ('skipped' in i ? `skip@${i.line}` : i.family))).toEqual(['skip@2', 'skip@4']);
  });

  it('left open is an error naming the file and the line the quote opens on', async () => {
    const open = `${HEADER}\n2026-01-01,"never closed,x,off,law\n`;
    expect(() => parseRefTable('views/_tables/days_off.csv', open)).toThrow(/days_off\.csv:\d+: .*Quote Not Closed/);
    expect(() => parseHolidays(open, 'h.csv')).toThrow(HolidaysFileError);
    await expect(replayed(open)).rejects.toThrow(/\.csv:\d+: .*Quote Not Closed/);
  });
});
