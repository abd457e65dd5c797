/**
 * bench/hdf5: NetCDF-4 (HDF5) read by byte range over S3 (s3rver, a real S3 HTTP API in a child process).
 *
 *   npm run bench:hdf5            (node --conditions=source --import tsx bench/hdf5/run.ts [--rtt 30] [--repeat 3])
 *
 * Prints numbers, asserts nothing. Steps:
 * 1. Data: the UKV-like demo run (scripts/data/ukv.ts, 28 classic files) and the same run converted to NetCDF-4
 *    (nccopy -k nc4 -d 1 -s); a deflated 37 × 810 × 621 float32 field (big-field.py, netCDF4-python); the
 *    NetCDF-4 files of iris-test-data. All uploaded to s3rver.
 * 2. Import (the CF loader, as `cubemark import`) of each iris NetCDF-4 file: requests and bytes.
 * 3. Import of the 28-file run, classic and NetCDF-4: requests, bytes, time; direct and behind a latency proxy
 *    adding `--rtt` ms per round trip (goal: ≤ 2 s at 30 ms).
 * 4. One 2-D field of the deflated file: bytes fetched against the compressed bytes of the chunks it needs
 *    (goal ≤ 1.05×), and time against one plain ranged GET of those chunks.
 * 5. A time-mean (`reduce`) over the deflated variable against one plain GET of the same bytes (goal ≥ 70 %).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Hdf5Dataset as H5Dataset, openHdf5 } from '@cubemark/hdf5';
import { createSourcePool, defaultRegistry, fromArrayData, loadPublication, reduce, type SourcePool } from '@cubemark/cube';
import { hdf5Plugin } from '@cubemark/cube/hdf5';
import { generateUkvRun } from '../../scripts/data/ukv.js';
import { startS3Server } from '../../packages/cube/test/helpers/s3-server.js';
import { startLatencyProxy } from '../../packages/cube/test/helpers/latency-proxy.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    rtt: { type: 'string', default: '30' },
    repeat: { type: 'string', default: '3' },
    dir: { type: 'string', default: join(tmpdir(), 'cubemark-bench', 'hdf5') },
  },
});
const rtt = Number(args.rtt);
const repeat = Math.max(1, Number(args.repeat));
const dir = args.dir!;
const IRIS = '/work/shared/data/iris-test-data/NetCDF';
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;
const MB = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (...parts: unknown[]) => console.log(...parts);
async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await run();
  return { ms: performance.now() - t0, value };
}

// 1. Data ---------------------------------------------------------------------------------------------------------
await mkdir(dir, { recursive: true });
const classicDir = join(dir, 'ukv-classic');
const nc4Dir = join(dir, 'ukv-nc4');
const run = await generateUkvRun(classicDir, { scale: 'demo' });
await mkdir(nc4Dir, { recursive: true });
for (const f of run.files) {
  const out = join(nc4Dir, f.name);
  if (!existsSync(out)) execFileSync('nccopy', ['-k', 'nc4', '-d', '1', '-s', f.path, out]);
}
const big = join(dir, 'tas-deflated.nc');
if (!existsSync(big)) execFileSync(PYTHON, [join(HERE, 'big-field.py'), big]);
const irisNc4: string[] = [];
for (const entry of await readdir(IRIS, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.nc')) continue;
  const path = join(entry.parentPath, entry.name);
  const head = execFileSync('head', ['-c', '4', path]);
  if (head[0] === 0x89 && head[1] === 0x48) irisNc4.push(path);
}
irisNc4.sort();

const s3 = await startS3Server();
const restoreEnv = s3.applyEnv();
const key = (path: string) => path.replace(/^\/+/, '').replaceAll('/', '_');
for (const path of [...irisNc4, big]) await s3.put(key(path), path);
for (const f of run.files) {
  await s3.put(`classic/${f.name}`, f.path);
  await s3.put(`nc4/${f.name}`, join(nc4Dir, f.name));
}
const proxy = await startLatencyProxy(new URL(s3.endpoint).port, { rttMs: rtt });
const directPool = () => createSourcePool({ s3: { endpoint: s3.endpoint } });
const slowPool = () => createSourcePool({ s3: { endpoint: proxy.url } });
log(`# bench/hdf5 (s3rver on loopback; latency proxy ${rtt} ms RTT; median of ${repeat}; load average ${(await import('node:os')).loadavg()[0].toFixed(1)} on ${(await import('node:os')).cpus().length} cores)\n`);

// 2. Import of the iris NetCDF-4 files -----------------------------------------------------------------------------
log('## Import over S3 of the NetCDF-4 files of iris-test-data\n');
log('| file | size | requests | bytes fetched | cubes |');
log('|---|---|---|---|---|');
let totals = { requests: 0, bytes: 0, size: 0 };
for (const path of irisNc4) {
  const pool = directPool();
  const { publication } = await loadPublication([s3.uri(key(path))], { pool });
  const size = (await stat(path)).size;
  log(`| ${path.slice(IRIS.length + 1)} | ${kB(size)} | ${pool.counter.requests} | ${kB(pool.counter.bytes)} | ${publication.cubes.length} |`);
  totals = { requests: totals.requests + pool.counter.requests, bytes: totals.bytes + pool.counter.bytes, size: totals.size + size };
  await pool.close();
}
log(`| **all ${irisNc4.length}** | ${MB(totals.size)} | ${totals.requests} | ${kB(totals.bytes)} | |\n`);

// 3. Import of the 28-file run -------------------------------------------------------------------------------------
log(`## Import of the ${run.files.length}-file UKV-like run over S3\n`);
log('| format | total size | requests | bytes fetched | time, direct | time, +' + rtt + ' ms RTT |');
log('|---|---|---|---|---|---|');
for (const [label, prefix, local] of [
  ['classic', 'classic', classicDir],
  ['NetCDF-4 (deflate 1, shuffle)', 'nc4', nc4Dir],
] as const) {
  const uris = run.files.map((f) => s3.uri(`${prefix}/${f.name}`));
  let size = 0;
  for (const f of run.files) size += (await stat(join(local, f.name))).size;
  const direct: number[] = [];
  const slow: number[] = [];
  let counter = { requests: 0, bytes: 0 };
  for (let i = 0; i < repeat; i++) {
    const pool = directPool();
    direct.push((await timed(() => loadPublication(uris, { pool }))).ms);
    counter = { ...pool.counter };
    await pool.close();
    const far = slowPool();
    slow.push((await timed(() => loadPublication(uris, { pool: far }))).ms);
    await far.close();
  }
  log(`| ${label} | ${MB(size)} | ${counter.requests} | ${kB(counter.bytes)} | ${median(direct).toFixed(0)} ms | ${median(slow).toFixed(0)} ms |`);
}
log('');

// 4. One 2-D field of the deflated file -----------------------------------------------------------------------------
const bigUri = s3.uri(key(big));
const local = await openHdf5({
  uri: big,
  async getRange(offset, length) {
    const { open } = await import('node:fs/promises');
    const fh = await open(big);
    const buf = new Uint8Array(length);
    const { bytesRead } = await fh.read(buf, 0, length, offset);
    await fh.close();
    return buf.subarray(0, bytesRead);
  },
});
const tas = (await local.get('tas')) as H5Dataset;
const [nt, ny, nx] = tas.shape!;
const fieldSlab = { start: [17, 0, 0], count: [1, ny, nx] };
const needed = await tas.chunksFor(fieldSlab);
const compressed = needed.reduce((n, c) => n + c.size, 0);
const allChunks = await tas.chunksFor();
const variableStart = Math.min(...allChunks.map((c) => c.offset));
const variableEnd = Math.max(...allChunks.map((c) => c.offset + c.size));
log(`## One 2-D field (${ny} × ${nx} float32) of a deflated NetCDF-4 file over S3\n`);
log(`File: ${MB((await stat(big)).size)}, tas ${nt} × ${ny} × ${nx}, chunks ${tas.chunks!.join(' × ')}, ${allChunks.length} chunks of ${kB(compressed / needed.length)} compressed on average.\n`);
log('| what | requests | bytes fetched | × compressed chunk bytes | time |');
log('|---|---|---|---|---|');
{
  const fields: number[] = [];
  let fetched = { requests: 0, bytes: 0 };
  let open = { requests: 0, bytes: 0 };
  for (let i = 0; i < repeat; i++) {
    const pool = directPool();
    const dataset = await hdf5Plugin.openDataset(bigUri, pool);
    open = { ...pool.counter };
    const t = await timed(() => dataset.variables.get('tas')!.read(fieldSlab));
    fields.push(t.ms);
    fetched = { requests: pool.counter.requests - open.requests, bytes: pool.counter.bytes - open.bytes };
    await pool.close();
  }
  log(`| open (headers) | ${open.requests} | ${kB(open.bytes)} | | |`);
  log(`| read the field (index + chunks, decoded) | ${fetched.requests} | ${kB(fetched.bytes)} | ${(fetched.bytes / compressed).toFixed(3)} | ${median(fields).toFixed(1)} ms |`);
  const gets: number[] = [];
  const lo = Math.min(...needed.map((c) => c.offset));
  const hi = Math.max(...needed.map((c) => c.offset + c.size));
  for (let i = 0; i < repeat; i++) {
    const pool = directPool();
    gets.push((await timed(() => pool.open(bigUri).getRange(lo, hi - lo))).ms);
    await pool.close();
  }
  log(`| one plain GET of the chunks' span | 1 | ${kB(hi - lo)} | ${((hi - lo) / compressed).toFixed(3)} | ${median(gets).toFixed(1)} ms |`);
}
log('');

// 5. A time-mean over the deflated variable ----------------------------------------------------------------------------
log(`## Time-mean of tas (${nt} × ${ny} × ${nx}, ${MB(variableEnd - variableStart)} compressed) over S3\n`);
{
  const means: number[] = [];
  const gets: number[] = [];
  let fetched = 0;
  for (let i = 0; i < repeat; i++) {
    const pool: SourcePool = directPool();
    const { publication } = await loadPublication([bigUri], { pool });
    const cube = publication.cubes.find((c) => c.var_name === 'tas')!;
    const before = pool.counter.bytes;
    means.push((await timed(() => reduce(fromArrayData(cube.data, { sources: publication.sources, pool, plugins: defaultRegistry }), 'mean', [0]))).ms);
    fetched = pool.counter.bytes - before;
    await pool.close();
    const plain = directPool();
    gets.push((await timed(() => plain.open(bigUri).getRange(variableStart, variableEnd - variableStart))).ms);
    await plain.close();
  }
  // The same mean from the local file: the CPU's share (inflate, unshuffle, sum), with no network.
  const locals: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const pool = createSourcePool();
    const { publication } = await loadPublication([big], { pool });
    const cube = publication.cubes.find((c) => c.var_name === 'tas')!;
    locals.push((await timed(() => reduce(fromArrayData(cube.data, { sources: publication.sources, pool, plugins: defaultRegistry }), 'mean', [0]))).ms);
    await pool.close();
  }
  // The floor of any reader: inflating the same chunks with node's zlib, synchronously, bytes already in memory.
  const fileBytes = new Uint8Array(await (await import('node:fs/promises')).readFile(big));
  const inflates: number[] = [];
  for (let i = 0; i < repeat; i++) {
    inflates.push((await timed(async () => allChunks.map((c) => inflateSync(fileBytes.subarray(c.offset, c.offset + c.size))))).ms);
  }
  const m = median(means);
  const g = median(gets);
  const l = median(locals);
  const z = median(inflates);
  log('| what | bytes | time | rate of the compressed bytes |');
  log('|---|---|---|---|');
  log(`| time-mean (reduce, read + inflate + unshuffle + sum) | ${MB(fetched)} | ${m.toFixed(0)} ms | ${((variableEnd - variableStart) / 1e6 / (m / 1000)).toFixed(0)} MB/s |`);
  log(`| one plain GET of the same bytes | ${MB(variableEnd - variableStart)} | ${g.toFixed(0)} ms | ${((variableEnd - variableStart) / 1e6 / (g / 1000)).toFixed(0)} MB/s |`);
  log(`| the same time-mean from the local file (no network) | | ${l.toFixed(0)} ms | ${((variableEnd - variableStart) / 1e6 / (l / 1000)).toFixed(0)} MB/s |`);
  log(`| inflate alone (node zlib, one thread, bytes in memory) | | ${z.toFixed(0)} ms | ${((variableEnd - variableStart) / 1e6 / (z / 1000)).toFixed(0)} MB/s |`);
  log(`\nThe mean runs at ${((100 * g) / m).toFixed(0)} % of the plain GET's rate (goal ≥ 70 %).`);
}

await proxy.stop();
restoreEnv();
await s3.stop();
