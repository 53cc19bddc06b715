// Bytes → JSON (one event, an array, or NDJSON) → zod → typed rows per family, or dead letters with a reason a person can act on.
import type { z } from 'zod';
import { familyOfTopic, topicSeparator, type RawMessage } from '../sources/source.ts';
import { OUTSIDE } from './geo/index.ts';
import { retentionCutoff } from './store/retention.ts';
import {
  FAMILIES,
  FAMILY_DEFS,
  FAMILY_LIST,
  isFamily,
  METRICS,
  type Decoded,
  type Family,
  type FamilyDef,
} from './schema/index.ts';
import { applyPatches, compileFastCheck } from './schema/fast-check.ts';

interface Reject {
  payload: Uint8Array;
  reason: string;
  /** Position of the event in an array or NDJSON message (0-based element or line); absent for a whole message. */
  index?: number;
}

export interface DecodeOptions {
  maxPayloadBytes: number;
  maxFutureMs: number;
  /** Days of raw events kept: an event older than that is dead-lettered as too late, its window closed for good. */
  retainRawDays?: number;
  /** The ward holding the point, or null: the event is then stored as `outside`. */
  locate(lon: number, lat: number): string | null;
  /**
   * Whether a code is one of the loaded wards. An event's own `area` must be one: the rollups key on it (and call the
   * city-wide row `hanoi`), so a made-up code would open a ward of its own. Absent: codes are taken as given.
   */
  isArea?(code: string): boolean;
  /** Topic prefixes the engine publishes to itself (its alerts, when they go to the broker it listens to): not input. */
  ignoreTopics?: readonly string[];
}

export interface DecodeResult {
  family: Family | null;
  rows: Decoded<unknown>[];
  rejects: Reject[];
}

/** Per family: the check that lets a well-formed event skip zod (zod still words every refusal). */
const FAST_CHECKS = Object.fromEntries(FAMILIES.map((f) => [f, compileFastCheck(FAMILY_DEFS[f].schema)])) as Record<
  Family,
  ReturnType<typeof compileFastCheck>
>;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** A message as a connector hands it over: its topic names the family, and a topic that names none is refused whole. */
export function decodeRaw(
  msg: Pick<RawMessage, 'source' | 'topic' | 'payload' | 'receivedAt'>,
  opts: DecodeOptions,
): DecodeResult {
  const family = familyOfTopic(msg.topic, msg.source);
  if (family !== undefined && isFamily(family)) return decodeMessage(family, msg.payload, msg.receivedAt, opts);
  if (opts.ignoreTopics?.some((prefix) => msg.topic.startsWith(prefix))) return { family: null, rows: [], rejects: [] };
  return {
    family: null,
    rows: [],
    rejects: [{ payload: msg.payload, reason: topicReason(msg.topic, msg.source, family) }],
  };
}

/** Says what the topic should have been, in the separator its transport uses (MQTT topic or NATS subject). */
function topicReason(topic: string, source: string, family: string | undefined): string {
  const sep = topicSeparator(topic, source);
  const unknown = family === undefined ? '' : `unknown event family ${quoted(family, 64)}: `;
  return `${unknown}${sep === '.' ? 'subject' : 'topic'} ${quoted(topic, 200)} is not city${sep}<family>${sep}<id> with family ${FAMILY_LIST}`;
}

/** A value from the wire, shown in a reason: escaped (control characters included) and cut to a readable length. */
function quoted(s: string, max: number): string {
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
}

export function decodeMessage(
  familyName: string | undefined,
  payload: Uint8Array,
  receivedAt: number,
  opts: DecodeOptions,
): DecodeResult {
  if (!familyName || !isFamily(familyName)) {
    return whole(
      payload,
      familyName
        ? `unknown event family ${quoted(familyName, 64)}: expected ${FAMILY_LIST}`
        : `topic does not name an event family: expected city/<${FAMILIES.join('|')}>/<id>`,
    );
  }
  if (payload.byteLength > opts.maxPayloadBytes) {
    return whole(
      payload,
      `payload is ${payload.byteLength} bytes, over the limit of ${opts.maxPayloadBytes} (MAX_PAYLOAD_BYTES)`,
    );
  }
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return whole(payload, 'payload is not valid UTF-8 text: expected JSON');
  }
  const items = parseItems(text);
  if ('error' in items) return whole(payload, items.error);
  const def = FAMILY_DEFS[familyName] as FamilyDef<unknown>;
  const result: DecodeResult = { family: familyName, rows: [], rejects: [] };
  const many = items.values.length > 1 || items.kind !== 'single';
  for (let i = 0; i < items.values.length; i++) {
    const item = items.values[i]!;
    if ('error' in item) {
      result.rejects.push({
        payload: encoder.encode(item.text),
        reason: where(many, items.kind, item.index) + item.error,
        index: item.index,
      });
      continue;
    }
    const row = validateSafely(def, familyName, item.value, receivedAt, opts);
    if (typeof row === 'string') {
      result.rejects.push({
        payload: many ? encoder.encode(item.text ?? printable(item.value)) : payload,
        reason: where(many, items.kind, item.index) + row,
        ...(many ? { index: item.index } : {}),
      });
    } else {
      result.rows.push(row);
    }
  }
  return result;
}

/** A message refused whole. A function of its own, not a closure: decodeMessage runs once per message. */
function whole(payload: Uint8Array, reason: string): DecodeResult {
  return { family: null, rows: [], rejects: [{ payload, reason }] };
}

/** Where in a message of many events a refused one was: built only for refusals. */
function where(many: boolean, kind: 'single' | 'array' | 'ndjson', index: number): string {
  return many ? `${kind === 'ndjson' ? 'line' : 'element'} ${index + 1}: ` : '';
}

type Item = { index: number; value: unknown; text?: string } | { index: number; error: string; text: string };

/**
 * Deeper than any message needs (an array of events with nested metrics is three levels). JSON.parse takes any
 * depth, but slowly (milliseconds for twenty thousand levels), and walking the result recurses: hostile
 * nesting is refused by a linear scan before it is parsed.
 */
const MAX_DEPTH = 32;
const TOO_DEEP = `JSON nested deeper than ${MAX_DEPTH} levels`;

function tooDeep(text: string): boolean {
  // Most messages open a handful of objects: counting the openers (a native search) rules them out without the scan.
  let opens = 0;
  for (let i = text.indexOf('{'); i >= 0 && opens <= MAX_DEPTH; i = text.indexOf('{', i + 1)) opens++;
  for (let i = text.indexOf('['); i >= 0 && opens <= MAX_DEPTH; i = text.indexOf('[', i + 1)) opens++;
  if (opens <= MAX_DEPTH) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > MAX_DEPTH) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

function parseItems(text: string): { kind: 'single' | 'array' | 'ndjson'; values: Item[] } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { error: 'payload is empty: expected a JSON event, array or NDJSON' };
  const deep = tooDeep(trimmed);
  if (deep && !trimmed.includes('\n')) return { error: TOO_DEEP };
  if (!deep) {
    try {
      const value: unknown = JSON.parse(trimmed);
      if (Array.isArray(value)) {
        if (value.length === 0) return { error: 'payload is an empty JSON array: no events' };
        return { kind: 'array', values: value.map((v, index) => ({ index, value: v })) };
      }
      return { kind: 'single', values: [{ index: 0, value }] };
    } catch (err) {
      if (!trimmed.includes('\n')) return { error: `not valid JSON: ${(err as Error).message}` };
    }
  }
  const values: Item[] = [];
  const lines = trimmed.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === '') continue;
    if (deep && tooDeep(line)) {
      values.push({ index, error: TOO_DEEP, text: line });
      continue;
    }
    try {
      values.push({ index, value: JSON.parse(line), text: line });
    } catch (err) {
      values.push({ index, error: `not valid JSON: ${(err as Error).message}`, text: line });
    }
  }
  return { kind: 'ndjson', values };
}

/**
 * Hostile input must cost one dead letter, never the engine: whatever slips past the checks before (printing the
 * unknown fields kept in `extra` recurses, say) ends as this event's reason, not as an exception.
 */
function validateSafely(
  def: FamilyDef<unknown>,
  family: Family,
  value: unknown,
  receivedAt: number,
  opts: DecodeOptions,
): Decoded<unknown> | string {
  try {
    return validate(def, family, value, receivedAt, opts);
  } catch (err) {
    return `invalid ${family} event: cannot be processed (${err instanceof RangeError ? 'nested too deeply' : (err as Error).message})`;
  }
}

function printable(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '(not printable: nested too deeply)';
  }
}

function validate(
  def: FamilyDef<unknown>,
  family: Family,
  value: unknown,
  receivedAt: number,
  opts: DecodeOptions,
): Decoded<unknown> | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `expected a JSON object for a ${family} event, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`;
  }
  type Event = { ts: number; area?: string; lat?: number; lon?: number; kind?: string };
  let event: Event;
  const patches = FAST_CHECKS[family]?.(value);
  if (patches) {
    // The raw object becomes zod's output (parsed times, defaults); `extra` below reads only the keys zod does not know.
    applyPatches(patches);
    event = value as Event;
  } else {
    const parsed = def.schema.safeParse(value);
    if (!parsed.success) return describeIssues(family, value as Record<string, unknown>, parsed.error);
    event = parsed.data as Event;
  }
  if (event.ts > receivedAt + opts.maxFutureMs) {
    const minutes = Math.round((event.ts - receivedAt) / 60_000);
    return `field "ts": ${new Date(event.ts).toISOString()} is ${minutes} min ahead of the receiving clock (limit MAX_FUTURE_MS=${opts.maxFutureMs})`;
  }
  if (opts.retainRawDays !== undefined && event.ts < retentionCutoff(receivedAt, opts.retainRawDays)) {
    return `late: field "ts" ${new Date(event.ts).toISOString()} is older than the raw retention of ${opts.retainRawDays} days (RETAIN_RAW_DAYS); its window is archived and closed`;
  }
  const placed = event.lat !== undefined && event.lon !== undefined;
  if (event.area !== undefined && (opts.isArea === undefined || opts.isArea(event.area))) {
    return {
      event,
      area: event.area,
      extra: extraOf(def, value as Record<string, unknown>, event.kind, undefined),
      receivedAt,
    };
  }
  // An unknown code is not stored as given: the position decides, and the code is kept in `extra` for whoever sent it.
  if (event.area !== undefined && !placed) {
    return `${invalid(family, value as Record<string, unknown>)}area ${quoted(event.area, 64)} is not a known area code; send lat/lon or one of the codes from GET /api/areas`;
  }
  if (!placed && def.placeRequired) {
    const half = event.lat !== undefined ? 'lon' : event.lon !== undefined ? 'lat' : null;
    return `${invalid(family, value as Record<string, unknown>)}${half ? `field "${half}" is required with ${half === 'lon' ? 'lat' : 'lon'}` : 'field "area" is required, or "lat" and "lon": the event must say where it happened'}`;
  }
  const area = placed ? (opts.locate(event.lon!, event.lat!) ?? OUTSIDE) : null;
  return { event, area, extra: extraOf(def, value as Record<string, unknown>, event.kind, event.area), receivedAt };
}

/** Puts a key on a plain object as data: `o['__proto__'] = v` would set the object's prototype and lose the value. */
function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

/**
 * The keys zod does not know, as JSON. They come from JSON.parse, so `__proto__`, `constructor` and `prototype` are
 * plain own keys: they are copied as data and never looked up through a prototype (`in` would find `constructor`).
 */
function extraOf(
  def: FamilyDef<unknown>,
  raw: Record<string, unknown>,
  kind: string | undefined,
  givenArea: string | undefined,
): string | null {
  let extra: Record<string, unknown> | null = null;
  for (const key in raw) {
    if (!def.known.has(key)) setOwn((extra ??= {}), key, raw[key]);
  }
  if (def.nested.includes('metrics') && kind && typeof raw.metrics === 'object' && raw.metrics !== null) {
    const known = METRICS[kind as keyof typeof METRICS];
    let unknownMetrics: Record<string, unknown> | null = null;
    for (const key in raw.metrics) {
      if (!Object.hasOwn(known, key))
        setOwn((unknownMetrics ??= {}), key, (raw.metrics as Record<string, unknown>)[key]);
    }
    if (unknownMetrics) (extra ??= {}).metrics = unknownMetrics;
  }
  // The engine's note wins over a sent field of the same name: it is the one analysts query for.
  if (givenArea !== undefined) (extra ??= {}).given_area = givenArea;
  return extra ? JSON.stringify(extra) : null;
}

/** `invalid camera event (id "…"): `, the head of a reason about one event. */
function invalid(family: Family, raw: Record<string, unknown>): string {
  return `invalid ${family} event${typeof raw.id === 'string' ? ` (id ${JSON.stringify(raw.id.slice(0, 128))})` : ''}: `;
}

function describeIssues(family: Family, raw: Record<string, unknown>, error: z.ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.map(String).join('.');
    const message =
      issue.code === 'invalid_type' && issue.message.includes('received undefined') ? 'is required' : issue.message;
    return path ? `field "${path}" ${message}` : message;
  });
  const more = error.issues.length > 5 ? ` (+${error.issues.length - 5} more)` : '';
  return `${invalid(family, raw)}${parts.join('; ')}${more}`;
}
