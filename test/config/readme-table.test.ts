// The README's configuration table says what the settings' schemas say: one row per variable, in their order, with
// their defaults and descriptions; a difference names the row to fix and gives it as it should read.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { markdownRow, settingRows } from '../../engine/config-docs.ts';

const HEADER = '| variable | default | meaning |';

function readmeRows(): string[] {
  const lines = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').split('\n');
  const at = lines.indexOf(HEADER);
  if (at < 0) throw new Error(`README.md has no configuration table (a line "${HEADER}")`);
  const rows: string[] = [];
  for (let i = at + 2; i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(lines[i]!);
  return rows;
}

const variableOf = (row: string): string => /^\| `([A-Z0-9_]+)` \|/.exec(row)?.[1] ?? row;

describe("the README's configuration table", () => {
  it('has one row per setting, in the schema order, each as the schema writes it', () => {
    const expected = settingRows().map((r) => ({ env: r.env, row: markdownRow(r) }));
    const actual = readmeRows();
    const problems: string[] = [];
    const names = new Set(expected.map((e) => e.env));
    for (const row of actual) {
      if (!names.has(variableOf(row)))
        problems.push(`remove the row for ${variableOf(row)}: no setting has that variable`);
    }
    expected.forEach(({ env, row }, i) => {
      const found = actual.find((r) => variableOf(r) === env);
      if (found === undefined)
        problems.push(`add a row for ${env} (after ${expected[i - 1]?.env ?? 'the header'}):\n    ${row}`);
      else if (found !== row) problems.push(`fix the row for ${env} to read:\n    ${row}\n  it reads:\n    ${found}`);
    });
    if (problems.length === 0) {
      const order = actual.map(variableOf);
      const want = expected.map((e) => e.env);
      const first = want.findIndex((env, i) => order[i] !== env);
      if (first >= 0)
        problems.push(
          `the row for ${want[first]} should come ${first === 0 ? 'first' : `right after the one for ${want[first - 1]}`} (the schema's order)`,
        );
    }
    expect(problems, `README.md, section Configuration:\n- ${problems.join('\n- ')}`).toEqual([]);
  });

  it('has a description and a shown default for every setting', () => {
    const bare = settingRows()
      .filter((r) => r.description.trim() === '' || r.shownDefault.trim() === '')
      .map((r) => r.env);
    expect(bare, 'give these settings a .describe() in their schema').toEqual([]);
  });
});
