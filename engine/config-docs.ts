// The README's configuration table, written from the settings' schemas: one row per variable, in the schema's order.
import { SETTINGS } from './config.ts';

export interface SettingRow {
  env: string;
  shownDefault: string;
  description: string;
}

/** The default as an operator would write it: a flag as `1`/`0`, a setting without one as unset. */
function shownDefault(field: (typeof SETTINGS)[number]['field']): string {
  const shown = field.meta()?.shownDefault;
  if (shown !== undefined) return shown;
  const parsed = field.safeParse(undefined);
  const value: unknown = parsed.success ? parsed.data : undefined;
  if (value === undefined) return 'unset';
  if (typeof value === 'boolean') return value ? '`1`' : '`0`';
  return `\`${String(value)}\``;
}

export function settingRows(): SettingRow[] {
  return SETTINGS.map(({ env, field }) => ({
    env,
    shownDefault: shownDefault(field),
    description: field.meta()?.description ?? '',
  }));
}

/** One row of the table, as Markdown. */
export function markdownRow(row: SettingRow): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|');
  return `| \`${row.env}\` | ${cell(row.shownDefault)} | ${cell(row.description)} |`;
}
