#!/usr/bin/env node
// The `ioc` command. TypeScript runs through tsx's loader (esbuild transpiles on the fly), so a fresh clone needs no build step.
import process from 'node:process';
import { register } from 'tsx/esm/api';

// DuckDB's allocator (its own jemalloc) gives freed memory back to the system a second after a statement by default,
// and a quiet city's next commit or tick, a few hundred milliseconds later, faults it in again: kept five seconds, the
// engine at rest used 47–48 % of a core instead of 60–63 % (RSS about 100 MB higher). Read when DuckDB first
// allocates, so set before it loads; an operator's own setting wins.
process.env.DUCKDB_JE_MALLOC_CONF ??= 'dirty_decay_ms:5000,muzzy_decay_ms:5000';
register();
await import('./cli.ts');
