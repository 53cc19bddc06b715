// Evaluates the alert rules each tick against the freshest indicator values and the source registry, and keeps the
// alert lifecycle and the incidents in DuckDB: one active alert per rule, area and subject, so a flapping sensor
// does not flood the wall (hysteresis and a minimum duration hold it back).
import { createHash } from 'node:crypto';
import type { Connection } from '../db.ts';
import { EngineError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { IndicatorChange, ViewDef } from '../views/index.ts';
import type { Rule } from './rule.ts';
import { createAlertTables, readAlerts, readIncidents, type Alert, type Incident } from './store.ts';

export interface AlertEvent { type: 'opened' | 'acknowledged' | 'resolved'; alert: Alert; incident: Incident | null }

/** When alerts of one area meet within this time they are one incident. */
const CORRELATE_MS = 2 * 3_600_000;
/** Which type names an incident when its alerts disagree: water on the road explains the slow traffic, not the reverse. */
const PRECEDENCE = ['flooding', 'fire', 'accident', 'traffic', 'air', 'noise', 'network', 'services', 'devices'];
const lit = (ms: number): string => `TIMESTAMPTZ '${new Date(ms).toISOString()}'`;
const q = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const hash = (s: string): string => createHash('sha1').update(s).digest('hex').slice(0, 12);

interface Latest { t: number; value: number | null }
interface Condition { area: string; subject: string; value: number | null; threshold: number | null; breach: boolean; clear: boolean; since?: number; message: string }

export class AlertEngine {
  private readonly latest = new Map<string, Map<string, Latest>>();
  private readonly pending = new Map<string, number>();
  private readonly active = new Map<string, Alert>();
  /** Resolved by hand while the condition still held: not re-opened until the condition has cleared once. */
  private readonly rearm = new Set<string>();
  private readonly views: Map<string, ViewDef>;

  constructor(private readonly conn: Connection, readonly rules: readonly Rule[], views: readonly ViewDef[], private readonly log: Logger) {
    this.views = new Map(views.map((v) => [v.name, v]));
  }

  async init(now = Date.now()): Promise<void> {
    await createAlertTables(this.conn);
    for (const a of await readAlerts(this.conn, `WHERE status <> 'resolved'`, 100_000)) this.active.set(`${a.rule}|${a.area}|${a.subject}`, a);
    for (const name of new Set(this.rules.flatMap((r) => ('indicator' in r ? [r.indicator] : [])))) {
      const rows = await this.conn.objects<{ area: string; t: number; value: number | null }>(
        `SELECT area, epoch_ms(max(t)) AS t, arg_max(value, t) AS value FROM ${name} WHERE t >= ${lit(now - 86_400_000)} GROUP BY area`);
      this.latest.set(name, new Map(rows.map((r) => [r.area, { t: r.t, value: r.value }])));
    }
  }

  /** One evaluation: takes the tick's changed rows, returns what opened or resolved. */
  async evaluate(changes: readonly IndicatorChange[], now = Date.now()): Promise<AlertEvent[]> {
    const touched = new Map<string, Set<string>>();
    for (const c of changes) {
      const cache = this.latest.get(c.name);
      if (!cache) continue;
      for (const r of c.rows) {
        const t = Date.parse(r.t);
        const cur = cache.get(r.area);
        if (!cur || t >= cur.t) {
          cache.set(r.area, { t, value: r.value });
          (touched.get(c.name) ?? touched.set(c.name, new Set()).get(c.name)!).add(r.area);
        }
      }
    }
    const events: AlertEvent[] = [];
    for (const rule of this.rules) {
      try {
        const inScope = (area: string) => rule.scope === 'all' || (rule.scope === 'city') === (area === 'hanoi');
        for (const cond of await this.conditions(rule, touched, now)) if (inScope(cond.area)) events.push(...(await this.apply(rule, cond, now)));
      } catch (err) {
        this.log.error('alert rule failed', { rule: rule.name, file: rule.file, err });
      }
    }
    return events;
  }

  private async conditions(rule: Rule, touched: Map<string, Set<string>>, now: number): Promise<Condition[]> {
    switch (rule.kind) {
      case 'threshold': {
        const up = rule.above !== undefined;
        const limit = (up ? rule.above : rule.below)!;
        const clear = rule.clear ?? limit;
        return [...(this.latest.get(rule.indicator) ?? [])].filter(([, l]) => l.value !== null).map(([area, l]) => ({
          area, subject: rule.indicator, value: l.value, threshold: limit,
          breach: up ? l.value! > limit : l.value! < limit,
          clear: up ? l.value! <= clear : l.value! >= clear,
          message: `${rule.indicator} ${l.value!.toFixed(1)} ${up ? '>' : '<'} ${limit}`,
        }));
      }
      case 'rate': {
        const areas = [...(touched.get(rule.indicator) ?? [])];
        if (areas.length === 0) return this.unchanged(rule);
        const before = new Map((await this.conn.objects<{ area: string; value: number | null }>(`
          SELECT area, arg_max(value, t) AS value FROM ${rule.indicator}
          WHERE area IN (${areas.map(q).join(', ')}) AND t <= ${lit(now - rule.over)} AND t > ${lit(now - 2 * rule.over)} GROUP BY area`)).map((r) => [r.area, r.value]));
        return areas.flatMap((area) => {
          const cur = this.latest.get(rule.indicator)?.get(area)?.value;
          const prev = before.get(area);
          if (cur == null || prev == null) return [];
          const delta = cur - prev;
          const breach = rule.change >= 0 ? delta >= rule.change : delta <= rule.change;
          return [{ area, subject: rule.indicator, value: cur, threshold: rule.change, breach, clear: !breach, message: `${rule.indicator} ${delta >= 0 ? '+' : ''}${delta.toFixed(1)} in ${rule.over / 60_000} min` }];
        });
      }
      case 'anomaly': {
        const areas = [...(touched.get(rule.indicator) ?? [])];
        if (areas.length === 0) return this.unchanged(rule);
        const today = Math.floor((now + 25_200_000) / 86_400_000) * 86_400_000 - 25_200_000;
        const stats = new Map((await this.conn.objects<{ area: string; hour: number; m: number; s: number | null; c: number }>(`
          SELECT area, ((epoch_ms(t) + 25200000) // 3600000) % 24 AS hour, avg(value) AS m, stddev_samp(value) AS s, count(*) AS c FROM ${rule.indicator}
          WHERE area IN (${areas.map(q).join(', ')}) AND t >= ${lit(today - rule.weeks * 7 * 86_400_000)} AND t < ${lit(today)} AND value IS NOT NULL
          GROUP BY ALL`)).map((r) => [`${r.area}|${r.hour}`, r]));
        return areas.flatMap((area) => {
          const l = this.latest.get(rule.indicator)?.get(area);
          if (!l || l.value === null) return [];
          const st = stats.get(`${area}|${new Date(l.t + 25_200_000).getUTCHours()}`);
          if (!st || st.c < rule.min_samples || !st.s) return [];
          const z = (l.value - st.m) / st.s;
          const breach = Math.abs(z) > rule.sigma;
          return [{ area, subject: rule.indicator, value: l.value, threshold: st.m, breach, clear: !breach, message: `${rule.indicator} ${l.value.toFixed(1)}, usual ${st.m.toFixed(1)} ± ${st.s.toFixed(1)} at this hour (z ${z.toFixed(1)})` }];
        });
      }
      case 'no_data': {
        const [family, kind] = rule.devices.split('/') as [string, string | undefined];
        const rows = await this.conn.objects<{ id: string; area: string | null; last: number }>(`
          SELECT id, area, epoch_ms(last_seen) AS last FROM devices
          WHERE family = ${q(family)} ${kind ? `AND kind = ${q(kind)}` : ''} AND last_seen >= ${lit(now - 7 * 86_400_000)}`);
        return rows.map((r) => ({
          area: r.area ?? 'unassigned', subject: r.id, value: (now - r.last) / 60_000, threshold: rule.after / 60_000,
          breach: now - r.last >= rule.after, clear: now - r.last < rule.after, since: r.last,
          message: `${r.id} silent for ${Math.round((now - r.last) / 60_000)} min`,
        }));
      }
    }
  }

  /** Areas without a fresh value keep their alert's state: nothing to re-judge. */
  private unchanged(_rule: Rule): Condition[] {
    return [];
  }

  private async apply(rule: Rule, c: Condition, now: number): Promise<AlertEvent[]> {
    const key = `${rule.name}|${c.area}|${c.subject}`;
    const active = this.active.get(key);
    if (c.breach) {
      if (this.rearm.has(key)) return [];
      const since = this.pending.get(key) ?? c.since ?? now;
      this.pending.set(key, since);
      const hold = rule.kind === 'threshold' ? rule.for : 0;
      if (!active && now - since >= hold) return [await this.open(rule, c, since, now)];
      return [];
    }
    this.pending.delete(key);
    if (c.clear) this.rearm.delete(key);
    if (active && c.clear) return [await this.close(active, 'engine', 'the condition cleared', now)];
    return [];
  }

  private async open(rule: Rule, c: Condition, since: number, now: number): Promise<AlertEvent> {
    const id = `a-${hash(`${rule.name}|${c.area}|${c.subject}|${since}|${now}`)}`;
    const type = rule.incident ?? this.themeOf(rule);
    const incident = await this.correlate(type, c.area, since, now);
    await this.conn.run(`INSERT OR REPLACE INTO alerts VALUES (${q(id)}, ${q(rule.name)}, ${q(rule.kind)}, ${q(rule.severity)}, ${q(c.area)}, ${q(c.subject)},
      ${q(rule.title.vi)}, ${q(rule.title.en)}, 'open', ${c.value ?? 'NULL'}, ${c.threshold ?? 'NULL'}, ${q(c.message)},
      ${lit(since)}, ${lit(now)}, NULL, NULL, NULL, NULL, NULL, ${q(incident.id)}, ${lit(now)})`);
    const [alert] = await readAlerts(this.conn, `WHERE id = ${q(id)}`);
    this.active.set(`${rule.name}|${c.area}|${c.subject}`, alert!);
    this.log.info('alert opened', { id, rule: rule.name, area: c.area, subject: c.subject, message: c.message });
    return { type: 'opened', alert: alert!, incident: (await readIncidents(this.conn, `WHERE i.id = ${q(incident.id)}`))[0] ?? null };
  }

  private themeOf(rule: Rule): string {
    if (rule.kind === 'no_data') return 'devices';
    return this.views.get(rule.indicator)?.theme ?? 'other';
  }

  /** The open incident of this area that started recently, retyped if this alert explains more; else a new one. */
  private async correlate(type: string, area: string, since: number, now: number): Promise<{ id: string }> {
    const [found] = await this.conn.objects<{ id: string; type: string }>(`SELECT id, type FROM incidents
      WHERE area = ${q(area)} AND status <> 'resolved' AND detected_at >= ${lit(now - CORRELATE_MS)} ORDER BY detected_at DESC LIMIT 1`);
    if (found) {
      const rank = (t: string) => { const i = PRECEDENCE.indexOf(t); return i < 0 ? PRECEDENCE.length : i; };
      const newType = rank(type) < rank(found.type) ? type : found.type;
      await this.conn.run(`UPDATE incidents SET type = ${q(newType)}, evidence_since = least(evidence_since, ${lit(since)}),
        checklist = CASE WHEN type = ${q(newType)} THEN checklist ELSE ${await this.checklist(newType)} END, updated_at = ${lit(now)} WHERE id = ${q(found.id)}`);
      return found;
    }
    const id = `i-${hash(`${area}|${type}|${since}|${now}|${Math.random()}`)}`;
    await this.conn.run(`INSERT INTO incidents VALUES (${q(id)}, ${q(type)}, ${q(area)}, 'open', ${lit(since)}, ${lit(now)}, NULL, NULL, ${await this.checklist(type)}, ${lit(now)})`);
    return { id };
  }

  /** The standard operating procedure of an incident type, from views/_tables/sop_steps.csv. */
  private async checklist(type: string): Promise<string> {
    const steps = await this.conn.objects<{ step: number; vi: string; en: string }>(
      `SELECT step, text_vi AS vi, text_en AS en FROM sop_steps WHERE type IN (${q(type)}, 'any') ORDER BY type = 'any', step`).catch(() => []);
    return `${q(JSON.stringify(steps.map((s, i) => ({ step: i + 1, vi: s.vi, en: s.en, done: false, by: null, at: null }))))}::JSON`;
  }

  private async close(alert: Alert, by: string, comment: string | null, now: number): Promise<AlertEvent> {
    await this.conn.run(`UPDATE alerts SET status = 'resolved', resolved_at = ${lit(now)}, resolved_by = ${q(by)},
      comment = coalesce(${comment === null ? 'NULL' : q(comment)}, comment), updated_at = ${lit(now)} WHERE id = ${q(alert.id)}`);
    this.active.delete(`${alert.rule}|${alert.area}|${alert.subject}`);
    if (alert.incidentId) {
      // An incident is over when the last of its alerts is.
      await this.conn.run(`UPDATE incidents SET status = 'resolved', resolved_at = ${lit(now)}, updated_at = ${lit(now)}
        WHERE id = ${q(alert.incidentId)} AND status <> 'resolved'
          AND NOT EXISTS (SELECT 1 FROM alerts WHERE incident_id = ${q(alert.incidentId)} AND status <> 'resolved')`);
    }
    const [fresh] = await readAlerts(this.conn, `WHERE id = ${q(alert.id)}`);
    return { type: 'resolved', alert: fresh!, incident: alert.incidentId ? (await readIncidents(this.conn, `WHERE i.id = ${q(alert.incidentId)}`))[0] ?? null : null };
  }

  async acknowledge(id: string, by: string, comment: string | null, now = Date.now()): Promise<AlertEvent> {
    const [alert] = await readAlerts(this.conn, `WHERE id = ${q(id)}`);
    if (!alert) throw new EngineError('not_found', `no alert "${id}"`);
    if (alert.status !== 'open') throw new EngineError('bad_request', `alert "${id}" is ${alert.status}; only an open alert can be acknowledged`);
    await this.conn.run(`UPDATE alerts SET status = 'acknowledged', acknowledged_at = ${lit(now)}, acknowledged_by = ${q(by)},
      comment = ${comment === null ? 'NULL' : q(comment)}, updated_at = ${lit(now)} WHERE id = ${q(id)}`);
    if (alert.incidentId) {
      await this.conn.run(`UPDATE incidents SET acknowledged_at = coalesce(acknowledged_at, ${lit(now)}),
        status = CASE WHEN status = 'open' THEN 'acknowledged' ELSE status END, updated_at = ${lit(now)} WHERE id = ${q(alert.incidentId)}`);
    }
    const [fresh] = await readAlerts(this.conn, `WHERE id = ${q(id)}`);
    this.active.set(`${fresh!.rule}|${fresh!.area}|${fresh!.subject}`, fresh!);
    return { type: 'acknowledged', alert: fresh!, incident: alert.incidentId ? (await readIncidents(this.conn, `WHERE i.id = ${q(alert.incidentId)}`))[0] ?? null : null };
  }

  async resolve(id: string, by: string, comment: string | null, now = Date.now()): Promise<AlertEvent> {
    const [alert] = await readAlerts(this.conn, `WHERE id = ${q(id)}`);
    if (!alert) throw new EngineError('not_found', `no alert "${id}"`);
    if (alert.status === 'resolved') throw new EngineError('bad_request', `alert "${id}" is already resolved`);
    const key = `${alert.rule}|${alert.area}|${alert.subject}`;
    this.pending.delete(key);
    this.rearm.add(key);
    return this.close(alert, by, comment, now);
  }

  async checkStep(incidentId: string, step: number, done: boolean, by: string, now = Date.now()): Promise<Incident> {
    const [incident] = await readIncidents(this.conn, `WHERE i.id = ${q(incidentId)}`);
    if (!incident) throw new EngineError('not_found', `no incident "${incidentId}"`);
    const item = incident.checklist.find((s) => s.step === step);
    if (!item) throw new EngineError('bad_request', `field "step": incident "${incidentId}" has steps 1–${incident.checklist.length}`);
    Object.assign(item, { done, by: done ? by : null, at: done ? new Date(now).toISOString() : null });
    await this.conn.run(`UPDATE incidents SET checklist = ${q(JSON.stringify(incident.checklist))}::JSON, updated_at = ${lit(now)} WHERE id = ${q(incidentId)}`);
    return (await readIncidents(this.conn, `WHERE i.id = ${q(incidentId)}`))[0]!;
  }

  list(where: string, limit?: number): Promise<Alert[]> {
    return readAlerts(this.conn, where, limit);
  }

  incidents(where: string, limit?: number): Promise<Incident[]> {
    return readIncidents(this.conn, where, limit);
  }
}
