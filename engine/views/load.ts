// Finds and parses every views/**/*.sql file; two views with one name, or a broken file, stop start-up.
// Folders whose name starts with "_" hold what views use (SQL macros, calendars), not views.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { linkViews, parseView, ViewError, type ViewDef } from './definition.ts';

export const DEFAULT_VIEWS_DIR = fileURLToPath(new URL('../../views', import.meta.url));

export function loadViews(dir: string = DEFAULT_VIEWS_DIR): ViewDef[] {
  const files = walk(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const views: ViewDef[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const name = relative(process.cwd(), file);
    const view = parseView(name, readFileSync(file, 'utf8'));
    const before = seen.get(view.name);
    if (before) throw new ViewError(name, 1, `view name "${view.name}" is already defined in ${before}`);
    seen.set(view.name, name);
    views.push(view);
  }
  return linkViews(views);
}

/** The SQL files of views/_macros, in name order: run once at start-up before any view. */
export function loadMacros(dir: string = DEFAULT_VIEWS_DIR): { file: string; sql: string }[] {
  const macros = join(dir, '_macros');
  if (!existsSync(macros)) return [];
  return readdirSync(macros)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => ({ file: relative(process.cwd(), join(macros, f)), sql: readFileSync(join(macros, f), 'utf8') }));
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (!statSync(path).isDirectory()) return [path];
    return entry.startsWith('_') ? [] : walk(path);
  });
}
