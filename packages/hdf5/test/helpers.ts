/**
 * Test helpers: the generated HDF5 files (fixtures/generate.py, run once per generator version into a temp
 * folder), the h5py oracle (fixtures/oracle.py), and a counting local `RangeReader`.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RangeReader } from '../src/index.js';

/** Debian's python, which has python3-h5py and python3-netcdf4 (a pyenv `python3` on PATH may not). */
export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const GENERATOR = fileURLToPath(new URL('./fixtures/generate.py', import.meta.url));
const ORACLE = fileURLToPath(new URL('./fixtures/oracle.py', import.meta.url));

export const IRIS_NETCDF = '/work/shared/data/iris-test-data/NetCDF';

/** The folder of generated files, made on first use (shared by test files; keyed by the generator's hash). */
export function generatedDir(): string {
  const hash = createHash('sha256').update(readFileSync(GENERATOR)).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), `cubemark-hdf5-fixtures-${hash}`);
  if (existsSync(join(dir, 'latest.all.h5'))) return dir;
  const staging = `${dir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  execFileSync(PYTHON, [GENERATOR, staging], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another worker made it first
  }
  return dir;
}

export interface OracleValue {
  shape: number[] | null;
  dtype: string;
  raw?: string;
  strings?: string[];
  empty?: boolean;
  refs?: unknown[];
  error?: string;
}

export interface OracleDataset extends OracleValue {
  chunks: number[] | null;
  attrs: Record<string, OracleValue>;
}

export interface OracleFile {
  datasets: Record<string, OracleDataset>;
  groups: Record<string, { links: string[]; attrs: Record<string, OracleValue> }>;
}

/** What h5py reads from `path`. */
export function oracle(path: string): OracleFile {
  return JSON.parse(execFileSync(PYTHON, [ORACLE, path], { maxBuffer: 256 * 1024 * 1024 }).toString()) as OracleFile;
}

export function fromBase64(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'base64'));
}

export interface CountingReader extends RangeReader {
  requests: number;
  bytes: number;
  /** Every range read, in order. */
  ranges: { offset: number; length: number }[];
  close(): Promise<void>;
}

/** A `RangeReader` over a local file that counts what it reads. */
export function localReader(path: string): CountingReader {
  const handle = open(path, 'r');
  const reader: CountingReader = {
    uri: path,
    requests: 0,
    bytes: 0,
    ranges: [],
    async getRange(offset, length) {
      const fh = await handle;
      const buf = new Uint8Array(length);
      const { bytesRead } = await fh.read(buf, 0, length, offset);
      reader.requests += 1;
      reader.bytes += bytesRead;
      reader.ranges.push({ offset, length: bytesRead });
      return buf.subarray(0, bytesRead);
    },
    async close() {
      await (await handle).close();
    },
  };
  return reader;
}

/** A `RangeReader` over bytes in memory, counting reads. */
export function memoryReader(bytes: Uint8Array, uri = 'memory.h5'): CountingReader {
  const reader: CountingReader = {
    uri,
    requests: 0,
    bytes: 0,
    ranges: [],
    async getRange(offset, length) {
      const out = bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + length, bytes.length));
      reader.requests += 1;
      reader.bytes += out.length;
      reader.ranges.push({ offset, length: out.length });
      return out;
    },
    async close() {},
  };
  return reader;
}

/** The bytes of a hyperslab of a row-major array of `shape` with elements of `size` bytes. */
export function slab(all: Uint8Array, shape: number[], start: number[], count: number[], size: number): Uint8Array {
  const n = count.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(n * size);
  const index = count.map(() => 0);
  for (let k = 0; k < n; k++) {
    let offset = 0;
    for (let i = 0; i < shape.length; i++) offset = offset * shape[i] + start[i] + index[i];
    out.set(all.subarray(offset * size, offset * size + size), k * size);
    for (let a = count.length - 1; a >= 0; a--) {
      if (++index[a] < count[a]) break;
      index[a] = 0;
    }
  }
  return out;
}
