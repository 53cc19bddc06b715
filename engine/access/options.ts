// What the engine tells access control: whether tokens are required, where they are kept, and the limits per token.
import type { TokenStore } from './tokens.ts';

export interface AccessOptions {
  enabled: boolean;
  tokens: TokenStore;
  ratePerSecond: number;
  burst: number;
  /** Analyst queries one token may have running at once (the pool's limit is for everyone together). */
  sqlPerToken?: number;
}
