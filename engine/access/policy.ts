// Whether access control is on: AUTH, or by default off on loopback (the demo) and on anywhere else.
import { ConfigError } from '../errors.ts';

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** A server reachable from the network never runs without tokens: AUTH=off there stops start-up. */
export function authEnabled(host: string, auth: 'on' | 'off' | undefined): boolean {
  if (auth === 'off' && !isLoopback(host)) {
    throw new ConfigError([
      `AUTH=off with HOST=${host}: refused, a server reachable from the network needs access control (set AUTH=on, or HOST=127.0.0.1)`,
    ]);
  }
  return auth === undefined ? !isLoopback(host) : auth === 'on';
}
