// Fields shared by every event family of the wire contract (version 1).
import { z } from 'zod';

const MIN_TS = Date.UTC(2000, 0, 1);
const MAX_TS = Date.UTC(2100, 0, 1);

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const TS_HELP = 'must be RFC 3339 with an offset (e.g. 2026-11-27T08:00:00+07:00) or whole epoch milliseconds';

/** Epoch ms of an event time in either accepted form, NaN when it is in neither (the range is checked apart). */
function parsedMs(v: unknown): number {
  if (typeof v === 'number') return Number.isInteger(v) ? v : Number.NaN;
  return typeof v === 'string' && RFC3339.test(v) ? Date.parse(v) : Number.NaN;
}

/** Epoch ms of a valid event time, or null: the one rule, shared by zod's check below and the hot path's fast check. */
export function timestampMs(v: unknown): number | null {
  const ms = parsedMs(v);
  return ms >= MIN_TS && ms < MAX_TS ? ms : null;
}

/** Event time: RFC 3339 with an offset, or epoch milliseconds; parsed to epoch ms. One check, one clear message. */
export const Timestamp = z.unknown().transform((v, ctx): number => {
  const ms = parsedMs(v);
  if (v === undefined) ctx.addIssue({ code: 'custom', message: 'is required' });
  else if (Number.isNaN(ms)) ctx.addIssue({ code: 'custom', message: TS_HELP });
  else if (ms < MIN_TS || ms >= MAX_TS)
    ctx.addIssue({ code: 'custom', message: 'must be between 2000-01-01 and 2100-01-01' });
  return ms;
});

/**
 * No C0 or C1 control character (NUL, newline, escape, U+0085…): ids key rows, topics, logs and dashboards, where
 * an invisible or terminal-driving character would hide one device behind another or rewrite what an operator sees.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const NO_CONTROLS = /^[^\u0000-\u001f\u007f-\u009f]*$/;
/** Text without control characters (see NO_CONTROLS), of any length the caller sets. */
export const PlainText = z
  .string()
  .regex(NO_CONTROLS, 'must not contain control characters (U+0000–U+001F, U+007F–U+009F)');
/** An event or device id (the dedup key, cameraId, sensorId, dossierId, agency). */
export const Id = PlainText.min(1).max(128);
export const Lat = z.number().min(-90).max(90);
export const Lon = z.number().min(-180).max(180);
const AreaCode = z.string().min(1).max(64);

export const base = {
  id: Id,
  ts: Timestamp,
  area: AreaCode.optional(),
};
