// Loads views/alerts/*.rule and checks each names an indicator that exists.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DEFAULT_VIEWS_DIR, type ViewDef } from '../views/index.ts';
import { parseRule, RuleError, type Rule } from './rule.ts';

export function loadRules(views: readonly ViewDef[], dir: string = join(DEFAULT_VIEWS_DIR, 'alerts')): Rule[] {
  if (!existsSync(dir)) return [];
  const names = new Set(views.filter((v) => !v.hidden).map((v) => v.name));
  const seen = new Set<string>();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.rule'))
    .sort()
    .map((f) => {
      const file = relative(process.cwd(), join(dir, f));
      const rule = parseRule(file, readFileSync(join(dir, f), 'utf8'));
      if (seen.has(rule.name)) throw new RuleError(file, 1, `rule name "${rule.name}" is used twice`);
      seen.add(rule.name);
      if ('indicator' in rule && !names.has(rule.indicator))
        throw new RuleError(file, 1, `indicator "${rule.indicator}" does not exist`);
      return rule;
    });
}
