#!/usr/bin/env node
// The `ioc` command. TypeScript runs through tsx's loader (esbuild transpiles on the fly), so a fresh clone needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
