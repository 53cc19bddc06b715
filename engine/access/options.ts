// What the engine tells access control: whether tokens are required, where they are kept, and the limits per token.
import type { SqlSlots } from './sql-per-token.ts';
import type { TokenStore } from './tokens.ts';

export interface AccessOptions {
  enabled: boolean;
  tokens: TokenStore;
  ratePerSecond: number;
  burst: number;
  /** Analyst queries one token may have running at once, over HTTP and the PostgreSQL door together. */
  sqlSlots?: SqlSlots;
}
