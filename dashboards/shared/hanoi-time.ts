// Times as the pages show them: in Hanoi, whatever the browser's own zone; each formatter made once.

const formats = new Map<string, Intl.DateTimeFormat>();

/** A Hanoi formatter for `locale` with `options`, made on first use (`key` names the options). */
export function hanoiFormat(key: string, locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const id = `${key}|${locale}`;
  let format = formats.get(id);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'Asia/Ho_Chi_Minh' });
    formats.set(id, format);
  }
  return format;
}

/** Hour and minute (and seconds) in Hanoi time. */
export function formatHanoiTime(ms: number, locale: string, seconds = false): string {
  return hanoiFormat(seconds ? 'hms' : 'hm', locale, {
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
  }).format(ms);
}
