// What people change at run time, as commands: appended to the command stream and applied by every replica in stream
// order (alone, applied at once, in the order they came). A command carries its time and author, so each replica
// writes the same rows.
import { z } from 'zod';
import type { StreamPosition } from '../../sources/source.ts';
import { EngineError } from '../errors.ts';
import { ROLES } from '../access/roles.ts';
import { SavedQuery } from '../query/saved.ts';
import { DeviceEntry, DeviceId } from '../registry/entry.ts';
import { DatasetName, Publication } from '../open/publication.ts';
import { IncidentChange, IncidentOpen } from '../alerts/incident-room.ts';

const who = z.string().min(1).max(256);
/** Which breach an alert is, besides its id: rule, area and subject. */
const alertKey = z.object({ rule: z.string(), area: z.string(), subject: z.string() });
const at = z.number().int().min(0);
/** Devices per registry command: about 250 kB of JSON at most. */
export const IMPORT_SLICE = 1000;
/** Longest text of a view or rule made at run time (characters): a header and one SELECT. */
export const DEFINITION_MAX_TEXT = 64 * 1024;

export const Command = z.discriminatedUnion('type', [
  z.object({
    type: z.enum(['alert.acknowledge', 'alert.resolve']),
    id: z.string().min(1).max(128),
    key: alertKey,
    by: who,
    comment: z.string().max(2000).nullable(),
    at,
  }),
  z.object({
    type: z.literal('incident.step'),
    id: z.string().min(1).max(128),
    step: z.number().int().min(1),
    done: z.boolean(),
    by: who,
    at,
  }),
  z.object({ type: z.literal('incident.open'), incident: IncidentOpen, by: who, at }),
  // Escalation by time, decided by the leader's clock and applied by every replica alike.
  z.object({
    type: z.literal('alert.escalate'),
    id: z.string().min(1).max(128),
    key: alertKey,
    afterMin: z.number().int().min(1),
    at,
  }),
  z.object({
    type: z.literal('incident.escalate'),
    id: z.string().min(1).max(128),
    afterMin: z.number().int().min(1),
    at,
  }),
  z.object({
    type: z.literal('incident.change'),
    id: z.string().min(1).max(128),
    change: IncidentChange,
    by: who,
    at,
  }),
  z.object({ type: z.literal('query.put'), query: SavedQuery, author: who, at }),
  z.object({ type: z.literal('query.delete'), name: SavedQuery.shape.name, at }),
  // A token travels as its hash only: the secret is shown once, to whoever created it.
  z.object({
    type: z.literal('token.create'),
    name: z.string().regex(/^[\w.@-]{1,64}$/),
    role: z.enum(ROLES),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    at,
  }),
  z.object({ type: z.literal('token.revoke'), name: z.string().min(1).max(64), at }),
  // An import travels in slices of at most IMPORT_SLICE devices, each a command well inside a NATS message.
  z.object({
    type: z.literal('devices.put'),
    devices: z
      .array(DeviceEntry.extend({ id: DeviceId }))
      .min(1)
      .max(IMPORT_SLICE),
    /** Leave devices already registered as they are. */
    keep: z.boolean(),
    by: who,
    at,
  }),
  z.object({ type: z.literal('device.delete'), id: DeviceId, at }),
  // A view or alert rule made at run time travels as the text its author sent; each replica checks and applies it.
  z.object({
    type: z.enum(['view.put', 'rule.put']),
    text: z.string().min(1).max(DEFINITION_MAX_TEXT),
    /** The name of the definition it redefines; null: a new one. */
    replacing: z.string().max(128).nullable(),
    by: who,
    at,
  }),
  z.object({ type: z.enum(['view.delete', 'rule.delete']), name: z.string().min(1).max(128), by: who, at }),
  // A publication carries a saved query's SQL as the admin saw it, so every replica publishes the same thing.
  z.object({ type: z.literal('open.put'), dataset: Publication, by: who, at }),
  z.object({ type: z.literal('open.delete'), name: DatasetName, by: who, at }),
]);
export type Command = z.infer<typeof Command>;

/** Applies one command to this replica's database; an EngineError is the command's answer (refused), not a failure. */
export type Apply = (cmd: Command) => Promise<unknown>;

export interface CommandStats {
  applied: number;
  refused: number;
  /** Applying failed for another reason (the database): the command is taken again. */
  failed: number;
}

export interface CommandBus {
  /** Begins applying the stream's commands (once everything they touch is up). */
  start(): Promise<void>;
  /** Appends the command; resolves with what applying it on this replica returned, or rejects with its refusal. */
  submit(cmd: Command): Promise<unknown>;
  /** Commands in the stream not yet applied here. */
  behind(): number;
  /** How far this replica applied the command stream (null alone): a backup records it. */
  position(): StreamPosition | null;
  stats(): CommandStats;
  close(): Promise<void>;
}

/** One engine alone: each command applied at once, one after another. */
export function localBus(apply: Apply): CommandBus {
  let queue: Promise<unknown> = Promise.resolve();
  const stats: CommandStats = { applied: 0, refused: 0, failed: 0 };
  return {
    submit(cmd) {
      const run = queue.then(() => apply(cmd));
      queue = run.catch(() => undefined);
      return run.then(
        (r) => {
          stats.applied++;
          return r;
        },
        (err: unknown) => {
          if (err instanceof EngineError) stats.refused++;
          else stats.failed++;
          throw err;
        },
      );
    },
    start: async () => undefined,
    behind: () => 0,
    position: () => null,
    stats: () => ({ ...stats }),
    close: async () => {
      await queue;
    },
  };
}
