// The registry end to end on a running engine: `ioc devices import` with a file holding a bad record, the live device
// layer marking who owns each device (and who is unregistered), and the briefing ranking agencies by data quality,
// a registered device that sent nothing all day counting against its agency.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hanoiYesterday, loadBriefingDay } from '../support/briefing-day.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';

interface AgencyQuality {
  agency: string;
  devices: number;
  silentDays: number;
  score: number;
  completeness: number;
}

const IOC = fileURLToPath(new URL('../../bin/ioc.mjs', import.meta.url));
const date = hanoiYesterday();
let engine: TestEngine;
let file: string;

const CSV = [
  'id,family,agency,agency_name,model,installed_on,maintenance,area',
  'bf-cam-hk,camera,cong-an-thanh-pho,Công an Thành phố Hà Nội,Camera AI 4MP,2024-01-10,in_service,hoan_kiem',
  'bf-cam-dd,camera,cong-an-thanh-pho,,,2024-01-10,,dong_da',
  'bf-air-dd,sensor,so-nnmt,Sở Nông nghiệp và Môi trường,,2023-06-01,,dong_da',
  'bf-air-hk,sensor,so-nnmt,,,,,hoan_kiem',
  'bf-air-cg,sensor,so-nnmt,,,,,cau_giay',
  // Registered and in service, but never heard from: a zero for its agency every day.
  'bf-air-silent,sensor,so-nnmt,,,2020-01-01,,ba_dinh',
  // Known to be off, or not installed yet: not held against anyone.
  'bf-air-retired,sensor,so-nnmt,,,2020-01-01,retired,ba_dinh',
  'bf-air-planned,sensor,so-nnmt,,,2099-01-01,,ba_dinh',
  'bf-bad,sensor,so-nnmt,,,,,atlantis',
].join('\n');

/** The CLI as a child process (asynchronously: the engine it talks to runs in this one). */
function ioc(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [IOC, 'devices', ...args],
      { encoding: 'utf8', env: { ...process.env, IOC_URL: engine.url } },
      (err, stdout, stderr) =>
        resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  engine = await startTestEngine();
  file = join(engine.dir, 'devices.csv');
  writeFileSync(file, CSV);
});
afterAll(async () => {
  await engine?.dispose();
});

describe('ioc devices import', () => {
  it('checks a file with --dry-run, then registers its good records and lists the refused one', async () => {
    const dry = await ioc('import', file, '--dry-run');
    expect(dry.stdout).toBe(`${file}: 8 devices would be registered, 1 refused (dry run: nothing changed)\n`);
    expect((await engine.get('/api/devices/bf-cam-hk')).status).toBe(404);

    const run = await ioc('import', file);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe(`${file}: 8 devices registered or updated, 1 refused\n`);
    expect(run.stderr).toBe(
      `${file}:10: refused "bf-bad": field "area": "atlantis" is not a ward or commune code (GET /api/areas?level=ward lists them)\n`,
    );
    expect((await engine.get('/api/devices/bf-cam-hk')).body).toMatchObject({
      registered: true,
      agency: 'cong-an-thanh-pho',
      agencyName: 'Công an Thành phố Hà Nội',
      model: 'Camera AI 4MP',
      installedOn: '2024-01-10',
      area: 'hoan_kiem',
      updatedBy: 'anonymous',
    });
  });

  it('says what is wrong with its arguments, a missing file, or an engine that refuses', async () => {
    expect((await ioc()).status).toBe(2);
    expect((await ioc('import')).stderr).toMatch(/give exactly one CSV file/);
    const missing = await ioc('import', join(engine.dir, 'nope.csv'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.csv/);
    writeFileSync(join(engine.dir, 'bad.csv'), 'serial,owner\n1,2\n');
    const bad = await ioc('import', join(engine.dir, 'bad.csv'));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(
      /^ioc devices: POST \/api\/devices\/import: 400 line 1 \(the header\): column 1 "serial"/,
    );
  });
});

describe('the registry in the live layer and the briefing', () => {
  it('marks each live device with its agency, or as unregistered', async () => {
    const now = Date.now();
    const ev = (id: string, area: string) => ({
      id: `${id}-live`,
      ts: new Date(now).toISOString(),
      cameraId: id,
      lat: 21.0282,
      lon: 105.788,
      area,
      counts: { car: 1, motorbike: 5, bus: 0, truck: 0, bicycle: 0, pedestrian: 2 },
      intervalS: 60,
      avgSpeedKmh: 30,
    });
    const sent = await engine.post('/api/ingest?family=camera', [
      ev('bf-cam-hk', 'hoan_kiem'),
      ev('bf-cam-cg', 'cau_giay'),
    ]);
    expect(sent.body).toMatchObject({ stored: 2, rejected: [] });
    await engine.settle();
    const devices = (await engine.get('/api/devices')).body.devices as { id: string }[];
    expect(devices.find((d) => d.id === 'bf-cam-hk')).toMatchObject({
      registered: true,
      agency: 'cong-an-thanh-pho',
      agencyName: 'Công an Thành phố Hà Nội',
      maintenance: 'in_service',
    });
    expect(devices.find((d) => d.id === 'bf-cam-cg')).toMatchObject({
      registered: false,
      agency: null,
      maintenance: null,
    });
    const layer = tableFromIPC(new Uint8Array(await (await fetch(`${engine.url}/api/layers/devices`)).arrayBuffer()));
    const ids = layer.getChild('id')!.toArray() as string[];
    const agency = layer.getChild('agency')!;
    expect(agency.get(ids.indexOf('bf-cam-hk'))).toBe('Công an Thành phố Hà Nội');
    expect(agency.get(ids.indexOf('bf-cam-cg'))).toBeNull();
    // An unregistered device is still known by what it sent.
    expect((await engine.get('/api/devices/bf-cam-cg')).body).toMatchObject({
      id: 'bf-cam-cg',
      registered: false,
      seen: [{ family: 'camera', area: 'cau_giay' }],
    });
  });

  it('ranks the agencies by data quality, a silent registered device counting as zero', async () => {
    await loadBriefingDay(engine, date);
    const { body } = await engine.get(`/api/briefing?date=${date}&lang=en`);
    const byAgency = Object.fromEntries((body.dataQuality.agencies as AgencyQuality[]).map((a) => [a.agency, a]));
    expect(Object.keys(byAgency).sort()).toEqual(['cong-an-thanh-pho', 'so-nnmt', 'ubnd-dong-da']);
    expect(byAgency['cong-an-thanh-pho']).toMatchObject({ devices: 2, silentDays: 0, completeness: 1 });
    // Three air sensors reported every hour, the fourth never: the agency's day is their mean with a zero.
    expect(byAgency['so-nnmt']).toMatchObject({ devices: 4, silentDays: 1, completeness: 0.75 });
    const reporting = await engine.sql(
      `SELECT avg(score) FROM data_quality WHERE day = '${date}' AND id IN ('bf-air-dd', 'bf-air-hk', 'bf-air-cg')`,
    );
    expect(byAgency['so-nnmt']!.score).toBeCloseTo((Number(reporting[0]![0]) * 3) / 4, 3);
    const scores = (body.dataQuality.agencies as { score: number }[]).map((a) => a.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
    // The camera in Cầu Giấy and the water sensor sent data with no registry entry (the live camera was today).
    expect(body.dataQuality.unregistered).toBe(2);
    const narrative = body.narrative.join(' ');
    expect(narrative).toMatch(
      /Data quality \(accurate, sufficient, clean, live\) by agency, out of 100: best .+, worst ubnd-dong-da \(\d+\)\./,
    );
    expect(narrative).toContain('2 cameras and sensors sent data without being in the device registry.');
  });
});
