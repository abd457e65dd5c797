/**
 * bench/security faults: runs the fault, concurrency, hostile-HTTP and load tests and prints the figures they
 * report (`figures: ...` lines), which docs/reliability.md quotes. The tests assert; this only collects.
 *
 *   npm run bench:faults
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FILES = [
  'packages/restore/test/store-faults.test.ts',
  'packages/restore/test/store-eacces.test.ts',
  'packages/restore/test/s3-faults.test.ts',
  'packages/restore/test/concurrency.test.ts',
  'packages/scheduler/test/security/hostile.test.ts',
  'packages/scheduler/test/security/limits.test.ts',
  'packages/scheduler/test/security/load.test.ts',
];
const run = spawnSync('pnpm', ['exec', 'vitest', 'run', ...FILES], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const output = `${run.stdout}\n${run.stderr}`;
// eslint-disable-next-line no-control-regex
const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
for (const line of plain.split('\n')) {
  if (line.startsWith('figures: ') || /^(route|list|describe|data|plot|publish storm)\b/.test(line.trim())) console.log(line.trim());
}
const summary = /Tests\s+(.*)/.exec(plain)?.[1];
console.log(`tests: ${summary ?? 'no summary'}${run.status === 0 ? '' : ' (some failed: run them to see why)'}`);
process.exit(run.status ?? 1);
