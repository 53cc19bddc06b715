// Named errors of the NATS connector.

/** The server cannot be reached, refuses us, or lacks what the configuration asks for. */
export class NatsSourceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NatsSourceError';
  }
}

/** A URL (or a cluster's comma-separated URLs) fit for messages and logs: credentials removed. */
export function redact(url: string): string {
  if (url.includes(','))
    return url
      .split(',')
      .map((u) => redactOne(u.trim()))
      .join(',');
  return redactOne(url);
}

function redactOne(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
