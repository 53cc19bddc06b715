// Short ids for alerts and incidents: a hash of what makes each one unique, readable in a log line or a URL.
import { createHash } from 'node:crypto';

export const shortHash = (s: string): string => createHash('sha1').update(s).digest('hex').slice(0, 12);
