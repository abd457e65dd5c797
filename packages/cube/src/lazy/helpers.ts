/**
 * Helper threads for the arithmetic of large streaming reductions.
 *
 * The calling thread keeps reading tiles (I/O, decoding, the byte swap); each tile's values, in shared memory, are
 * posted to the helpers, and every thread, the caller included, accumulates its own share of the output cells
 * (`CellShare`: blocks of cells dealt out in turn) into accumulators in shared memory. A cell has one owner, which
 * adds its values in tile order as a lone thread would, so the result is the same to the last bit; nothing is
 * merged at the end.
 *
 * The helpers are started on first use and kept (a reduction is often followed by another) until
 * `HELPER_IDLE_MS` without one; they do not keep the process alive while idle. A reduction does not wait for
 * them to start: it accumulates alone, and shares the work from the first tile after they are ready.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { tsxEsmApi } from '../worker-source.js';
import type { AccumulatorArrays, Accumulators, CellShare, FloatArray, MissingTest } from './kernels.js';
import type { KernelArena, WasmMemory } from './wasm-kernels.js';

/** What the calling thread sends a helper. */
export type HelperRequest =
  | {
      kind: 'job';
      job: number;
      size: number;
      arrays: AccumulatorArrays;
      share: CellShare;
      /**
       * The pass's WebAssembly memory (shared), when it has one: the helper runs the WebAssembly kernels on it, and
       * views the arrays (and tiles flagged `inMemory`) there, as views posted separately are of another buffer
       * object, which the kernels would not recognise as their memory.
       */
      memory?: WasmMemory;
      /** The arrays in `memory` (the others are in shared buffers of their own). */
      inMemory: (keyof AccumulatorArrays)[];
    }
  | {
      kind: 'tile';
      job: number;
      seq: number;
      /** The tile's values, in shared memory. */
      values: FloatArray;
      /** `values` are in the job's `memory`. */
      inMemory: boolean;
      /** `values` are big-endian (see `takesBigEndianTile`). */
      bigEndian: boolean;
      missing: MissingTest;
      shape: number[];
      outStrides: readonly number[];
      dst0: number;
    }
  | { kind: 'end'; job: number };

/** A helper's answer: started (its module loaded), or a tile done or failed. */
export type HelperReply = { ready: true } | { job: number; seq: number; error?: string };

/** Helpers are stopped after this long without a reduction. */
export const HELPER_IDLE_MS = 30_000;
/** Most helper threads, whatever the machine: the arithmetic is memory-bound beyond a few. */
export const MAX_HELPERS = 3;

/** A helper thread died or failed a tile: the reduction is redone on the calling thread. */
export class HelperFailure extends Error {}

/**
 * Helper threads by default, at most `MAX_HELPERS`: one per core beyond the calling thread's; for a pass whose
 * arithmetic is all in the WebAssembly sum loops (`light`), one core fewer, left to the I/O threads, since the
 * helper would take the core the reads are copied on (measurements: the package README).
 */
export function defaultHelpers(light = false): number {
  return Math.max(0, Math.min(MAX_HELPERS, availableParallelism() - (light ? 2 : 1)));
}

interface Waiting {
  left: number;
  resolve(): void;
  reject(error: Error): void;
}

/** What the helper threads of this process have done, for diagnostics: passes shared, tiles sent to them. */
export const reduceHelperCounters = { passes: 0, tiles: 0 };

class HelperPool {
  readonly workers: Worker[] = [];
  ready = false;
  /** Resolves once every helper has started (true), or once they cannot (false). */
  readonly started: Promise<boolean>;
  private settleStarted!: (ok: boolean) => void;
  failed = false;
  private online = 0;
  private active = 0;
  private idleTimer?: NodeJS.Timeout;
  private readonly waiting = new Map<string, Waiting>();
  private nextJob = 1;

  constructor(readonly size: number) {
    this.started = new Promise((resolve) => (this.settleStarted = resolve));
    const entry = workerEntry();
    for (let i = 0; i < size; i++) {
      const worker = new Worker(entry.url, entry.execArgv ? { execArgv: entry.execArgv } : {});
      worker.unref();
      worker.on('message', (reply: HelperReply) => {
        if (!('ready' in reply)) this.answer(reply);
        else if (++this.online === size && !this.failed) {
          this.ready = true;
          this.settleStarted(true);
        }
      });
      worker.once('error', (error) => this.fail(error));
      worker.once('exit', (code) => this.fail(new Error(`a reduction helper thread exited (code ${code})`)));
      this.workers.push(worker);
    }
    this.armIdleTimer();
  }

  /**
   * Start sharing a pass's accumulation: this thread is part 0, helper `i` part `i + 1`. `arena`: the pass's
   * WebAssembly memory, which must be shared.
   */
  begin(acc: Accumulators, arena?: KernelArena): HelperPass {
    const job = this.nextJob++;
    const deal = dealCells(this.workers.length);
    const arrays = acc.arrays();
    const memory = arena?.shared ? arena.memory : undefined;
    const inMemory = (Object.keys(arrays) as (keyof AccumulatorArrays)[]).filter((k) => arrays[k] !== undefined && arena?.holds(arrays[k]));
    this.workers.forEach((w, i) =>
      w.postMessage({ kind: 'job', job, size: acc.size, arrays, share: { part: i + 1, deal }, memory, inMemory } satisfies HelperRequest),
    );
    reduceHelperCounters.passes++;
    if (this.active++ === 0) {
      // While a pass waits on them, the helpers must keep the process alive.
      for (const w of this.workers) w.ref();
      clearTimeout(this.idleTimer);
    }
    return new HelperPass(this, job, { part: 0, deal }, memory ? arena : undefined);
  }

  /** No pass is using the helpers. */
  get idle(): boolean {
    return this.active === 0;
  }

  /** Post a tile to every helper; resolves when all have accumulated it. */
  post(request: Extract<HelperRequest, { kind: 'tile' }>): Promise<void> {
    if (this.failed) return Promise.reject(new HelperFailure('reduction helper threads failed'));
    reduceHelperCounters.tiles++;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(`${request.job}:${request.seq}`, { left: this.workers.length, resolve, reject });
      for (const w of this.workers) w.postMessage(request);
    });
  }

  end(job: number): void {
    for (const w of this.workers) w.postMessage({ kind: 'end', job } satisfies HelperRequest);
    if (--this.active === 0) {
      for (const w of this.workers) w.unref();
      this.armIdleTimer();
    }
  }

  private answer(reply: Exclude<HelperReply, { ready: true }>): void {
    const key = `${reply.job}:${reply.seq}`;
    const w = this.waiting.get(key);
    if (!w) return;
    if (reply.error !== undefined) {
      this.waiting.delete(key);
      w.reject(new HelperFailure(`a reduction helper thread failed: ${reply.error}`));
    } else if (--w.left === 0) {
      this.waiting.delete(key);
      w.resolve();
    }
  }

  private fail(error: Error): void {
    if (this.failed) return;
    // Helpers that could not even start (no way to load the worker module here) are not tried again.
    if (!this.ready) unavailable = true;
    void this.stop(error);
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.stop(), HELPER_IDLE_MS);
    this.idleTimer.unref();
  }

  /** Stop the threads. Passes still using them fail with `HelperFailure`, and are redone without them. */
  async stop(cause?: Error): Promise<void> {
    if (pool === this) pool = undefined;
    this.failed = true;
    this.ready = false;
    this.settleStarted(false);
    clearTimeout(this.idleTimer);
    const why = cause ? `a reduction helper thread failed: ${cause.message}` : 'the reduction helper threads were stopped';
    for (const w of this.waiting.values()) w.reject(new HelperFailure(why, { cause }));
    this.waiting.clear();
    for (const w of this.workers) w.removeAllListeners('exit');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** One reduction's use of the helpers: its tiles, numbered in order, and the share of cells left to this thread. */
export class HelperPass {
  private seq = 0;

  constructor(
    private readonly pool: HelperPool,
    private readonly job: number,
    /** The cells this thread accumulates itself. */
    readonly share: CellShare,
    private readonly arena?: KernelArena,
  ) {}

  /** Have the helpers accumulate their shares of a tile whose `values` are in shared memory. */
  tile(values: FloatArray, missing: MissingTest, shape: number[], outStrides: readonly number[], dst0: number, bigEndian: boolean): Promise<void> {
    const { fill, lo, hi } = missing;
    const inMemory = this.arena?.holds(values) ?? false;
    return this.pool.post({ kind: 'tile', job: this.job, seq: this.seq++, values, inMemory, bigEndian, missing: { fill, lo, hi }, shape, outStrides, dst0 });
  }

  /** The helpers are done with this pass (every tile answered, or the pass given up). */
  end(): void {
    this.pool.end(this.job);
  }
}

/**
 * The calling thread's weight in the deal, a helper's being 1: it also reads the tiles, byte-swaps them (in the
 * NetCDF reader) and posts them.
 */
const CALLER_WEIGHT = 0.5;

/** Blocks of cells dealt to the calling thread (0) and `helpers` helpers in turn, weighted. */
function dealCells(helpers: number): number[] {
  const unit = 4;
  const deal: number[] = [];
  for (let i = 0; i < Math.round(CALLER_WEIGHT * unit); i++) deal.push(0);
  for (let h = 1; h <= helpers; h++) for (let i = 0; i < unit; i++) deal.push(h);
  return deal;
}

let pool: HelperPool | undefined;
let unavailable = false;

/**
 * The shared helper pool with `count` threads, started if need be (a pool of another size is replaced once idle);
 * `undefined` when helper threads cannot be started here (no worker entry runnable from source without tsx).
 */
export function helperPool(count: number): HelperPool | undefined {
  if (unavailable) return undefined;
  if (pool && pool.size !== count && pool.ready && pool.idle) void pool.stop();
  if (!pool) {
    try {
      pool = new HelperPool(count);
    } catch {
      unavailable = true;
      return undefined;
    }
  }
  return pool;
}

/**
 * Start the helper threads of large reductions now rather than on the first one (which does not wait for them),
 * e.g. when a server starts. Resolves to whether they could be started.
 */
export function startReduceHelpers(count = defaultHelpers()): Promise<boolean> {
  if (count <= 0) return Promise.resolve(false);
  return helperPool(count)?.started ?? Promise.resolve(false);
}

/**
 * Stop the helper threads now, rather than after `HELPER_IDLE_MS` idle. A reduction using them at that moment
 * goes on without them (it is redone on the calling thread).
 */
export async function stopReduceHelpers(): Promise<void> {
  await pool?.stop();
}

/**
 * The worker module next to this one. Compiled, that is `reduce-worker.js`, loaded as is, with the parent's options
 * (Node leaves out those a worker cannot take). Run from source (under tsx, or vitest) it is `reduce-worker.ts`,
 * which a worker thread cannot load by itself: Node 20 does not apply an `--import tsx` loader to a worker's entry
 * module. The entry is then a two-line bootstrap (a `data:` module) that registers tsx's loader in the worker,
 * then imports `reduce-worker.ts` (dynamically: a static import would be linked before the loader is registered),
 * as the restore package's parse workers do. That worker gets the parent's `--conditions` and `source`, so it reads
 * the other packages' sources as its parent does, and no other option: explicit worker options must all be ones a
 * worker accepts (a profiler's `--perf-basic-prof` is not), and tsx is registered by the bootstrap anyway.
 */
function workerEntry(): { url: URL; execArgv?: string[] } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { url: new URL('./reduce-worker.js', here) };
  const tsx = tsxEsmApi(here);
  const worker = new URL('./reduce-worker.ts', here).href;
  const code = `const { register } = await import(${JSON.stringify(tsx)}); register();\nawait import(${JSON.stringify(worker)});\n`;
  const parent = process.execArgv;
  const conditions = parent.flatMap((a, i) =>
    a === '--conditions' || a === '-C' ? [`--conditions=${parent[i + 1]}`] : a.startsWith('--conditions=') || a.startsWith('-C=') ? [`--conditions=${a.slice(a.indexOf('=') + 1)}`] : [],
  );
  if (!conditions.includes('--conditions=source')) conditions.push('--conditions=source');
  return { url: new URL(`data:text/javascript,${encodeURIComponent(code)}`), execArgv: conditions };
}
