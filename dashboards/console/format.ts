// Arrow cells as the grid and the charts show them: times in Hanoi, exact decimals, bytes in hex, nested values as JSON.
import { DataType, type Field } from 'apache-arrow';

/** `YYYY-MM-DD HH:MM:SS,mmm` in a time zone (Swedish order is ISO's). */
const stamp = (timeZone: string) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
    hour12: false,
  });
const HANOI = stamp('Asia/Ho_Chi_Minh');
const UTC = stamp('UTC');

export function isNumeric(type: DataType): boolean {
  return DataType.isInt(type) || DataType.isFloat(type) || DataType.isDecimal(type);
}

export function isTime(type: DataType): boolean {
  return DataType.isTimestamp(type) || DataType.isDate(type);
}

/** Two's complement 128-bit words to an exact decimal string. */
function decimalText(words: Uint32Array, scale: number): string {
  let x = 0n;
  for (let w = words.length - 1; w >= 0; w--) x = (x << 32n) | BigInt(words[w]!);
  const bits = BigInt(words.length * 32);
  if (x >= 1n << (bits - 1n)) x -= 1n << bits;
  const negative = x < 0n;
  const digits = (negative ? -x : x).toString().padStart(scale + 1, '0');
  const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}

/** A cell as a number for charts (times as epoch ms); null when it has none. */
export function numberOf(value: unknown, type: DataType): number | null {
  if (value === null || value === undefined) return null;
  if (DataType.isDecimal(type)) return Number(decimalText(value as Uint32Array, type.scale));
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return value.getTime();
  return null;
}

function json(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? hex(v) : v,
  );
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes.subarray(0, 48)) out += `\\x${b.toString(16).padStart(2, '0').toUpperCase()}`;
  return bytes.length > 48 ? `${out}…` : out;
}

export function formatCell(value: unknown, field: Field): string {
  if (value === null || value === undefined) return 'NULL';
  const type = field.type;
  if (DataType.isTimestamp(type)) {
    const ms = Number(value);
    return `${(type.timezone ? HANOI : UTC).format(ms).replace(',', '.')}${type.timezone ? ' +07' : ''}`;
  }
  if (DataType.isDate(type)) return new Date(Number(value)).toISOString().slice(0, 10);
  if (DataType.isDecimal(type)) return decimalText(value as Uint32Array, type.scale);
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value);
    const abs = Math.abs(value);
    return abs !== 0 && (abs >= 1e15 || abs < 1e-6) ? value.toExponential(6) : String(Number(value.toFixed(6)));
  }
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return hex(value);
  const maybe = value as { toJSON?: () => unknown; toArray?: () => unknown };
  if (typeof maybe.toJSON === 'function') return json(maybe.toJSON());
  if (typeof maybe.toArray === 'function') return json(Array.from(maybe.toArray() as ArrayLike<unknown>));
  return json(value);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
