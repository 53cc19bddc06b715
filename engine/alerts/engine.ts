// Evaluates the alert rules each tick against the freshest indicator values and the source registry: one active alert
// per rule, area and subject, so a flapping sensor does not flood the wall (hysteresis and a minimum duration hold it
// back). Each rule kind judges its own conditions; the lifecycle and the incidents keep the tables.
import type { Connection } from '../db.ts';
import { EngineError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { DAY_MS, hanoiMidnight, timestampParam } from '../sql/index.ts';
import type { IndicatorChange, ViewDef } from '../views/index.ts';
import type { AlertFilter, IncidentFilter } from './filter.ts';
import { checkStep } from './incidents.ts';
import { escalateAlert, escalateIncident } from './escalate.ts';
import { changeIncident, openIncident, type IncidentChange, type IncidentOpen } from './incident-room.ts';
import { bindRule, type Condition, type Latest } from './kinds/index.ts';
import { acknowledgeAlert, alertKey, findAlert, openAlerts, resolveAlerts, type Opening } from './lifecycle.ts';
import type { Rule } from './rule.ts';
import { createAlertTables, readAlerts, readIncidents, type Alert, type AlertEvent, type Incident } from './store.ts';

export class AlertEngine {
  private readonly latest = new Map<string, Map<string, Latest>>();
  /** Indicators whose latest values are read again at the next evaluation (see `viewLive`). */
  private readonly reread = new Set<string>();
  private readonly pending = new Map<string, number>();
  /** Per pending breach, the data's time of it (what the alert's id is made of). */
  private readonly origins = new Map<string, number>();
  private readonly active = new Map<string, Alert>();
  /** Resolved by hand while the condition still held: not re-opened until the condition has cleared once. */
  private readonly rearm = new Set<string>();
  /** When each rule that judges the clock (see RuleKind.everyMs) was last evaluated. */
  private readonly judgedAt = new Map<string, number>();
  /** Rows of the second level (former districts): not judged, their wards are. */
  districts: ReadonlySet<string> = new Set();

  constructor(
    private readonly conn: Connection,
    /** The files' rules, then those made at run time (see setRules). */
    private rules: readonly Rule[],
    /** Shared with the rollups: views created at run time appear here too. */
    private readonly views: readonly ViewDef[],
    private readonly log: Logger,
    /**
     * Where the rules read their conditions: a connection of their own in the engine. Their statements keep their plans
     * through the connection's arguments table, written by an appender, which must not run beside another caller's
     * statement (the alert routes', on `conn`). Absent: `conn`.
     */
    private readonly rulesConn?: Connection,
  ) {}

  async init(now = Date.now()): Promise<void> {
    await createAlertTables(this.conn);
    for (const a of await readAlerts(this.conn, { status: 'active', limit: 100_000 })) this.active.set(alertKey(a), a);
    await this.readLatest(this.rules, now);
  }

  get ruleList(): readonly Rule[] {
    return this.rules;
  }

  /**
   * Puts `next` in place of the rules (a rule made, changed or removed at run time). The alerts still open of a rule
   * that is gone are resolved, since nothing would ever judge them again; answers those changes.
   */
  async setRules(next: readonly Rule[], now = Date.now()): Promise<AlertEvent[]> {
    const kept = new Set(next.map((r) => r.name));
    // A rule made or changed is judged at the next evaluation, whatever its cadence.
    this.judgedAt.clear();
    const gone = [...this.active.values()].filter((a) => !kept.has(a.rule));
    const events = await this.close(gone, 'engine', 'the rule was deleted', now);
    for (const key of [...this.pending.keys(), ...this.rearm])
      if (!kept.has(key.split('|')[0]!)) {
        this.pending.delete(key);
        this.origins.delete(key);
        this.rearm.delete(key);
      }
    await this.readLatest(
      next.filter((r) => 'indicator' in r && !this.latest.has(r.indicator)),
      now,
    );
    this.rules = next;
    return events;
  }

  /**
   * A view made at run time finished filling from its history: rows written meanwhile were told to no one (a filling
   * view's ticks are silent), events that came while it filled included. The next evaluation reads its latest values
   * again and judges every area.
   */
  viewLive(name: string): void {
    if (this.rules.some((r) => 'indicator' in r && r.indicator === name)) this.reread.add(name);
  }

  /** The latest value per area of each indicator the rules judge, from the last day of its rows. */
  private async readLatest(rules: readonly Rule[], now: number): Promise<void> {
    for (const name of new Set(rules.flatMap((r) => ('indicator' in r ? [r.indicator] : [])))) {
      const rows = await this.conn.objects<{ area: string; t: number; value: number | null }>(
        `SELECT area, epoch_ms(max(t)) AS t, arg_max(value, t) AS value FROM ${name}
         WHERE t >= $since::TIMESTAMPTZ GROUP BY area`,
        { since: timestampParam(now - DAY_MS) },
      );
      this.latest.set(name, new Map(rows.map((r) => [r.area, { t: r.t, value: r.value }])));
    }
  }

  /** One evaluation: takes the tick's changed rows, returns what opened or resolved. */
  async evaluate(changes: readonly IndicatorChange[], now = Date.now()): Promise<AlertEvent[]> {
    const touched = new Map<string, Set<string>>();
    // A removed window that was an area's latest (a late event moved what it counted): the area's latest value is
    // whichever window is newest now, read again like a view gone live.
    for (const c of changes) {
      const cache = this.latest.get(c.name);
      if (cache && c.rows.some((r) => r.removed && cache.get(r.area)?.t === Date.parse(r.t))) this.reread.add(c.name);
    }
    if (this.reread.size > 0) {
      const names = [...this.reread];
      this.reread.clear();
      const rules = this.rules.filter((r) => 'indicator' in r && names.includes(r.indicator));
      await this.readLatest(rules, now);
      for (const name of names) touched.set(name, new Set(this.latest.get(name)?.keys() ?? []));
    }
    const pastChanged = new Set<string>();
    const today = hanoiMidnight(now);
    for (const c of changes) {
      const cache = this.latest.get(c.name);
      if (!cache) continue;
      for (const r of c.rows) {
        // A removed window judges nothing: the rules look at the windows that hold events.
        if (r.removed) continue;
        const t = Date.parse(r.t);
        if (t < today) pastChanged.add(c.name);
        const cur = cache.get(r.area);
        if (!cur || t >= cur.t) {
          cache.set(r.area, { t, value: r.value });
          (touched.get(c.name) ?? touched.set(c.name, new Set()).get(c.name)!).add(r.area);
        }
      }
    }
    const at = { conn: this.rulesConn ?? this.conn, now, latest: this.latest, touched, pastChanged };
    const opening: Opening[] = [];
    const closing: Alert[] = [];
    for (const rule of this.rules) {
      try {
        const inScope = (area: string) =>
          !this.districts.has(area) && (rule.scope === 'all' || (rule.scope === 'city') === (area === 'hanoi'));
        const kind = bindRule(rule);
        const every = kind.everyMs;
        if (every > 0) {
          const last = this.judgedAt.get(rule.name);
          if (last !== undefined && now >= last && now - last < every) continue;
          this.judgedAt.set(rule.name, now);
        }
        for (const cond of await kind.conditions(at)) {
          if (!inScope(cond.area)) continue;
          const step = this.apply(rule, kind.holdMs, cond, now);
          if (step && 'c' in step) opening.push(step);
          else if (step) closing.push(step);
        }
      } catch (err) {
        this.log.error('alert rule failed', { rule: rule.name, file: rule.file, err });
      }
    }
    // Openings first: an alert that opens as another of its area resolves joins that one's incident, which stays open.
    const opened = await this.open(opening, now);
    // Should the writes fail, the alerts stay active and the next evaluation resolves them; the tick goes on.
    const closed = await this.close(closing, 'engine', 'the condition cleared', now).catch((err: unknown) => {
      this.log.error('alerts could not be resolved', { alerts: closing.length, err });
      return [];
    });
    return [...opened, ...closed];
  }

  /** What a condition changes: an alert to open, one to resolve, or nothing (only the pending state). */
  private apply(rule: Rule, holdMs: number, c: Condition, now: number): Opening | Alert | null {
    const key = alertKey({ rule: rule.name, area: c.area, subject: c.subject });
    const active = this.active.get(key);
    if (c.breach) {
      if (this.rearm.has(key)) return null;
      const since = this.pending.get(key) ?? c.since ?? now;
      this.pending.set(key, since);
      const origin = this.origins.get(key) ?? c.since ?? this.windowOf(rule, c.area) ?? since;
      this.origins.set(key, origin);
      if (!active && now - since >= holdMs)
        return { rule, c, since, origin, type: rule.incident ?? this.themeOf(rule) };
      return null;
    }
    this.pending.delete(key);
    this.origins.delete(key);
    if (c.clear) this.rearm.delete(key);
    return active && c.clear ? active : null;
  }

  /** The window start of the indicator value a rule judged in an area. */
  private windowOf(rule: Rule, area: string): number | undefined {
    return 'indicator' in rule ? this.latest.get(rule.indicator)?.get(area)?.t : undefined;
  }

  /**
   * Opens the evaluation's alerts together. Should the writes fail, nothing counts as open and the next evaluation
   * tries again (the breaches stay pending); the tick goes on.
   */
  private async open(opening: readonly Opening[], now: number): Promise<AlertEvent[]> {
    if (opening.length === 0) return [];
    let events: AlertEvent[];
    try {
      events = await openAlerts(this.conn, opening, now);
    } catch (err) {
      this.log.error('alerts could not be opened', { alerts: opening.length, err });
      return [];
    }
    for (const { alert } of events) {
      this.active.set(alertKey(alert), alert);
      const { id, rule, area, subject, message } = alert;
      this.log.info('alert opened', { id, rule, area, subject, message });
    }
    return events;
  }

  private themeOf(rule: Rule): string {
    return 'indicator' in rule ? (this.views.find((v) => v.name === rule.indicator)?.theme ?? 'other') : 'devices';
  }

  private async close(
    alerts: readonly Alert[],
    by: string,
    comment: string | null,
    now: number,
  ): Promise<AlertEvent[]> {
    const events = await resolveAlerts(this.conn, alerts, by, comment, now);
    for (const a of alerts) this.active.delete(alertKey(a));
    return events;
  }

  async acknowledge(id: string, by: string, comment: string | null, now = Date.now()): Promise<AlertEvent> {
    const event = await acknowledgeAlert(this.conn, await findAlert(this.conn, id), by, comment, now);
    this.active.set(alertKey(event.alert), event.alert);
    return event;
  }

  async resolve(id: string, by: string, comment: string | null, now = Date.now()): Promise<AlertEvent> {
    const alert = await findAlert(this.conn, id);
    if (alert.status === 'resolved') throw new EngineError('bad_request', `alert "${id}" is already resolved`);
    const key = alertKey(alert);
    this.pending.delete(key);
    this.origins.delete(key);
    this.rearm.add(key);
    const [event] = await this.close([alert], by, comment, now);
    return event!;
  }

  /** Escalates an alert left open too long (and its incident with it); null when it is no longer open or was already. */
  async escalate(id: string, afterMin: number, now = Date.now()): Promise<AlertEvent | null> {
    const event = await escalateAlert(this.conn, await findAlert(this.conn, id), afterMin, now);
    if (event && this.active.has(alertKey(event.alert))) this.active.set(alertKey(event.alert), event.alert);
    return event;
  }

  /** Escalates an incident left open too long; null when it is no longer open or was already. */
  escalateIncident(id: string, afterMin: number, now = Date.now()): Promise<Incident | null> {
    return escalateIncident(this.conn, id, afterMin, now);
  }

  checkStep(incidentId: string, step: number, done: boolean, by: string, now = Date.now()): Promise<Incident> {
    return checkStep(this.conn, incidentId, step, done, by, now);
  }

  openIncident(o: IncidentOpen, by: string, now = Date.now()): Promise<Incident> {
    return openIncident(this.conn, o, by, now);
  }

  changeIncident(id: string, change: IncidentChange, by: string, now = Date.now()): Promise<Incident> {
    return changeIncident(this.conn, id, change, by, now);
  }

  /** An alert by id (not_found otherwise). */
  get(id: string): Promise<Alert> {
    return findAlert(this.conn, id);
  }

  /**
   * The alert a command means on this replica: the one of that id, else the active one of the same rule, area and
   * subject (a replica that came back after a crash may have opened the same breach under another id).
   */
  async resolveId(id: string, key: { rule: string; area: string; subject: string }): Promise<string> {
    const known = await findAlert(this.conn, id).then(
      (a) => a.id,
      () => null,
    );
    return known ?? this.active.get(alertKey(key))?.id ?? id;
  }

  list(filter: Partial<AlertFilter> = {}): Promise<Alert[]> {
    return readAlerts(this.conn, filter);
  }

  incidents(filter: Partial<IncidentFilter> = {}): Promise<Incident[]> {
    return readIncidents(this.conn, filter);
  }
}
