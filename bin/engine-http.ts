// How the commands that talk to a running engine find it and speak to it: its URL and token, and its refusals.

/** --url, else $IOC_URL, else the engine on this machine at $PORT (8080). */
export function engineUrl(url: string | undefined, env: NodeJS.ProcessEnv): string {
  return (url ?? env.IOC_URL ?? `http://127.0.0.1:${env.PORT || '8080'}`).replace(/\/+$/, '');
}

/** The bearer header for --token, else $IOC_TOKEN; none when neither is set. */
export function authHeaders(token: string | undefined, env: NodeJS.ProcessEnv): Record<string, string> {
  const t = token ?? env.IOC_TOKEN;
  return t ? { authorization: `Bearer ${t}` } : {};
}

/** The engine's JSON error message (or the start of whatever it sent), after what was asked. */
export async function refusal(res: Response, what: string): Promise<string> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: { message?: string } };
    if (body.error?.message) return `${what}: ${res.status} ${body.error.message}`;
  } catch {
    /* not JSON: the text says it */
  }
  return `${what}: ${res.status} ${text.slice(0, 200)}`;
}
