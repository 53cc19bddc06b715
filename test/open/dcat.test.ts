// The DCAT-AP document harvesters read, checked strictly without a JSON-LD processor (none is installed): the context,
// one dcat:Catalog, and for every dataset each property DCAT-AP requires or recommends, absolute URLs, language tags,
// EU vocabularies for frequency and file type, and a distribution per format.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveApp, type ServeApp } from '../serve/serve-app.ts';

let a: ServeApp;
const WORDS = {
  title: { vi: 'Lưu lượng giao thông', en: 'Traffic flow' },
  description: { vi: 'Xe mỗi phút theo phường.', en: 'Vehicles per minute by ward.' },
  licence: 'CC-BY-4.0',
  frequency: 'continuous',
  keywords: ['traffic', 'giao thông'],
};

beforeAll(async () => {
  a = await serveApp({ openBaseUrl: 'https://data.hanoi.example/' });
  expect((await a.request('PUT', '/api/open/traffic', { body: { view: 'traffic_flow', ...WORDS } })).status).toBe(200);
  await a.request('PUT', '/api/queries/speed_by_area', {
    body: { sql: 'SELECT t, area, avg(value) AS value, sum(n) AS n FROM avg_speed GROUP BY t, area' },
  });
  const q = await a.request('PUT', '/api/open/speed', {
    body: { query: 'speed_by_area', ...WORDS, licence: 'ODbL-1.0', frequency: 'daily', keywords: [] },
  });
  expect(q.status, JSON.stringify(q.body)).toBe(200);
});
afterAll(async () => {
  await a?.close();
});

const absolute = (v: unknown): boolean => typeof v === 'string' && /^https?:\/\/[^\s]+$/.test(v);
const id = (v: unknown): string => {
  expect(v).toEqual({ '@id': expect.any(String) });
  const s = (v as { '@id': string })['@id'];
  expect(absolute(s), s).toBe(true);
  return s;
};
const bilingual = (v: unknown) => {
  expect(Array.isArray(v)).toBe(true);
  const list = v as { '@value': string; '@language': string }[];
  expect(list.map((x) => x['@language']).sort()).toEqual(['en', 'vi']);
  for (const x of list) expect(x['@value'].length).toBeGreaterThan(0);
};
const dateTime = (v: unknown) =>
  expect(v).toEqual({ '@value': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), '@type': 'xsd:dateTime' });

describe('GET /open/api/datasets', () => {
  it('is a DCAT-AP catalogue in JSON-LD', async () => {
    const res = await a.request('GET', '/open/api/datasets');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/ld\+json/);
    const doc = res.body;
    expect(doc['@context']).toEqual({
      dcat: 'http://www.w3.org/ns/dcat#',
      dct: 'http://purl.org/dc/terms/',
      foaf: 'http://xmlns.com/foaf/0.1/',
      vcard: 'http://www.w3.org/2006/vcard/ns#',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
    });
    expect(doc['@type']).toBe('dcat:Catalog');
    expect(doc['@id']).toBe('https://data.hanoi.example/open/api/datasets');
    bilingual(doc['dct:title']);
    bilingual(doc['dct:description']);
    dateTime(doc['dct:modified']);
    expect(doc['dct:publisher']['@type']).toBe('foaf:Agent');
    bilingual(doc['dct:publisher']['foaf:name']);
    id(doc['foaf:homepage']);
    expect(doc['dcat:dataset'].map((d: { 'dct:identifier': string }) => d['dct:identifier'])).toEqual([
      'speed',
      'traffic',
    ]);
  });

  it('gives every dataset the properties harvesters need', async () => {
    const datasets = (await a.request('GET', '/open/api/datasets')).body['dcat:dataset'] as Record<string, any>[];
    for (const d of datasets) {
      expect(d['@type']).toBe('dcat:Dataset');
      expect(absolute(d['@id'])).toBe(true);
      expect(d['dct:identifier']).toMatch(/^[a-z][a-z0-9_-]+$/);
      bilingual(d['dct:title']);
      bilingual(d['dct:description']);
      for (const x of d['dct:description']) expect(x['@value']).toMatch(/5/);
      expect(Array.isArray(d['dcat:keyword'])).toBe(true);
      id(d['dct:license']);
      expect(id(d['dct:accrualPeriodicity'])).toMatch(
        /^http:\/\/publications\.europa\.eu\/resource\/authority\/frequency\/[A-Z_]+$/,
      );
      dateTime(d['dct:modified']);
      dateTime(d['dct:issued']);
      id(d['dct:publisher']);
      expect(d['dcat:contactPoint']['@type']).toBe('vcard:Organization');
      id(d['dcat:landingPage']);
      const dist = d['dcat:distribution'] as Record<string, any>[];
      expect(dist.map((x) => id(x['dcat:mediaType']))).toEqual([
        'https://www.iana.org/assignments/media-types/text/csv',
        'https://www.iana.org/assignments/media-types/application/json',
        'https://www.iana.org/assignments/media-types/application/vnd.apache.parquet',
      ]);
      for (const [i, x] of dist.entries()) {
        expect(x['@type']).toBe('dcat:Distribution');
        const url = id(x['dcat:downloadURL']);
        expect(id(x['dcat:accessURL'])).toBe(url);
        expect(url).toBe(
          `https://data.hanoi.example/open/api/datasets/${d['dct:identifier']}.${['csv', 'json', 'parquet'][i]}`,
        );
        expect(id(x['dct:format'])).toMatch(/^http:\/\/publications\.europa\.eu\/resource\/authority\/file-type\//);
        bilingual(x['dct:title']);
      }
    }
    const traffic = datasets.find((d) => d['dct:identifier'] === 'traffic')!;
    expect(traffic['dct:license']).toEqual({ '@id': 'https://creativecommons.org/licenses/by/4.0/' });
    expect(traffic['dct:accrualPeriodicity']['@id']).toMatch(/\/UPDATE_CONT$/);
    expect(traffic['dcat:keyword']).toEqual(['traffic', 'giao thông']);
    const speed = datasets.find((d) => d['dct:identifier'] === 'speed')!;
    expect(speed['dct:license']).toEqual({ '@id': 'https://opendatacommons.org/licenses/odbl/1-0/' });
    expect(speed['dct:accrualPeriodicity']['@id']).toMatch(/\/DAILY$/);
  });

  it('takes its links from the request when no OPEN_BASE_URL is set', async () => {
    const own = await serveApp();
    try {
      await own.request('PUT', '/api/open/traffic', { body: { view: 'traffic_flow', ...WORDS } });
      const doc = (await own.request('GET', '/open/api/datasets')).body;
      expect(doc['dcat:dataset'][0]['dcat:distribution'][0]['dcat:downloadURL']['@id']).toBe(
        'http://localhost/open/api/datasets/traffic.csv',
      );
    } finally {
      await own.close();
    }
  });
});
