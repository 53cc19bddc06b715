// What every rule kind answers: given its rule, the connection, now and the latest values, the condition of each area.
import type { Connection } from '../../db.ts';
import type { Rule } from '../rule.ts';

/** An indicator's freshest value in one area, at its window's start. */
export interface Latest {
  t: number;
  value: number | null;
}

/** One area's (or device's) state under a rule: breach opens an alert (after the rule's hold), clear resolves it. */
export interface Condition {
  area: string;
  subject: string;
  value: number | null;
  threshold: number | null;
  breach: boolean;
  /** Not always `!breach`: between the threshold and the clear level an open alert stays (hysteresis). */
  clear: boolean;
  /** When the breach began, where the data says so (a device's last message). */
  since?: number;
  message: string;
}

export interface Evaluation {
  conn: Connection;
  now: number;
  /** Indicator → area → its latest value. */
  latest: ReadonlyMap<string, ReadonlyMap<string, Latest>>;
  /** Indicator → the areas whose value this tick changed. */
  touched: ReadonlyMap<string, ReadonlySet<string>>;
  /** Indicators with a row changed this tick in a window before today (Hanoi): late data for a past day. */
  pastChanged: ReadonlySet<string>;
}

export interface RuleKind<R extends Rule> {
  conditions(rule: R, at: Evaluation): Promise<Condition[]>;
  /** How long a breach must hold before its alert opens. */
  holdMs(rule: R): number;
  /**
   * The kinds that judge the clock rather than a tick's changes: the shortest time between two of its evaluations (the
   * others are judged at every tick).
   */
  everyMs?(rule: R): number;
}
