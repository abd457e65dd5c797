/**
 * One measured import, in a process of its own so its memory is not mixed with the benchmark's: the CF loader
 * over every file of a run, then `serialize`. Prints one JSON line. Used by bench/lazy/run.ts:
 *
 *   node --conditions=source --import tsx bench/lazy/import-child.ts <run dir> <uri>...
 */
import { readFileSync } from 'node:fs';
import { serialize } from '@cubemark/format';
import { createSourcePool, defaultRegistry } from '@cubemark/cube';
import { loadCf } from './cf.js';

const [dir, ...uris] = process.argv.slice(2);
if (!dir || uris.length === 0) throw new Error('usage: import-child.ts <base dir> <uri>...');

const rchar = (): number => Number(/rchar:\s*(\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))?.[1] ?? NaN);
const gc = (globalThis as { gc?: () => void }).gc;

// Load everything the import will need (the loader, the netcdf plugin) before the baseline.
const loadPublication = await loadCf();
await defaultRegistry.get('netcdf');
gc?.();
const rss0 = process.memoryUsage().rss;
const heap0 = process.memoryUsage().heapUsed;
const io0 = rchar();
const pool = createSourcePool();

const t0 = performance.now();
const { publication, warnings } = await loadPublication(uris, { name: 'ukv-full', base: dir, pool });
const loadMs = performance.now() - t0;
const text = serialize(publication);
const totalMs = performance.now() - t0;

const io1 = rchar();
const rss1 = process.memoryUsage().rss;
const heap1 = process.memoryUsage().heapUsed;
await pool.close();
process.stdout.write(
  JSON.stringify({
    loadMs,
    totalMs,
    cubes: publication.cubes.length,
    warnings: warnings.length,
    documentBytes: Buffer.byteLength(text),
    fetchedBytes: pool.counter.bytes,
    requests: pool.counter.requests,
    rcharBytes: io1 - io0,
    rssBefore: rss0,
    rssAfter: rss1,
    heapDelta: heap1 - heap0,
    maxRss: process.resourceUsage().maxRSS * 1024,
  }) + '\n',
);
