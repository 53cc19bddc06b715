// The definition header that views and alert rules share: keys and their lines, where the header ends, errors that
// name the file, the line and the key, and the duration and number schemas written in it.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseRule, RuleError } from '../../engine/alerts/index.ts';
import {
  DefinitionError,
  duration,
  finiteNumber,
  parseDuration,
  parseHeader,
  positiveDuration,
  readHeader,
} from '../../engine/definitions/index.ts';
import { parseView, ViewError } from '../../engine/views/index.ts';

class TestError extends DefinitionError {}
const Schema = z.strictObject({
  name: z.string().regex(/^[a-z_]+$/, 'must be snake_case'),
  title: z.strictObject({ vi: z.string(), en: z.string() }),
  every: positiveDuration,
  size: finiteNumber.optional(),
});
const parse = (text: string) =>
  parseHeader('defs/x.def', text, Schema, { extent: 'header', whole: 'header', error: TestError });
const GOOD = '-- name: demo\n-- a plain comment\n\n-- title.vi: Thử\n-- title.en: Demo\n-- every: 5m\n';
const DURATION = 'must be a duration such as 90s, 5m, 1h or 1d';

function thrown(work: () => unknown): Error {
  try {
    work();
  } catch (err) {
    return err as Error;
  }
  throw new Error('nothing was thrown');
}

describe('readHeader', () => {
  it('nests dotted keys, records the line of each key and skips plain comments and blank lines', () => {
    const h = readHeader(`${GOOD}SELECT 1\n-- late: ignored\n`, 'header');
    expect(h.values).toEqual({ name: 'demo', title: { vi: 'Thử', en: 'Demo' }, every: '5m' });
    expect(h.lineOf).toEqual({ name: 1, title: 5, every: 6 });
    expect(h.body).toBe(6);
  });

  it('reads to the end of the file when the whole file is header', () => {
    const h = readHeader(`${GOOD}SELECT 1\n-- late: read\n`, 'file');
    expect(h.values).toMatchObject({ late: 'read' });
    expect(h.lineOf.late).toBe(8);
    expect(h.body).toBe(9);
  });

  it('keeps a value as written, trimmed, colons included', () => {
    expect(readHeader('--   name :  a: b  \n', 'header').values).toEqual({ name: 'a: b' });
  });
});

describe('parseHeader', () => {
  it('returns the validated meta beside the raw header', () => {
    const h = parse(`${GOOD}-- size: 2.5\n`);
    expect(h.meta).toEqual({ name: 'demo', title: { vi: 'Thử', en: 'Demo' }, every: 300_000, size: 2.5 });
    expect(h.values.every).toBe('5m');
  });

  it.each([
    ['a bad value, on its line with its key', GOOD.replace('every: 5m', 'every: soon'), 6, `every: ${DURATION}`],
    ['a nested key by its dotted path', GOOD.replace('-- title.en: Demo\n', ''), 4, 'title.en:'],
    ['an unknown key, on its own line', `${GOOD}-- colour: red\n`, 7, 'unknown key colour'],
    ['a missing key, at line 1', GOOD.replace('-- name: demo\n', ''), 1, 'name:'],
    ['a number that is not finite', `${GOOD}-- size: Infinity\n`, 7, 'size: must be a number'],
    ['a number that is not one', `${GOOD}-- size: lots\n`, 7, 'size: must be a number'],
  ])('names the file, line and key of %s', (_what, text, line, reason) => {
    const err = thrown(() => parse(text));
    expect(err).toBeInstanceOf(TestError);
    expect(err).toBeInstanceOf(DefinitionError);
    expect(err).toMatchObject({ file: 'defs/x.def', line });
    expect(err.message).toContain(`defs/x.def:${line}: ${reason}`);
  });

  it("reports an issue that names no key under the name it is given, at that key's line", () => {
    const Kinds = z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('a') }),
      z.strictObject({ kind: z.literal('b') }),
    ]);
    const options = { extent: 'file', whole: 'kind', error: TestError } as const;
    const err = thrown(() => parseHeader('defs/k.def', '-- a comment\n-- kind: c\n', Kinds, options));
    expect(err.message).toMatch(/^defs\/k\.def:2: kind: /);
  });
});

describe('the shared value schemas', () => {
  it('durations: seconds to days; zero only where a duration may be empty', () => {
    expect(['90s', '5m', '1h', '2d', ' 15 m '].map(parseDuration)).toEqual([
      90_000, 300_000, 3_600_000, 172_800_000, 900_000,
    ]);
    expect(['5', '5w', '1.5h', '-5m', ''].map(parseDuration)).toEqual([null, null, null, null, null]);
    expect(duration.parse('0s')).toBe(0);
    expect(positiveDuration.safeParse('0s').success).toBe(false);
    expect(positiveDuration.parse('1m')).toBe(60_000);
  });

  it('numbers: coerced from text, never NaN or infinite', () => {
    expect(finiteNumber.parse('-2.5')).toBe(-2.5);
    for (const bad of ['abc', 'Infinity', '1e999']) expect(finiteNumber.safeParse(bad).success, bad).toBe(false);
  });
});

describe('views and rules read the same header', () => {
  const rule = ['name: x_y', 'title.vi: a', 'title.en: b', 'kind: rate', 'indicator: pm25', 'change: 5', 'over: 15m']
    .map((l) => `-- ${l}\n`)
    .join('');
  const view =
    ['name: x_rate', 'title.vi: a', 'title.en: b', 'unit: %', 'window: 1m', 'source: camera', 'theme: traffic']
      .map((l) => `-- ${l}\n`)
      .join('') +
    'SELECT $bucket AS t, area, 1.0 AS value, 1 AS n FROM camera_events\n' +
    'WHERE ts >= $from AND ts < $to GROUP BY ALL\n';

  it('each with its own named error, both definition errors', () => {
    expect(parseRule('views/alerts/x.rule', rule)).toMatchObject({ kind: 'rate', change: 5, over: 900_000 });
    expect(parseView('views/x.sql', view)).toMatchObject({ name: 'x_rate', windowMs: 60_000 });
    const ruleErr = thrown(() => parseRule('views/alerts/x.rule', rule.replace('over: 15m', 'over: soon')));
    const viewErr = thrown(() => parseView('views/x.sql', view.replace('window: 1m', 'window: soon')));
    expect(ruleErr).toBeInstanceOf(RuleError);
    expect(viewErr).toBeInstanceOf(ViewError);
    for (const err of [ruleErr, viewErr]) expect(err).toBeInstanceOf(DefinitionError);
    expect(ruleErr.message).toBe(`views/alerts/x.rule:7: over: ${DURATION}`);
    expect(viewErr.message).toBe(`views/x.sql:5: window: ${DURATION}`);
  });

  it("a rule file is header from end to end; a view's header stops at its SELECT", () => {
    const noted = rule.replace('-- over: 15m\n', 'note\n-- over: 15m\n');
    expect(parseRule('views/alerts/x.rule', noted)).toMatchObject({ over: 900_000 });
    expect(() => parseView('views/x.sql', `${view}-- colour: red\n`)).not.toThrow();
  });
});
