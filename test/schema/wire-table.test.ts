// The README's wire table says what the family definitions say, and every family is whole: its columns derive,
// its events decode, and a bad one is refused with a reason naming the field.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../engine/decode.ts';
import { FAMILIES, FAMILY_DEFS, restrictedTables } from '../../engine/schema/index.ts';
import { WIRE_TABLE_HEADER, wireTable } from '../../engine/schema/wire-docs.ts';
import { bytes, eventOf } from '../support/events.ts';

const limits = { maxPayloadBytes: 1 << 20, maxFutureMs: 86_400_000, locate: () => 'hoan_kiem', isArea: () => true };
const decode = (family: string, event: unknown) => decodeMessage(family, bytes(event), Date.now(), limits);

describe('the wire table', () => {
  it('in the README is the one the definitions write (npx tsx bin/wire-table.ts)', () => {
    const lines = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').split('\n');
    const at = lines.indexOf(WIRE_TABLE_HEADER);
    expect(at, `README.md has no line "${WIRE_TABLE_HEADER}"`).toBeGreaterThanOrEqual(0);
    const table: string[] = [];
    for (let i = at; i < lines.length && lines[i]!.startsWith('|'); i++) table.push(lines[i]!);
    expect(table).toEqual(wireTable());
  });
});

describe('every family', () => {
  for (const f of FAMILIES) {
    it(`${f}: a valid event decodes into a row of every column, and a wrong field is named`, () => {
      const ok = decode(f, eventOf(f, 1));
      expect(ok.rejects).toEqual([]);
      expect(ok.rows).toHaveLength(1);
      const row = ok.rows[0]!;
      for (const c of FAMILY_DEFS[f].columns) expect(() => c.get(row as never)).not.toThrow();
      const bad = decode(f, { ...eventOf(f, 2), ts: 'yesterday' });
      expect(bad.rows).toEqual([]);
      expect(bad.rejects[0]?.reason).toMatch(new RegExp(`invalid ${f} event \\(id "[^"]+"\\): field "ts"`));
    });
  }

  it('security: enums and required ids are held to the contract', () => {
    expect(decode('security', { ...eventOf('security', 1), severity: 'urgent' }).rejects[0]?.reason).toMatch(
      /field "severity" .*low.*medium.*high.*critical/,
    );
    const { incidentId: _dropped, ...noIncident } = eventOf('security', 2);
    expect(decode('security', noIncident).rejects[0]?.reason).toMatch(/field "incidentId" is required/);
  });

  it('feedback: a rating is 1 to 5, and a report says where it happened', () => {
    expect(decode('feedback', { ...eventOf('feedback', 1), rating: 6 }).rejects[0]?.reason).toMatch(
      /field "rating" must be 1 to 5/,
    );
    const { lat: _lat, lon: _lon, ...nowhere } = eventOf('feedback', 2);
    expect(decode('feedback', nowhere).rejects[0]?.reason).toMatch(/field "area" is required, or "lat" and "lon"/);
    const { lon: _lon2, ...half } = eventOf('feedback', 3);
    expect(decode('feedback', half).rejects[0]?.reason).toMatch(/field "lon" is required with lat/);
    expect(decode('feedback', { ...nowhere, area: 'hoan_kiem' }).rows).toHaveLength(1);
  });

  it('derived columns are snake_case and typed from the schema', () => {
    const cols = Object.fromEntries(FAMILY_DEFS.feedback.columns.map((c) => [c.name, c.type]));
    expect(cols).toMatchObject({
      report_id: 'VARCHAR',
      due_at: 'TIMESTAMPTZ',
      rating: 'INTEGER',
      lat: 'DOUBLE',
      extra: 'JSON',
      received_at: 'TIMESTAMPTZ',
    });
    expect(FAMILY_DEFS.security.columns.map((c) => c.name)).toContain('detected_at');
  });

  it('restricted tables are the security family, its folded incidents and its statistics', () => {
    expect([...restrictedTables().keys()].sort()).toEqual([
      'security_agency_stats',
      'security_events',
      'security_incidents',
    ]);
  });
});
