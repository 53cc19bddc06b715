// The pages' bearer token: kept for the browser session (or given once as ?token= for a kiosk), sent with every
// same-origin API call and the live feed; when the server asks for one, the page asks the person once.
const KEY = 'ioc.token';

const fromUrl = new URLSearchParams(location.search).get('token');
if (fromUrl) {
  sessionStorage.setItem(KEY, fromUrl);
  // Out of the address bar, history and screenshots.
  const url = new URL(location.href);
  url.searchParams.delete('token');
  history.replaceState(null, '', url);
}

export function currentToken(): string | null {
  return sessionStorage.getItem(KEY);
}

let asking: Promise<string | null> | null = null;
function askForToken(): Promise<string | null> {
  asking ??= Promise.resolve()
    .then(() => {
      const answer = window.prompt(
        document.documentElement.lang === 'en'
          ? 'This engine needs an access token (ask an administrator: ioc token create …):'
          : 'Hệ thống yêu cầu mã truy cập (liên hệ quản trị viên: ioc token create …):',
      );
      if (answer?.trim()) sessionStorage.setItem(KEY, answer.trim());
      return answer?.trim() || null;
    })
    .finally(() => {
      asking = null;
    });
  return asking;
}

const original = window.fetch.bind(window);
window.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, location.href);
  if (url.origin !== location.origin) return original(input, init);
  const send = (token: string | null) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    if (token) headers.set('authorization', `Bearer ${token}`);
    return original(input, { ...init, headers });
  };
  const res = await send(currentToken());
  if (res.status !== 401) return res;
  const token = await askForToken();
  return token ? send(token) : res;
};

/** For socket.io: `io({ auth: socketAuth })` sends the current token on every (re)connection. */
export const socketAuth = (cb: (data: Record<string, unknown>) => void): void => cb({ token: currentToken() });
