// Finds and parses every views/**/*.sql file; two views with one name, or a broken file, stop start-up.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseView, ViewError, type ViewDef } from './definition.ts';

export const DEFAULT_VIEWS_DIR = fileURLToPath(new URL('../../views', import.meta.url));

export function loadViews(dir: string = DEFAULT_VIEWS_DIR): ViewDef[] {
  const files = walk(dir).filter((f) => f.endsWith('.sql')).sort();
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
  return views;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
