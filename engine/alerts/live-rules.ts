// Alert rules made, redefined and removed on a running engine, in the format of views/alerts/*.rule: checked as the
// files' rules are at start-up, kept in runtime_definitions with their audit, judged from the next tick on.
import { EngineError } from '../errors.ts';
import type { RuntimeDefinitions } from '../definitions/runtime-store.ts';
import {
  apiFile as fileOf,
  definitionProblem,
  loadStored,
  RuntimeSet,
  type LoadedDefinitions,
} from '../definitions/runtime-set.ts';
import type { Logger } from '../log.ts';
import type { ViewDef } from '../views/index.ts';
import { DEFINITION_MAX_TEXT } from '../cluster/commands.ts';
import type { RuleDescription } from '../../dashboards/shared/wire/index.ts';
import type { AlertEngine } from './engine.ts';
import { parseRule, type Rule } from './rule.ts';
import type { AlertEvent } from './store.ts';

export class LiveRules extends RuntimeSet {
  /** Alerts a deleted rule left open were resolved: the walls and forwarding hear of it. */
  onChange: (events: AlertEvent[]) => void = () => undefined;

  constructor(
    private readonly store: RuntimeDefinitions,
    private readonly alerts: AlertEngine,
    /** Shared with the rollups: the indicators a rule may judge, runtime views among them. */
    private readonly views: readonly ViewDef[],
    private readonly log: Logger,
  ) {
    super();
  }

  /** The runtime rules stored, after the files' ones; one that no longer loads is left out and listed as failed. */
  static async load(
    store: RuntimeDefinitions,
    fileRules: readonly Rule[],
    views: readonly ViewDef[],
    log: Logger,
  ): Promise<LoadedDefinitions & { rules: Rule[] }> {
    const rules = [...fileRules];
    const loaded = await loadStored(store, 'rule', (d) => rules.push(checkRule(d.text, rules, views)), log);
    return { ...loaded, rules };
  }

  check(text: string, replacing?: string): Rule {
    if (text.length > DEFINITION_MAX_TEXT)
      throw new EngineError('too_large', `the rule is ${text.length} characters; at most ${DEFINITION_MAX_TEXT}`);
    if (text.includes('\0')) throw new EngineError('bad_request', 'the rule contains a NUL character (\\0)');
    const others = this.alerts.ruleList.filter((r) => r.name !== replacing || !this.runtime.has(r.name));
    const rule = asBadRequest(() => checkRule(text, others, this.views));
    if (replacing !== undefined && rule.name !== replacing)
      throw new EngineError(
        'bad_request',
        `line 1: name: the text names "${rule.name}", the address "${replacing}": a rule keeps its name`,
      );
    if (replacing === undefined && this.broken.has(rule.name))
      throw new EngineError('conflict', `name: a rule named "${rule.name}" already exists`);
    return rule;
  }

  async put(text: string, who: string, at: number, replacing?: string): Promise<RuleDescription> {
    const rule = this.check(text, replacing);
    const next = [...this.alerts.ruleList.filter((r) => r.name !== rule.name), rule];
    this.onChange(await this.alerts.setRules(next));
    await this.remember(this.store, 'rule', rule.name, text, who, at);
    this.log.info(replacing === undefined ? 'alert rule created' : 'alert rule redefined', {
      rule: rule.name,
      by: who,
    });
    return this.describe(rule.name);
  }

  async remove(name: string, who: string, at: number): Promise<void> {
    if (!this.isRuntime(name)) throw this.refuse(name);
    this.onChange(await this.alerts.setRules(this.alerts.ruleList.filter((r) => r.name !== name)));
    await this.forget(this.store, 'rule', name, who, at);
    this.log.info('alert rule deleted', { rule: name, by: who });
  }

  /** The rules that judge an indicator: it may not be removed from under them. */
  using(indicator: string): string[] {
    return this.alerts.ruleList.filter((r) => 'indicator' in r && r.indicator === indicator).map((r) => r.name);
  }

  describe(name: string): RuleDescription {
    const rule = this.alerts.ruleList.find((r) => r.name === name);
    const error = this.broken.get(name);
    const stored = this.runtime.get(name);
    if (!rule && error === undefined) throw this.refuse(name, false);
    return {
      name,
      origin: this.isRuntime(name) ? 'runtime' : 'file',
      ...(rule && !this.isRuntime(name) ? { file: rule.file } : {}),
      ...(rule ? { kind: rule.kind, ...('indicator' in rule ? { indicator: rule.indicator } : {}) } : {}),
      status: error === undefined ? 'active' : 'failed',
      ...(error !== undefined ? { error } : {}),
      ...this.authorship(stored),
    };
  }

  list(): RuleDescription[] {
    return [...this.alerts.ruleList.map((r) => r.name), ...this.broken.keys()].map((n) => this.describe(n));
  }

  private refuse(name: string, found = true): EngineError {
    return this.notRuntime(
      'alert rule',
      name,
      found ? this.alerts.ruleList.find((r) => r.name === name)?.file : undefined,
      '/api/rules',
    );
  }
}

/** A rule's text checked as the engine loads a rule file: its header, a name of its own, an indicator that exists. */
function checkRule(text: string, others: readonly Rule[], views: readonly ViewDef[]): Rule {
  const rule = parseRule(fileOf('rule'), text);
  rule.file = fileOf(rule.name);
  const clash = others.find((r) => r.name === rule.name);
  if (clash)
    throw new EngineError(
      'conflict',
      clash.file.startsWith('api:')
        ? `name: a rule named "${rule.name}" already exists; PUT /api/rules/${rule.name} redefines it`
        : `name: "${rule.name}" is defined in ${clash.file}; change that file, or choose another name`,
    );
  if ('indicator' in rule && !views.some((v) => v.name === rule.indicator && !v.hidden))
    throw new EngineError(
      'bad_request',
      `indicator: "${rule.indicator}" does not exist; GET /api/indicators lists them`,
    );
  return rule;
}

function asBadRequest<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    throw definitionProblem(err);
  }
}
