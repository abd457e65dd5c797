import { availableParallelism } from 'node:os';
import { tsxEsmApi } from '@cubemark/cube';
import type Tinypool from 'tinypool';
import { errorMessage, type FileProblem } from '../errors.js';
import { checkFile, sha256, type CheckedFile, type CheckOptions } from './check.js';
import type { ParseTask } from './worker.js';

/** Parses store files, in worker threads or on the calling thread. */
export interface FileParser {
  /** Worker threads in use (0: parsing on the calling thread). */
  readonly threads: number;
  /**
   * Never rejects for a bad file or a crashed worker: those come back as problems. `keepModel` is honoured only
   * by a parser without threads: a worker's model would cost more to clone back than to parse again.
   */
  parse(bytes: Uint8Array, file: string, name: string, options?: CheckOptions): Promise<CheckedFile>;
  close(): Promise<void>;
}

export interface FileParserOptions {
  /**
   * Worker threads (default: one per core, `os.availableParallelism()`); 0 parses on the calling thread, between
   * turns of the event loop. Parsing is CPU-bound (the YAML reader and the schema checks); what comes back from a
   * worker is small (an index and the packed file: see `checkFile`), so the calling thread does little per file.
   */
  threads?: number;
}

/**
 * A parser for store files. With threads, a tinypool of worker threads (a small, maintained pool: queueing,
 * worker restarts on crash, transfer lists) runs `worker.ts`; each task transfers the file's bytes instead of
 * copying them and gets back plain data (the publication model clones with its typed arrays intact).
 */
export async function createFileParser(options: FileParserOptions = {}): Promise<FileParser> {
  const threads = Math.max(0, Math.floor(options.threads ?? availableParallelism()));
  if (threads === 0) return inlineParser();
  const { default: Pool } = await import('tinypool');
  const entry = workerEntry();
  const pool: Tinypool = new Pool({
    filename: entry.filename,
    minThreads: threads,
    maxThreads: threads,
    // A second task waits in each worker's queue, so a worker never idles while the main thread takes a result.
    concurrentTasksPerWorker: 2,
    // Workers live as long as the restore or reload that uses them; the plugin closes the pool after.
    idleTimeout: 60_000,
    execArgv: entry.execArgv,
  });
  // The calling thread does not parse while workers start: it answers requests, and a parse there holds them all
  // back (the plugin parses on it only what a request is waiting for).
  return {
    threads,
    async parse(bytes, file, name, options) {
      // Copy into a buffer of our own so the transfer detaches nothing the caller still holds.
      const own = new Uint8Array(bytes);
      const task: ParseTask = { bytes: own, file, name, expectHash: options?.expectHash };
      // A worker's model would cost more to clone back than to parse again here: only the index comes back.
      try {
        return (await pool.run(task, { transferList: [own.buffer] })) as CheckedFile;
      } catch (error) {
        return crashed(file, error, bytes);
      }
    },
    async close() {
      await pool.destroy();
    },
  };
}

function inlineParser(): FileParser {
  // One parse per turn of the event loop, in order: files read at the same moment would otherwise all be parsed
  // in one go (every setImmediate queued before a check phase runs in it), holding back the I/O that finishes
  // their predecessors' publishing — and any request the server is answering — for as long as all of them take.
  let turn: Promise<unknown> = Promise.resolve();
  const nextTurn = () => {
    const mine = turn.then(() => new Promise((resolve) => setImmediate(resolve)));
    turn = mine;
    return mine;
  };
  return {
    threads: 0,
    async parse(bytes, file, name, options) {
      await nextTurn();
      try {
        const checked = checkFile(bytes, file, name, options);
        // Strings the parser returns are slices of the file's whole text, and one held slice keeps all of it alive
        // (V8 slices strings of 13+ characters): the index is held as long as the publication, so its strings get
        // copies of their own and the text can go. Results from workers are copies already. A kept model is
        // left as it is: it is about to be used, and the scheduler's cache bounds how long it stays.
        if (checked.index) detachStrings(checked.index);
        return checked;
      } catch (error) {
        return crashed(file, error, bytes);
      }
    },
    async close() {},
  };
}

/** A copy of `s` that shares no memory with the string it was sliced from. */
function detach(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

/** Replace every string of 13+ characters in a parsed model (plain objects and arrays) by a detached copy. */
function detachStrings(value: object): void {
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const v = record[key];
    if (typeof v === 'string') {
      if (v.length >= 13) record[key] = detach(v);
    } else if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v)) {
      detachStrings(v);
    }
  }
}

function crashed(file: string, error: unknown, bytes: Uint8Array): CheckedFile {
  const problem: FileProblem = {
    code: 'PARSE_FAILED',
    message: `reading the file crashed: ${errorMessage(error)}`,
    file,
    line: 1,
    column: 1,
    pointer: '',
  };
  return { problems: [problem], cubes: 0, hash: sha256(bytes) };
}

/**
 * The worker module next to this one. Compiled, that is `worker.js`, loaded as is. Run from source
 * (`--conditions=source` under tsx, or vitest) it is `worker.ts`, which a worker thread cannot load by itself:
 * Node 20 does not apply an `--import tsx` loader to a worker's entry module. So the entry is then a two-line
 * bootstrap (a `data:` module) that registers tsx's loader in the worker, then imports `worker.ts` (dynamically: a
 * static import would be linked before the loader is registered); the worker
 * also gets the `source` condition, so it reads the other packages' sources as its parent does.
 */
function workerEntry(): { filename: string; execArgv: string[] } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { filename: new URL('./worker.js', here).href, execArgv: process.execArgv };
  const tsx = tsxEsmApi(here);
  const worker = new URL('./worker.ts', here).href;
  const code = `const { register } = await import(${JSON.stringify(tsx)}); register();\nexport default (await import(${JSON.stringify(worker)})).default;\n`;
  const args = [...process.execArgv];
  const has = (flags: string[], value: string) =>
    args.some((a, i) => flags.some((f) => (a === f && args[i + 1] === value) || a === `${f}=${value}`));
  if (!has(['--conditions', '-C'], 'source')) args.push('--conditions=source');
  return { filename: `data:text/javascript,${encodeURIComponent(code)}`, execArgv: args };
}
