#!/usr/bin/env node
// Runs every test and ends with a plain `N passed, N failed` line, which CI reads (vitest's summary is not).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';

mkdirSync('artifacts', { recursive: true });
const report = 'artifacts/vitest-report.json';
rmSync(report, { force: true });
// Tests are TypeScript too: type-check them (vitest itself only strips types). A failure counts as one failed test.
const typecheck = spawnSync('pnpm', ['exec', 'tsc', '-p', 'tsconfig.test.json'], { stdio: 'inherit' });
const typeFailures = typecheck.status === 0 ? 0 : 1;
if (typeFailures) process.stderr.write('test: type-checking the tests failed (see above)\n');

const args = ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
const r = spawnSync('pnpm', args, { stdio: 'inherit' });
let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests ?? 0;
  // A file that fails outside its tests (an import, a beforeAll) reports its tests as skipped, not failed: each
  // test such a file did not run counts as failed, and the file as one when it lists none.
  const brokenFiles = (json.testResults ?? []).filter((f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed'));
  failed = (json.numFailedTests ?? 0) + brokenFiles.reduce((n, f) => n + Math.max(1, f.assertionResults.filter((a) => a.status !== 'passed').length), 0);
} else {
  failed = 1;
}
failed += typeFailures;
const status = r.status === 0 && failed === 0 && passed > 0 ? 0 : 1;
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(status);
