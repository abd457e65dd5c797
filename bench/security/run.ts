/**
 * bench/security: the server under load. autocannon reads four routes at once (list, describe, a 2-D data slice,
 * a PNG map) while a publish storm replaces publications beside them (the read one among them), against a server
 * in its own process whose resident memory is sampled throughout. Prints latency percentiles, errors, the storm's
 * count and the server's memory; asserts nothing (the short form, with assertions, is
 * packages/scheduler/test/security/load.test.ts).
 *
 *   npm run bench:load -- [--seconds 10] [--connections 16]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serialize } from '@cubemark/format';
import { formatFigures, runLoad } from '../../packages/scheduler/test/helpers/load.js';
import { inlinePublication } from '../../packages/scheduler/test/helpers/publications.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const IRIS = process.env.CUBEMARK_IRIS_TEST_DATA ?? '/work/shared/data/iris-test-data';
/** A 1.7 MB NetCDF file of ECMWF seasonal forecast fields (float32, 4 × 6 × ... grids). */
const SOURCE = join(IRIS, 'NetCDF/label_and_climate/small_FC_167_mon_19601101.nc');
const TOKEN = 'bench-load-token-0123456789';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '16' } } });

/** VmRSS and VmHWM of a process, in MiB. */
async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

const store = await mkdtemp(join(tmpdir(), 'cubemark-bench-load-'));
const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(ROOT, 'bench/security/server.ts'), '--store', store, '--token', TOKEN, '--root', IRIS], {
  cwd: ROOT,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve, reject) => {
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /listening on (\S+)/.exec(out);
    if (m) resolve(m[1]!);
  });
  child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening`)));
});

try {
  const published = await fetch(`${url}/publications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'fc', sources: [SOURCE] }),
  });
  if (published.status !== 201) throw new Error(`publishing ${SOURCE}: ${published.status} ${await published.text()}`);
  const fc = await (await fetch(`${url}/publications/fc.md`)).text();
  const cube = (await (await fetch(`${url}/publications/fc/cubes/0`)).json()) as { shape: number[]; dims: string[] };
  const twoD = cube.shape.map((_, i) => (i < cube.shape.length - 2 ? '0' : ':')).join(',');

  const idle = await memoryOf(child.pid!);
  let peak = idle.rss;
  const sampler = setInterval(() => void memoryOf(child.pid!).then((m) => (peak = Math.max(peak, m.rss))), 250);
  const started = performance.now();
  const figures = await runLoad({
    url,
    token: TOKEN,
    durationSeconds: Number(values.seconds),
    connections: Number(values.connections),
    routes: [
      { name: 'list', path: '/publications' },
      { name: 'describe', path: '/publications/fc' },
      { name: 'data', path: `/publications/fc/cubes/0/data?sel=${twoD}` },
      { name: 'plot', path: `/publications/fc/cubes/0/plot.png?sel=${twoD}` },
    ],
    storm: [{ name: 'fc', text: fc }, ...Array.from({ length: 20 }, (_, i) => ({ name: `storm-${i}`, text: serialize(inlinePublication(`storm-${i}`, 4, 100)) }))],
  });
  clearInterval(sampler);
  const after = await memoryOf(child.pid!);
  console.log(`cubemark server under load: ${values.seconds} s, ${values.connections} connections per route, cube 0 of ${SOURCE.split('/').pop()} (shape ${cube.shape.join('×')}, slice ${twoD})`);
  console.log(formatFigures(figures));
  console.log(`server memory: ${idle.rss.toFixed(0)} MiB before, ${peak.toFixed(0)} MiB at most during, ${after.rss.toFixed(0)} MiB after (VmHWM ${after.peak.toFixed(0)} MiB); ${((performance.now() - started) / 1000).toFixed(1)} s`);
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  await rm(store, { recursive: true, force: true });
}
