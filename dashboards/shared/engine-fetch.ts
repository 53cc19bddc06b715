// The page's API calls follow its live feed: a path written as `/api/…` goes to the engine the feed is on, with the
// page's token, so every answer comes from the replica whose updates the page is merging.
import { currentToken } from './auth.ts';
import { PAGE_ENGINE } from './engines.ts';

/** Null: the page's own engine, where auth.ts's wrapper already adds the token and asks for one on a 401. */
let target: string | null = null;

export function followEngine(base: string): void {
  target = base === PAGE_ENGINE ? null : base;
}

// auth.ts is imported above, so its wrapper is in place: this one goes around it.
const inner = window.fetch.bind(window);
window.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  if (target === null || typeof input !== 'string' || !input.startsWith('/api/')) return inner(input, init);
  const headers = new Headers(init?.headers);
  const token = currentToken();
  if (token && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
  return inner(`${target}${input}`, { ...init, headers });
};
