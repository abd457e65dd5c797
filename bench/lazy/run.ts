/**
 * bench/lazy: laziness and streaming on a full-size, UKV-like model run (~53 GB, sparse on disk).
 *
 *   node --conditions=source --import tsx bench/lazy/run.ts [--dir DIR] [--repeat N] [--no-s3] [--cold]
 *
 * Prints numbers, asserts nothing. Steps:
 * 1. Generate the run (scripts/data/ukv.ts, scale `full`) into DIR (default: `$CUBEMARK_BENCH_DIR`, else
 *    `<tmpdir>/cubemark-bench/ukv-full`), or reuse it when `run.json` there matches the generator's sources.
 *    Needs ~340 MB of real disk for ~53 GB of apparent size (holes), and ~6 s.
 * 2. Import: the CF loader over all 28 files, then `serialize`, in a child process (clean RSS), N times.
 * 3. One 2-D field read through the lazy layer, from the local file and from S3 (s3rver, a real S3 HTTP API
 *    in a child process). Only the 74 MB screen-temperature file is uploaded: a 5.2 GB 3-D file would be read
 *    whole into memory by the upload and stored whole (not sparse) by s3rver.
 * 4. A streaming time-mean (`reduce`) of the screen temperature (37 × 810 × 621 float32, 74 MB, every value
 *    written), with the default number of helper threads and with the other choice (none or one), against: the same byte ranges read through
 *    the same kind of byte source with no decoding, into reused buffers as `reduce` reads them (the I/O floor of
 *    `reduce`, and its goal: ≥ 70 % of that rate), and with a new buffer per request; a raw `fs` read of the
 *    variable's byte range into one buffer; a hand-written read + decode + mean loop; `reduce`'s own kernels on
 *    tiles in memory (its arithmetic alone); and the least computation a mean needs with the bytes in memory. Page cache warm for all; with `--cold` (root: writes /proc/sys/vm/drop_caches, which
 *    empties the whole machine's page cache) also from a cold cache. `reduce` is also reported in CPU time and GC
 *    time, which a busy machine distorts less than wall time.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CubeMeta, Publication } from '@cubemark/format';
import { PerformanceObserver } from 'node:perf_hooks';
import {
  DEFAULT_MAX_ELEMENTS_PER_STEP,
  DEFAULT_REDUCE_CONCURRENCY,
  LocalByteSource,
  createSourcePool,
  defaultRegistry,
  fromArrayData,
  reduce,
  type ArrayResult,
  type SourcePool,
} from '@cubemark/cube';
import { coalesceRuns, openNetcdf, planRuns, READER_MAX_GAP } from '@cubemark/cube/netcdf';
import { generateUkvRun, ukvFileName, UKV_GRIDS, type UkvRun } from '../../scripts/data/ukv.js';
import { startS3Server } from '../../packages/cube/test/helpers/s3-server.js';
import { planTiles, tileAt } from '../../packages/cube/src/lazy/tiles.js';
import { Accumulators, accumulateTile, ALL_CELLS } from '../../packages/cube/src/lazy/kernels.js';
import { KernelArena } from '../../packages/cube/src/lazy/wasm-kernels.js';
import { defaultHelpers } from '../../packages/cube/src/lazy/helpers.js';
import { loadCf } from './cf.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const { values: args } = parseArgs({
  options: {
    dir: { type: 'string', default: process.env.CUBEMARK_BENCH_DIR ?? join(tmpdir(), 'cubemark-bench', 'ukv-full') },
    repeat: { type: 'string', default: '3' },
    'no-s3': { type: 'boolean', default: false },
    cold: { type: 'boolean', default: false },
  },
});
const dir = resolve(args.dir!);
const repeat = Math.max(1, Number(args.repeat));

const MB = 1e6;
const fmtMB = (bytes: number) => `${(bytes / MB).toFixed(bytes < 10 * MB ? 3 : 1)} MB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rate = (bytes: number, ms: number) => bytes / (ms / 1000);
const mbps = (bytes: number, ms: number) => `${(rate(bytes, ms) / MB).toFixed(0)} MB/s`;
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(0)} %`;
const rows: [string, string, string][] = [];
const row = (what: string, value: string, note = '') => {
  rows.push([what, value, note]);
  console.error(`  ${what}: ${value}${note ? `  (${note})` : ''}`);
};

// ---------------------------------------------------------------------------------------------------------------
// 1. The run

async function generatorKey(): Promise<string> {
  const h = createHash('sha256');
  for (const f of ['scripts/data/helpers.ts', 'scripts/data/ukv.ts', 'packages/cube/src/readers/netcdf/writer/index.ts', 'packages/cube/src/readers/netcdf/writer/layout.ts', 'packages/cube/src/readers/netcdf/writer/values.ts']) h.update(await readFile(join(ROOT, f)));
  return h.digest('hex').slice(0, 16);
}

async function ensureRun(): Promise<UkvRun> {
  const key = await generatorKey();
  const stampPath = join(dir, 'run.json');
  if (existsSync(stampPath)) {
    const stamp = JSON.parse(await readFile(stampPath, 'utf8')) as { key: string; run: UkvRun };
    if (stamp.key === key && (await Promise.all(stamp.run.files.map((f) => stat(f.path).then((s) => s.size === f.size, () => false)))).every(Boolean)) {
      console.error(`reusing the run in ${dir}`);
      return stamp.run;
    }
  }
  console.error(`generating the full-scale run into ${dir} ...`);
  await mkdir(dir, { recursive: true });
  const t = performance.now();
  const run = await generateUkvRun(dir, { scale: 'full', seed: 1 });
  console.error(`  generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await writeFile(stampPath, JSON.stringify({ key, run }));
  return run;
}

const run = await ensureRun();
const onDisk = (await Promise.all(run.files.map((f) => stat(f.path)))).reduce((n, s) => n + s.blocks * 512, 0);
const g = UKV_GRIDS.full;
console.error('run');
row('files', `${run.files.length}`, `${g.nt} times × ${g.nz} levels × ${g.ny} × ${g.nx}, ${run.format}`);
row('apparent size', `${(run.totalBytes / 1e9).toFixed(1)} GB`);
row('on disk', fmtMB(onDisk), `${((100 * onDisk) / run.totalBytes).toFixed(2)} % of the apparent size`);
const headerBytes = run.files.reduce((n, f) => n + f.headerBytes, 0);

// ---------------------------------------------------------------------------------------------------------------
// 2. Import in a child process

console.error('import (CF loader → serialize), child process');
const uris = run.files.map((f) => f.name);
const imports: Record<string, number>[] = [];
for (let i = 0; i < repeat; i++) {
  const r = spawnSync(process.execPath, ['--expose-gc', '--conditions=source', '--import', 'tsx', join(HERE, 'import-child.ts'), dir, ...uris], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`import child failed: ${r.stderr}`);
  imports.push(JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>);
}
const imp = imports[imports.length - 1];
row('import time', `${median(imports.map((x) => x.totalMs)).toFixed(0)} ms`, `median of ${repeat}; load ${median(imports.map((x) => x.loadMs)).toFixed(0)} ms`);
row('cubes', `${imp.cubes}`, `${imp.warnings} warnings; document ${fmtMB(imp.documentBytes)}`);
row('bytes fetched', fmtMB(imp.fetchedBytes), `${imp.requests} requests; headers are ${fmtMB(headerBytes)}`);
row('bytes read (rchar)', fmtMB(imp.rcharBytes), '/proc/self/io, the whole process');
row('RSS increase', fmtMB(median(imports.map((x) => x.rssAfter - x.rssBefore))), `median; from ${fmtMB(imp.rssBefore)}, peak ${fmtMB(imp.maxRss)}`);

// ---------------------------------------------------------------------------------------------------------------
// 3. One 2-D field, local and S3

const loadPublication = await loadCf();

function cubeOf(pub: Publication, varName: string): CubeMeta {
  const cube = pub.cubes.find((c) => c.var_name === varName);
  if (!cube) throw new Error(`no cube '${varName}'`);
  return cube;
}

function summary(result: ArrayResult): string {
  const v = result.values as Float32Array;
  let min = Infinity;
  let max = -Infinity;
  let masked = 0;
  for (let i = 0; i < v.length; i++) {
    if (result.mask?.[i]) {
      masked++;
      continue;
    }
    min = Math.min(min, v[i]);
    max = Math.max(max, v[i]);
  }
  return `${min.toFixed(2)}..${max.toFixed(2)}${masked ? `, ${masked} masked` : ''}`;
}

async function readField(pub: Publication, base: string | undefined, varName: string, index: number[], pool: SourcePool) {
  const cube = cubeOf(pub, varName);
  const array = fromArrayData(cube.data, { sources: pub.sources, base, pool, plugins: defaultRegistry }).slice(index);
  const before = { ...pool.counter };
  const t = performance.now();
  const result = await array.read();
  const ms = performance.now() - t;
  const needed = result.values.length * 4;
  return { ms, fetched: pool.counter.bytes - before.bytes, requests: pool.counter.requests - before.requests, needed, result };
}

console.error('2-D field read');
const localPool = createSourcePool();
const { publication: localPub } = await loadPublication(uris, { name: 'ukv-full', base: dir, pool: localPool });
{
  const r = await readField(localPub, dir, 'air_temperature', [0, 0], localPool);
  row('local, air_temperature[0, 0]', `${fmtMB(r.fetched)} / ${fmtMB(r.needed)}`, `fetched / needed, ${r.requests} request(s), ${r.ms.toFixed(1)} ms, values ${summary(r.result)}`);
  const hole = await readField(localPub, dir, 'air_temperature', [20, 35], localPool);
  row('local, air_temperature[20, 35] (hole)', `${fmtMB(hole.fetched)} / ${fmtMB(hole.needed)}`, `${hole.ms.toFixed(1)} ms, values ${summary(hole.result)}`);
}

if (!args['no-s3']) {
  const s3 = await startS3Server({ bucket: 'cubemark-bench' });
  const restoreEnv = s3.applyEnv();
  try {
    const file = run.files.find((f) => f.name === ukvFileName('screen_temperature'))!;
    const key = `ukv/${file.name}`;
    const t = performance.now();
    await s3.put(key, file.path);
    const uploadMs = performance.now() - t;
    const pool = createSourcePool();
    const t1 = performance.now();
    const { publication } = await loadPublication([s3.uri(key)], { name: 'ukv-s3', pool });
    const loadMs = performance.now() - t1;
    row('S3 upload (one file)', fmtMB(file.size), `${file.name}, ${uploadMs.toFixed(0)} ms`);
    row('S3 import of that file', `${fmtMB(pool.counter.bytes)}`, `${pool.counter.requests} requests, ${loadMs.toFixed(0)} ms`);
    const r = await readField(publication, undefined, 'screen_temperature', [0], pool);
    row('S3, screen_temperature[0]', `${fmtMB(r.fetched)} / ${fmtMB(r.needed)}`, `fetched / needed, ${r.requests} request(s), ${r.ms.toFixed(1)} ms, values ${summary(r.result)}`);
    const lr = await readField(localPub, dir, 'screen_temperature', [0], localPool);
    row('local, screen_temperature[0]', `${fmtMB(lr.fetched)} / ${fmtMB(lr.needed)}`, `${lr.ms.toFixed(1)} ms`);

    // The time-mean over S3, against one plain ranged GET of the same bytes (the variable's records, from the
    // first to the end of the last), each through a fresh pool: what a model run in object storage costs.
    const s3Cube = cubeOf(publication, 'screen_temperature');
    const header = await openNetcdf(pool.open(s3.uri(key)));
    await pool.close();
    const s3Var = header.header.variables.find((x) => x.name === 'screen_temperature')!;
    const start = s3Var.begin;
    const length = (header.header.numrecs - 1) * header.header.recordStride + s3Var.shape.slice(1).reduce((p, n) => p * n, 1) * 4;
    const s3Read: number[] = [];
    const s3Mean: number[] = [];
    let s3Fetched = 0;
    for (let i = 0; i < Math.max(repeat, 3); i++) {
      const plain = createSourcePool();
      const t0 = performance.now();
      await plain.open(s3.uri(key)).getRange(start, length);
      s3Read.push(performance.now() - t0);
      await plain.close();
      const reducing = createSourcePool();
      const t1 = performance.now();
      await reduce(fromArrayData(s3Cube.data, { sources: publication.sources, pool: reducing, plugins: defaultRegistry }), 'mean', [0]);
      s3Mean.push(performance.now() - t1);
      s3Fetched = reducing.counter.bytes;
      await reducing.close();
    }
    const valueBytes3 = s3Cube.shape.reduce((p, n) => p * n, 1) * 4;
    row('S3, one GET of the same bytes', mbps(length, median(s3Read)), `${fmtMB(length)} in one ranged request, ${median(s3Read).toFixed(0)} ms, median of ${s3Read.length}`);
    row('S3, reduce(mean, time)', mbps(valueBytes3, median(s3Mean)), `${median(s3Mean).toFixed(0)} ms; fetched ${fmtMB(s3Fetched)}`);
    row('S3, reduce / one GET', pct(rate(valueBytes3, median(s3Mean)), rate(length, median(s3Read))), 'goal ≥ 70 %');
  } finally {
    restoreEnv();
    await s3.stop();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 4. Streaming time-mean vs a sequential read

console.error('time-mean of screen_temperature (37 × 810 × 621 float32)');
const meanFile = run.files.find((f) => f.name === ukvFileName('screen_temperature'))!;
const source = new LocalByteSource(meanFile.path);
const ds = await openNetcdf(source);
const v = ds.header.variables.find((x) => x.name === 'screen_temperature')!;
const regionStart = v.begin;
const regionEnd = v.begin + (ds.header.numrecs - 1) * ds.header.recordStride + g.ny * g.nx * 4;
await source.close();
const valueBytes = ds.header.numrecs * g.ny * g.nx * 4;
const meanCube = cubeOf(localPub, 'screen_temperature');

/**
 * The byte ranges `reduce` fetches, tile by tile: the same tile plan, each tile's runs planned and merged as the
 * NetCDF plugin's reader does. Reading exactly these through a byte source, with no decoding, is the I/O floor
 * `reduce` is measured against.
 */
const tileRanges: [number, number][][] = (() => {
  const array = fromArrayData(meanCube.data, { sources: localPub.sources, base: dir, pool: localPool, plugins: defaultRegistry });
  const plan = planTiles(array, DEFAULT_MAX_ELEMENTS_PER_STEP);
  const layout = { ncType: v.ncType, begin: v.begin, shape: v.shape, recordStride: ds.header.recordStride };
  return Array.from({ length: plan.count }, (_, k) => {
    const { selection } = tileAt(plan, k);
    const start = selection.map((s) => ('index' in s ? s.index : s.start));
    const count = selection.map((s) => ('index' in s ? 1 : s.count));
    return coalesceRuns(planRuns(layout, start, count), { maxGap: READER_MAX_GAP }).map((f): [number, number] => [f.offset, f.length]);
  });
})();

const turn = () => new Promise<void>((r) => setImmediate(r));

/**
 * Fetch `tileRanges` through a fresh source pool (the byte source `reduce` reads through: limits, retries,
 * merging of concurrent ranges), `DEFAULT_REDUCE_CONCURRENCY` tiles in flight, each tile issued in its own turn of
 * the event loop as `reduce` issues them; the bytes are dropped. With `reuse`, each tile is read into one of
 * `DEFAULT_REDUCE_CONCURRENCY` buffers reused from tile to tile and from call to call (`RangeReadOptions.into`),
 * as `reduce` does; without, the byte source allocates a buffer per request (what `reduce` did before it could
 * pass its own).
 */
const readBuffers: Uint8Array[] = [];
async function byteSourceRead(reuse: boolean): Promise<number> {
  const pool = createSourcePool();
  const src = pool.open(meanFile.path);
  // Kept from call to call, as `reduce` keeps its own: the baseline gets no page faults either.
  const free = readBuffers;
  const bytes = Math.max(...tileRanges.map((r) => r.reduce((n, [, length]) => n + length, 0)));
  const window: Promise<unknown>[] = [];
  let next = 0;
  const launch = async () => {
    const ranges = tileRanges[next++];
    const into = reuse ? (free.pop() ?? new Uint8Array(bytes)) : undefined;
    let at = 0;
    const reads = ranges.map(([offset, length]) => {
      const part = into?.subarray(at, (at += length));
      return src.getRange(offset, length, { into: part });
    });
    window.push(Promise.all(reads).then(() => into && free.push(into)));
    await turn();
    await turn();
  };
  const t = performance.now();
  while (window.length < DEFAULT_REDUCE_CONCURRENCY && next < tileRanges.length) await launch();
  while (window.length > 0) {
    await window.shift();
    if (next < tileRanges.length) await launch();
  }
  const ms = performance.now() - t;
  await pool.close();
  return ms;
}

/**
 * Read the variable's byte range front to back in 8 MiB reads into one reused buffer (raw `fs`, no byte source);
 * with `mean`, also decode each record (big-endian float32) and accumulate a plain time-mean, the least a
 * hand-written, non-lazy loop would do.
 */
async function sequentialRead(mean = false): Promise<number> {
  const fh = await open(meanFile.path);
  const buf = Buffer.allocUnsafe(8 << 20);
  const field = g.ny * g.nx;
  const sum = new Float64Array(field);
  const count = new Uint32Array(field);
  const record = Buffer.allocUnsafe(field * 4);
  const t = performance.now();
  try {
    if (!mean) {
      for (let at = regionStart; at < regionEnd; ) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, regionEnd - at), at);
        if (bytesRead === 0) break;
        at += bytesRead;
      }
    } else {
      for (let r = 0; r < ds.header.numrecs; r++) {
        await fh.read(record, 0, record.length, regionStart + r * ds.header.recordStride);
        record.swap32();
        const values = new Float32Array(record.buffer, record.byteOffset, field);
        for (let i = 0; i < field; i++) {
          const x = values[i];
          if (x !== FILL) {
            sum[i] += x;
            count[i]++;
          }
        }
      }
      for (let i = 0; i < field; i++) sum[i] /= count[i];
    }
  } finally {
    await fh.close();
  }
  return performance.now() - t;
}
const FILL = -1073741824;

/**
 * The least computation a time-mean needs, with the bytes already in memory: byte-swap every record and add it
 * into a float64 sum, no missing-value test, no compensation, no I/O. What a JS loop can reach at all here.
 */
const computeFloor = (() => {
  const field = g.ny * g.nx;
  const records = Array.from({ length: ds.header.numrecs }, () => Buffer.alloc(field * 4));
  const sum = new Float64Array(field);
  return () => {
    const t = performance.now();
    for (const record of records) {
      record.swap32();
      const x = new Float32Array(record.buffer, record.byteOffset, field);
      for (let i = 0; i < field; i++) sum[i] += x[i];
    }
    return performance.now() - t;
  };
})();

/**
 * The arithmetic `reduce` itself does, with the bytes in memory, on one thread: each tile, big-endian as read from
 * the file, accumulated by `reduce`'s own kernels (WebAssembly sum loops reversing the bytes as they load them,
 * missing-value test, compensated sum), tile by tile as `reduce` does. No I/O, no allocation per tile, no helper
 * threads: what the calling thread must spend at the least.
 */
const kernelsAlone = (() => {
  const field = g.ny * g.nx;
  const tiles: number[][] = [];
  for (let t0 = 0; t0 < ds.header.numrecs; t0 += 2) tiles.push(Array.from({ length: Math.min(2, ds.header.numrecs - t0) }, (_, k) => t0 + k));
  const records = Array.from({ length: ds.header.numrecs }, (_, r) => Float32Array.from({ length: field }, (_, i) => 250 + ((r * 31 + i) % 97) / 3));
  const arena = new KernelArena(4 * field * 8 + 2 * field * 4 + (1 << 16), true);
  const tileBytes = arena.bytes(2 * field * 4)!;
  const tile = new Float32Array(tileBytes.buffer, tileBytes.byteOffset, 2 * field);
  const missing = { fill: FILL, lo: -Infinity, hi: Infinity };
  // The accumulators' memory, zeroed again by each pass's `Accumulators`.
  const cells = [arena.float64(field)!, arena.float64(field)!, arena.float64(field)!];
  return () => {
    let next = 0;
    const acc = new Accumulators(field, { sum: true, min: false, max: false, welford: false }, () => cells[next++], arena.kernel);
    let ms = 0;
    for (const rs of tiles) {
      rs.forEach((r, k) => tile.set(records[r], k * field));
      Buffer.from(tile.buffer, tile.byteOffset, tile.byteLength).swap32(); // as read from the file, untimed
      const t = performance.now();
      accumulateTile(acc, tile.subarray(0, rs.length * field), missing, [rs.length, g.ny, g.nx], [0, g.nx, 1], 0, ALL_CELLS, true);
      ms += performance.now() - t;
    }
    return ms;
  };
})();

let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ['gc'] });

async function timeMean(threads?: number): Promise<{ ms: number; cpuMs: number; gcMs: number; fetched: number; result: ArrayResult }> {
  const pool = createSourcePool();
  const array = fromArrayData(meanCube.data, { sources: localPub.sources, base: dir, pool, plugins: defaultRegistry });
  const gc0 = gcMs;
  const cpu0 = process.cpuUsage();
  const t = performance.now();
  const result = await reduce(array, 'mean', [0], { threads });
  const ms = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  await pool.close();
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, gcMs: gcMs - gc0, fetched: pool.counter.bytes, result };
}

/** Drop the page cache (root only; `--cold`): reads then come from the disk. */
async function dropCaches(): Promise<boolean> {
  if (!args.cold) return false;
  spawnSync('sync');
  try {
    await writeFile('/proc/sys/vm/drop_caches', '1');
    return true;
  } catch {
    return false;
  }
}

const regionBytes = regionEnd - regionStart;
const warm = { seq: [] as number[], source: [] as number[], fresh: [] as number[], kernels: [] as number[], alone: [] as number[], plain: [] as number[], floor: [] as number[], reduce: [] as number[], cpu: [] as number[], gc: [] as number[] };
let mean: Awaited<ReturnType<typeof timeMean>> | undefined;
// The default number of helper threads for this pass (0 on 2 cores), and the other choice, for comparison.
const otherThreads = defaultHelpers(true) === 0 ? 1 : 0;
await sequentialRead(); // warm the page cache
await timeMean(); // and the JIT
const rounds = Math.max(repeat, 5);
for (let i = 0; i < rounds; i++) {
  warm.seq.push(await sequentialRead());
  warm.source.push(await byteSourceRead(true));
  warm.fresh.push(await byteSourceRead(false));
  warm.plain.push(await sequentialRead(true));
  warm.floor.push(computeFloor());
  warm.kernels.push(kernelsAlone());
  warm.alone.push((await timeMean(otherThreads)).ms);
  mean = await timeMean();
  warm.reduce.push(mean.ms);
  warm.cpu.push(mean.cpuMs);
  warm.gc.push(mean.gcMs);
}
const seqMs = median(warm.seq);
const sourceMs = median(warm.source);
const reduceMs = median(warm.reduce);
const requests = tileRanges.reduce((n, r) => n + r.length, 0);
row('raw fs read (warm)', mbps(regionBytes, seqMs), `${fmtMB(regionBytes)} in ${seqMs.toFixed(1)} ms, 8 MiB reads into one buffer, median of ${rounds}`);
const freshMs = median(warm.fresh);
row('byte-source read of the same ranges (warm)', mbps(valueBytes, sourceMs), `${tileRanges.length} tiles, ${requests} ranges, ${DEFAULT_REDUCE_CONCURRENCY} in flight, into reused buffers, no decoding, ${sourceMs.toFixed(1)} ms`);
row('  the same, a new buffer per request (warm)', mbps(valueBytes, freshMs), `${freshMs.toFixed(1)} ms`);
row('compute floor (in memory)', mbps(valueBytes, median(warm.floor)), `swap + plain float64 sum, no I/O, no missing test: ${median(warm.floor).toFixed(1)} ms`);
row('reduce kernels alone (in memory, one thread)', mbps(valueBytes, median(warm.kernels)), `WebAssembly: byte order + missing test + compensated sum, tile by tile: ${median(warm.kernels).toFixed(1)} ms`);
row('read + decode + plain mean (warm)', mbps(valueBytes, median(warm.plain)), `a hand-written loop, one record at a time, ${median(warm.plain).toFixed(0)} ms`);
row(
  'reduce(mean, time) (warm)',
  mbps(valueBytes, reduceMs),
  `${reduceMs.toFixed(0)} ms (best ${Math.min(...warm.reduce).toFixed(0)}), CPU ${median(warm.cpu).toFixed(0)} ms, GC ${median(warm.gc).toFixed(0)} ms; fetched ${fmtMB(mean!.fetched)} (needed ${fmtMB(valueBytes)})`,
);
const aloneMs = median(warm.alone);
row(
  `reduce with threads: ${otherThreads} (warm)`,
  mbps(valueBytes, aloneMs),
  `${aloneMs.toFixed(0)} ms (best ${Math.min(...warm.alone).toFixed(0)}); the default above has ${defaultHelpers(true)} helper thread(s)`,
);
row('reduce / byte-source read (warm)', pct(sourceMs, reduceMs), `goal ≥ 70 %; against the read with a new buffer per request: ${pct(freshMs, reduceMs)}`);
row('reduce / raw fs read (warm)', pct(rate(valueBytes, reduceMs), rate(regionBytes, seqMs)), `reduce / plain loop: ${pct(median(warm.plain), reduceMs)}; reduce / compute floor: ${pct(median(warm.floor), reduceMs)}`);
if (args.cold) {
  const cold = { seq: [] as number[], source: [] as number[], reduce: [] as number[] };
  for (let i = 0; i < repeat; i++) {
    if (!(await dropCaches())) break;
    cold.seq.push(await sequentialRead());
    await dropCaches();
    cold.source.push(await byteSourceRead(true));
    await dropCaches();
    cold.reduce.push((await timeMean()).ms);
  }
  if (cold.seq.length > 0) {
    const cs = median(cold.seq);
    const cb = median(cold.source);
    const cr = median(cold.reduce);
    row('raw fs read (cold)', mbps(regionBytes, cs), `page cache dropped, ${cs.toFixed(0)} ms`);
    row('byte-source read (cold)', mbps(valueBytes, cb), `${cb.toFixed(0)} ms`);
    row('reduce(mean, time) (cold)', mbps(valueBytes, cr), `${cr.toFixed(0)} ms`);
    row('reduce / byte-source read (cold)', pct(cb, cr), `reduce / raw fs read (cold): ${pct(rate(valueBytes, cr), rate(regionBytes, cs))}`);
  } else {
    row('cold cache', 'skipped', 'cannot write /proc/sys/vm/drop_caches (needs root)');
  }
}
row('mean field', summary(mean!.result), 'K; masked only where every time is masked');
await localPool.close();

// ---------------------------------------------------------------------------------------------------------------

const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), ['measure', 'value', 'note'][i].length));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(line(['measure', 'value', 'note']));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const r of rows) console.log(line(r));

