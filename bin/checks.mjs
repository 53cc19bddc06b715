#!/usr/bin/env node
// The static checks `npm test` runs before the suite: the type check, the linter, unused code and the formatting.
// They share nothing, so they run side by side (about 38 s instead of 48 on two cores); each one's output is printed
// whole when it ends, so the logs do not interleave.
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

const CHECKS = [
  ['types', bin('tsc'), ['--noEmit', '-p', '.']],
  ['lint', bin('eslint'), ['.']],
  ['unused code', bin('knip'), ['--no-progress']],
  ['formatting', bin('prettier'), ['--check', '.']],
];

function run([name, command, args]) {
  const began = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => out.push(b));
    const done = (code, reason) => {
      const seconds = ((performance.now() - began) / 1000).toFixed(1);
      const text = Buffer.concat(out).toString('utf8').trimEnd();
      const verdict = code === 0 ? 'ok' : `FAILED (${reason})`;
      process.stdout.write(`── ${name}: ${verdict} in ${seconds} s${text ? `\n${text}` : ''}\n`);
      resolve(code === 0);
    };
    child.on('error', (err) => done(1, err.message));
    child.on('close', (code, signal) => done(code ?? 1, signal ? `killed by ${signal}` : `exit code ${code}`));
  });
}

const results = await Promise.all(CHECKS.map(run));
const failed = CHECKS.filter((_, i) => !results[i]).map(([name]) => name);
if (failed.length > 0) {
  process.stderr.write(`static checks failed: ${failed.join(', ')}\n`);
  process.exit(1);
}
