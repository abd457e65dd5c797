import { promisify } from 'node:util';
import { inflate as inflateCallback } from 'node:zlib';
import { Hdf5CorruptError, Hdf5UnsupportedError } from '../errors.js';
import type { FilterInfo } from '../format/messages/filters.js';
import { fletcher32 } from '../io/checksum.js';
import { ScaleOffsetError, scaleOffsetDecode } from './scale-offset.js';
import { unshuffle } from './shuffle.js';

const inflate = promisify(inflateCallback);

/** Filters this reader can undo, by HDF5 filter id. */
export const FILTER_NAMES: Readonly<Record<number, string>> = { 1: 'deflate', 2: 'shuffle', 3: 'fletcher32', 6: 'scaleoffset' };

/** Names of filters it cannot, for messages (the registered ids libhdf5 and plugins use). */
export const KNOWN_FILTER_NAMES: Readonly<Record<number, string>> = {
  4: 'szip',
  5: 'nbit',
  307: 'bzip2',
  32000: 'lzf',
  32001: 'blosc',
  32004: 'lz4',
  32008: 'bitshuffle',
  32015: 'zstd',
};

export interface ChunkContext {
  uri: string;
  /** Absolute offset of the stored chunk. */
  offset: number;
  /** What the chunk should decode to, in bytes. */
  expected: number;
  /** e.g. `chunk [0, 3] of /tas`, for messages. */
  what: string;
}

/**
 * Undo a chunk's filters, last applied first (`mask` bit i set: filter i was skipped). The result must be exactly
 * `ctx.expected` bytes; deflate output is capped there, so a chunk can never expand past it in memory.
 */
export async function decodeChunk(stored: Uint8Array, filters: readonly FilterInfo[], mask: number, ctx: ChunkContext): Promise<Uint8Array> {
  return (await undoFilters(stored, filters, mask, ctx, 0)).bytes;
}

/**
 * As `decodeChunk`, but a shuffle of `elementSize`-byte elements applied first when writing (the usual pipeline:
 * shuffle, then deflate) is left for the caller to undo as it copies the values into place (`copyBoxUnshuffled`),
 * saving a pass and a buffer: `shuffled` is then the element size, else 0.
 */
export async function decodeChunkShuffled(stored: Uint8Array, filters: readonly FilterInfo[], mask: number, ctx: ChunkContext, elementSize: number): Promise<{ bytes: Uint8Array; shuffled: number }> {
  return undoFilters(stored, filters, mask, ctx, elementSize);
}

async function undoFilters(stored: Uint8Array, filters: readonly FilterInfo[], mask: number, ctx: ChunkContext, deferShuffleOf: number): Promise<{ bytes: Uint8Array; shuffled: number }> {
  let bytes = stored;
  let shuffled = 0;
  for (let i = filters.length - 1; i >= 0; i--) {
    if (mask & (1 << i)) continue;
    const f = filters[i];
    if (i === 0 && f.id === 2 && deferShuffleOf > 1 && (f.params[0] ?? 1) === deferShuffleOf && ctx.expected % deferShuffleOf === 0) {
      shuffled = deferShuffleOf;
      break;
    }
    switch (f.id) {
      case 1:
        try {
          // One output buffer of the expected size (not 16 KiB pieces joined), and never more than that.
          bytes = await inflate(bytes, { maxOutputLength: Math.max(ctx.expected, 1), chunkSize: Math.max(ctx.expected, 64) });
        } catch (error) {
          const code = (error as { code?: string }).code;
          const reason = code === 'ERR_BUFFER_TOO_LARGE' ? `inflates to more than the ${ctx.expected} bytes a chunk holds` : `does not inflate (${(error as Error).message})`;
          throw new Hdf5CorruptError('HDF5_BAD_CHUNK', ctx.uri, ctx.offset, `${ctx.what}: ${reason}`, { cause: error });
        }
        break;
      case 2:
        bytes = unshuffle(bytes, f.params[0] ?? 1);
        break;
      case 6:
        try {
          bytes = scaleOffsetDecode(bytes, f.params, ctx.expected);
        } catch (error) {
          if (!(error instanceof ScaleOffsetError)) throw error;
          throw new Hdf5CorruptError('HDF5_BAD_CHUNK', ctx.uri, ctx.offset, `${ctx.what}: scale-offset data does not decode: ${error.message}`);
        }
        break;
      case 3: {
        if (bytes.length < 4) throw new Hdf5CorruptError('HDF5_BAD_CHUNK', ctx.uri, ctx.offset, `${ctx.what}: ${bytes.length} bytes cannot hold a Fletcher-32 checksum`);
        const data = bytes.subarray(0, bytes.length - 4);
        const t = bytes.subarray(bytes.length - 4);
        const stored32 = (t[0] | (t[1] << 8) | (t[2] << 16) | (t[3] << 24)) >>> 0;
        const sum = fletcher32(data);
        // Files written by libhdf5 1.6.2-1.6.3 on big-endian machines hold the checksum with bytes swapped in pairs.
        const swapped = (((sum & 0x00ff00ff) << 8) | ((sum >>> 8) & 0x00ff00ff)) >>> 0;
        if (stored32 !== sum && stored32 !== swapped) {
          throw new Hdf5CorruptError('HDF5_CHECKSUM', ctx.uri, ctx.offset, `${ctx.what}: Fletcher-32 checksum ${hex(stored32)} does not match its bytes (${hex(sum)}); the file is damaged`);
        }
        bytes = data;
        break;
      }
      default: {
        const name = f.name || KNOWN_FILTER_NAMES[f.id] || 'unnamed';
        throw new Hdf5UnsupportedError(
          'HDF5_UNKNOWN_FILTER',
          ctx.uri,
          ctx.offset,
          `${ctx.what} is compressed with HDF5 filter ${f.id} (${name}), which this reader does not have (it has ${Object.entries(FILTER_NAMES).map(([id, n]) => `${id} ${n}`).join(', ')})`,
        );
      }
    }
  }
  if (bytes.length !== ctx.expected) {
    throw new Hdf5CorruptError('HDF5_BAD_CHUNK', ctx.uri, ctx.offset, `${ctx.what} decodes to ${bytes.length} bytes, not the ${ctx.expected} a chunk holds`);
  }
  return { bytes, shuffled };
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
