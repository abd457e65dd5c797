import { deflateSync, gzipSync } from 'node:zlib';
import type { JsonValue } from '@cubemark/format';
import { cannotExpress } from '../errors.js';

type Codec = { [key: string]: JsonValue };

const TARGET = 'a kerchunk reference file';
const ZSTD_BLOCK = 128 * 1024;

/** One chunk of `count` copies of `fill` in a NumPy dtype (`<f4`, `>i2`, `|u1`, ...), as raw bytes. */
function fillBytes(dtype: string, count: number, fill: number | string | null): Uint8Array {
  const m = /^([<>|])([iuf])(\d)$/.exec(dtype);
  if (!m) return new Uint8Array(0);
  const [, order, kind, width] = m;
  const size = Number(width);
  const value = fill === null ? 0 : fill === 'NaN' ? NaN : fill === 'Infinity' ? Infinity : fill === '-Infinity' ? -Infinity : Number(fill);
  const one = new DataView(new ArrayBuffer(size));
  const little = order !== '>';
  if (kind === 'f') (size === 4 ? one.setFloat32(0, value, little) : one.setFloat64(0, value, little));
  else if (size === 8) {
    // A 64-bit integer beyond 2^53 comes as a decimal string.
    const big = typeof fill === 'string' && /^-?\d+$/.test(fill) ? BigInt(fill) : BigInt(value);
    (kind === 'i' ? one.setBigInt64(0, big, little) : one.setBigUint64(0, big, little));
  }
  else if (size === 4) (kind === 'i' ? one.setInt32(0, value, little) : one.setUint32(0, value, little));
  else if (size === 2) (kind === 'i' ? one.setInt16(0, value, little) : one.setUint16(0, value, little));
  else one.setUint8(0, value & 0xff);
  const out = new Uint8Array(count * size);
  const pattern = new Uint8Array(one.buffer);
  for (let i = 0; i < out.length; i += size) out.set(pattern, i);
  return out;
}

/** numcodecs' (and HDF5's) shuffle: byte b of every element into plane b; bytes past the last whole element stay. */
function shuffle(bytes: Uint8Array, size: number): Uint8Array {
  if (size <= 1) return bytes;
  const n = Math.floor(bytes.length / size);
  const out = bytes.slice();
  for (let i = 0; i < n; i++) for (let b = 0; b < size; b++) out[b * n + i] = bytes[i * size + b];
  return out;
}

/** A blosc frame holding `raw` uncompressed (the MEMCPYED flag), which every blosc decoder accepts. */
function bloscStored(raw: Uint8Array, typesize: number): Uint8Array {
  const out = new Uint8Array(16 + raw.length);
  const view = new DataView(out.buffer);
  out[0] = 2; // format version
  out[1] = 1; // compressor format version
  out[2] = 0x02; // BLOSC_MEMCPYED
  out[3] = Math.min(255, typesize);
  view.setUint32(4, raw.length, true);
  view.setUint32(8, raw.length, true);
  view.setUint32(12, out.length, true);
  out.set(raw, 16);
  return out;
}

/** A zstd frame of raw (stored) blocks with its content size, which every zstd decoder accepts. */
function zstdStored(raw: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(raw.length / ZSTD_BLOCK));
  const out = new Uint8Array(4 + 1 + 8 + blocks * 3 + raw.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0xfd2fb528, true);
  out[4] = 0xe0; // 8-byte content size, single segment, no checksum, no dictionary
  view.setBigUint64(5, BigInt(raw.length), true);
  let at = 13;
  for (let b = 0; b < blocks; b++) {
    const part = raw.subarray(b * ZSTD_BLOCK, Math.min(raw.length, (b + 1) * ZSTD_BLOCK));
    const header = (part.length << 3) | (b === blocks - 1 ? 1 : 0); // raw block type 0
    out[at] = header & 0xff;
    out[at + 1] = (header >> 8) & 0xff;
    out[at + 2] = (header >> 16) & 0xff;
    out.set(part, at + 3);
    at += 3 + part.length;
  }
  return out;
}

/**
 * An encoded chunk of fill values, for chunks a Zarr store never wrote: fsspec's reference file system (2022.11)
 * fails on a key it has no reference for, where Zarr would read the fill value, so every chunk gets one. Raw,
 * zlib and gzip chunks are compressed; blosc and zstd ones are stored frames (no JavaScript encoder needed).
 */
export function fillChunk(layout: { dtype: string; chunks: number[]; compressor: Codec | null; filters: Codec[] | null; fill_value: number | string | null }, what: string): Uint8Array {
  const count = layout.chunks.reduce((a, b) => a * b, 1);
  let bytes: Uint8Array;
  const filters = layout.filters ?? [];
  if (filters.length === 1 && filters[0].id === 'vlen-utf8') {
    // numcodecs VLenUTF8: the item count, then each item's length (all empty).
    bytes = new Uint8Array(4 + 4 * count);
    new DataView(bytes.buffer).setUint32(0, count, true);
  } else if (filters.some((f) => f.id !== 'shuffle')) {
    throw cannotExpress(TARGET, `${what}: chunks the store never wrote, with filters ${filters.map((f) => String(f.id)).join(', ')} (the fill chunk they need cannot be encoded here)`);
  } else {
    bytes = fillBytes(layout.dtype, count, layout.fill_value);
    for (const f of filters) bytes = shuffle(bytes, Number(f.elementsize ?? 1));
  }
  const c = layout.compressor;
  if (!c) return bytes;
  const size = Number(/\d+$/.exec(layout.dtype)?.[0] ?? 1);
  switch (c.id) {
    case 'zlib':
      return deflateSync(bytes);
    case 'gzip':
      return gzipSync(bytes);
    case 'blosc':
      return bloscStored(bytes, size);
    case 'zstd':
      return zstdStored(bytes);
    default:
      throw cannotExpress(TARGET, `${what}: chunks the store never wrote, compressed with ${String(c.id)} (the fill chunk cannot be encoded here)`);
  }
}

/** Every chunk index of a grid, row-major. */
export function gridIndexes(shape: readonly number[], chunks: readonly number[]): number[][] {
  const n = shape.map((s, i) => Math.ceil(s / chunks[i]));
  if (n.some((c) => c === 0)) return [];
  const out: number[][] = [];
  const index = new Array<number>(n.length).fill(0);
  for (;;) {
    out.push([...index]);
    let d = n.length - 1;
    while (d >= 0 && ++index[d] === n[d]) index[d--] = 0;
    if (d < 0) return out;
  }
}
