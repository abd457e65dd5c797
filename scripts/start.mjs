#!/usr/bin/env node
// The main job: a scheduler serving the demo publications, restored from a store on every start.
// First start: generates the demo data (fixtures/data/generated), makes a store in demo/store from the committed
// fixtures, and a data base in demo/data that reaches both the generated data and the shared Iris test files.
// Later starts restore whatever the store holds (including what you published). Extra arguments go to `serve`.
import { spawnSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const log = (m) => process.stderr.write(`start: ${m}\n`);

const gen = spawnSync('node', ['--conditions=source', '--import', 'tsx', 'scripts/data/make-fixtures.ts', '--data'], { cwd: root, stdio: 'inherit' });
if (gen.status !== 0) process.exit(gen.status ?? 1);

function irisData() {
  if (process.env.CUBEMARK_IRIS_TEST_DATA) return resolve(process.env.CUBEMARK_IRIS_TEST_DATA);
  for (let dir = root; ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'data', 'iris-test-data');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return '/work/shared/data/iris-test-data';
  }
}

const store = join(root, 'demo', 'store');
const data = join(root, 'demo', 'data');
if (!existsSync(store)) {
  mkdirSync(store, { recursive: true });
  const fixtures = join(root, 'fixtures');
  for (const f of readdirSync(fixtures).filter((f) => f.endsWith('.cube.md'))) copyFileSync(join(fixtures, f), join(store, f));
  const iris = irisData();
  if (existsSync(iris)) {
    for (const f of readdirSync(join(fixtures, 'iris-test-data')).filter((f) => f.endsWith('.cube.md'))) {
      copyFileSync(join(fixtures, 'iris-test-data', f), join(store, f));
    }
  } else {
    log(`no Iris test data at ${iris}: serving the synthetic demos only (set CUBEMARK_IRIS_TEST_DATA)`);
  }
  log(`made the demo store ${store} from fixtures/`);
}
if (!existsSync(data)) {
  // One data base for two kinds of relative URI: data/generated/... (fixtures) and NetCDF/... (Iris files).
  mkdirSync(data, { recursive: true });
  symlinkSync(join(root, 'fixtures', 'data'), join(data, 'data'));
  const iris = irisData();
  if (existsSync(join(iris, 'NetCDF'))) symlinkSync(join(iris, 'NetCDF'), join(data, 'NetCDF'));
}

// The server reads only under its data roots, symlinks resolved: the data base and what its links point to.
const roots = [data, join(root, 'fixtures', 'data')];
if (existsSync(join(irisData(), 'NetCDF'))) roots.push(join(irisData(), 'NetCDF'));
const args = ['exec', 'cubemark', 'serve', '--store', store, '--data-base', data, ...roots.flatMap((r) => ['--data-root', r]), ...process.argv.slice(2)];
if (!process.env.CUBEMARK_TOKEN && !process.argv.includes('--token')) {
  log('writes need a token: run with CUBEMARK_TOKEN=... (publish/unpublish are refused without one)');
}
const child = spawn('pnpm', args, { cwd: root, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
