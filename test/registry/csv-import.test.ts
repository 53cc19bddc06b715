// The registry's CSV: each bad record refused with its line and a reason naming the field, the good ones kept; a file
// whose header cannot be read refused whole.
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../engine/errors.ts';
import { parseRegistryCsv } from '../../engine/registry/index.ts';

const WARDS = new Set(['ba_dinh', 'hoan_kiem', 'phu_xuyen']);
const isUnit = (code: string) => WARDS.has(code);
const parse = (text: string) => parseRegistryCsv(text, isUnit);

describe('parseRegistryCsv', () => {
  it('keeps the good records and refuses each bad one with its line and reason', () => {
    const csv = [
      'id,family,agency,agency_name,model,installed_on,maintenance,area',
      'cam-001,camera,cong-an-thanh-pho,Công an Thành phố Hà Nội,"Camera AI, 4MP",2024-03-15,in_service,ba_dinh',
      'cam-002,camera,cong-an-thanh-pho,,,2026-02-30,,ba_dinh',
      'cam-003,lamp,cong-an-thanh-pho,,,,,',
      'air-001,sensor,,,,,,',
      'air-002,sensor,so-nnmt,,,,broken,',
      'air-003,sensor,so-nnmt,,,,,former_ba_dinh',
      'so-tu-phap,service,so-tai-chinh,,,,,',
      'cam-001,camera,cong-an-thanh-pho,,,,,',
      'cam-004,camera,cong-an-thanh-pho,,,',
      'cam-005,camera,cong-an\u0007,,,,,',
      '"cam-006",camera,cong-an-thanh-pho,,"model on',
      'two lines",,maintenance,hoan_kiem',
      'cam-007,camera,cong-an-thanh-pho,,,1989-12-31,,',
      ',camera,cong-an-thanh-pho,,,,,',
      '#cam-008,camera,cong-an-thanh-pho,,,,retired,phu_xuyen',
      'so-tu-phap,service,so-tu-phap,Sở Tư pháp,,,,',
    ].join('\r\n');
    const { rows, refused } = parse(csv);
    // A first field may begin with # (no comment lines here).
    expect(rows.map((r) => r.id)).toEqual(['cam-001', '#cam-008', 'so-tu-phap']);
    expect(rows[0]).toEqual({
      id: 'cam-001',
      family: 'camera',
      agency: 'cong-an-thanh-pho',
      agencyName: 'Công an Thành phố Hà Nội',
      model: 'Camera AI, 4MP',
      installedOn: '2024-03-15',
      maintenance: 'in_service',
      area: 'ba_dinh',
    });
    // Empty cells take the defaults.
    expect(rows[1]).toMatchObject({ maintenance: 'retired', area: 'phu_xuyen', installedOn: null, model: null });
    expect(refused).toEqual([
      { line: 3, id: 'cam-002', reason: 'field "installed_on": must be a calendar date (that day does not exist)' },
      { line: 4, id: 'cam-003', reason: 'field "family": must be one of camera, sensor, service' },
      { line: 5, id: 'air-001', reason: 'field "agency": is required' },
      {
        line: 6,
        id: 'air-002',
        reason: 'field "maintenance": must be one of in_service, maintenance, faulty, retired',
      },
      {
        line: 7,
        id: 'air-003',
        reason: 'field "area": "former_ba_dinh" is not a ward or commune code (GET /api/areas?level=ward lists them)',
      },
      {
        line: 8,
        id: 'so-tu-phap',
        reason:
          'field "agency": a public-service source is its agency, so agency must be "so-tu-phap" (got "so-tai-chinh")',
      },
      { line: 9, id: 'cam-001', reason: 'device "cam-001" is already on line 2: each device once per file' },
      { line: 10, id: 'cam-004', reason: 'has 6 fields where the header names 8' },
      {
        line: 11,
        id: 'cam-005',
        reason: 'field "agency": must not contain control characters (U+0000–U+001F, U+007F–U+009F)',
      },
      // A quoted line break is read as CSV, then refused as a control character in the field (the line is its first).
      {
        line: 12,
        id: 'cam-006',
        reason: 'field "model": must not contain control characters (U+0000–U+001F, U+007F–U+009F)',
      },
      { line: 14, id: 'cam-007', reason: 'field "installed_on": must be 1990-01-01 or later' },
      { line: 15, id: null, reason: 'field "id": is required' },
    ]);
  });

  it('reads the columns in any order and any case, after a byte-order mark, with only the required ones', () => {
    const { rows, refused } = parse('\uFEFFAgency,ID,Family\nso-nnmt,air-1,sensor\n\nso-nnmt,air-2,sensor\n');
    expect(refused).toEqual([]);
    expect(rows).toEqual([
      expect.objectContaining({ id: 'air-1', agency: 'so-nnmt', family: 'sensor', maintenance: 'in_service' }),
      expect.objectContaining({ id: 'air-2' }),
    ]);
  });

  it('refuses a file whose header or syntax cannot be read, naming the line and the problem', () => {
    const refusal = (text: string) => {
      try {
        parse(text);
      } catch (err) {
        expect(err).toBeInstanceOf(EngineError);
        return `${(err as EngineError).status} ${(err as Error).message}`;
      }
      throw new Error('accepted');
    };
    expect(refusal('')).toMatch(/^400 the CSV is empty/);
    expect(refusal('id,family,owner\n')).toBe(
      '400 line 1 (the header): column 3 "owner" is not one of id, family, agency, agency_name, model, installed_on, maintenance, area; the required column "agency" is missing',
    );
    expect(refusal('id,family,agency,id\n')).toMatch(/column "id" is named twice/);
    expect(refusal('id,family,agency\ncam-1,camera,"open\n')).toMatch(/^400 the CSV is not well formed at line 2/);
    const many = ['id,family,agency', ...Array.from({ length: 10_001 }, (_, i) => `c${i},camera,x`)].join('\n');
    expect(refusal(many)).toMatch(/^413 the CSV has 10001 devices; import at most 10000 per file/);
  });
});
