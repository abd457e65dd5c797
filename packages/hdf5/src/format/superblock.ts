import { Hdf5CorruptError, Hdf5UnsupportedError } from '../errors.js';
import { lookup3 } from '../io/checksum.js';
import { Cursor, UNDEFINED_ADDRESS } from '../io/cursor.js';
import type { FileIO } from '../io/file-io.js';

/** The HDF5 format signature, `\x89HDF\r\n\x1a\n`. */
export const HDF5_SIGNATURE: readonly number[] = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Where the signature is in `head`: at 0, or after a user block of 512, 1024, 2048, ... bytes; else `undefined`. */
export function findSignature(head: Uint8Array): number | undefined {
  for (let at = 0; at + 8 <= head.length; at = at === 0 ? 512 : at * 2) {
    if (HDF5_SIGNATURE.every((b, i) => head[at + i] === b)) return at;
  }
  return undefined;
}

export interface Superblock {
  version: number;
  /** File offset of the signature. */
  offset: number;
  offsetSize: number;
  lengthSize: number;
  /** Absolute offset every address in the file is relative to. */
  baseAddress: number;
  /** Absolute end-of-file address. */
  eof: number;
  groupLeafK: number;
  groupInternalK: number;
  /** K of v1 B-tree chunk-index nodes (default 32). */
  chunkK: number;
  /** Object header address of the root group (relative). */
  rootAddress: number;
  /** For superblocks v0/v1: the root group's symbol table, if its entry caches one. */
  rootSymbolTable?: { btree: number; heap: number };
  /** Superblock extension object header (v2+), if any. */
  extension?: number;
}

/** Parse the superblock from the first bytes of the file (the caller's read-ahead covers it). */
export function parseSuperblock(io: FileIO, head: Uint8Array): Superblock {
  const offset = findSignature(head);
  if (offset === undefined) {
    const what = head.length === 0 ? 'it is empty' : head[0] === 0x43 && head[1] === 0x44 && head[2] === 0x46 ? `it is a NetCDF classic file (CDF-${head[3]})` : 'it is not HDF5';
    throw new Hdf5CorruptError('HDF5_BAD_MAGIC', io.uri, 0, `no HDF5 signature at byte 0, 512, 1024, ...: ${what}`);
  }
  const c = new Cursor(head.subarray(offset), offset, { uri: io.uri, offsetSize: 8, lengthSize: 8 }, 'superblock');
  c.skip(8);
  const version = c.version([0, 1, 2, 3], 'superblock');
  if (version <= 1) {
    c.skip(3); // free-space, root symbol table entry and shared header versions
    c.u8();
    const offsetSize = sizeByte(c, 'offset');
    const lengthSize = sizeByte(c, 'length');
    c.u8();
    const groupLeafK = c.u16();
    const groupInternalK = c.u16();
    c.u32(); // file consistency flags
    let chunkK = 32;
    if (version === 1) {
      chunkK = c.u16();
      c.u16();
    }
    const f = { uri: io.uri, offsetSize, lengthSize };
    const a = new Cursor(c.bytes, c.base, f, 'superblock');
    a.pos = c.pos;
    const baseAddress = a.address();
    a.address(); // free-space info
    const eof = a.address();
    a.address(); // driver info
    // The root group's symbol table entry: link name offset, object header address, cache type, scratch pad.
    a.skip(offsetSize);
    const rootAddress = a.address();
    const cacheType = a.u32();
    a.u32();
    const scratch = { btree: a.address(), heap: a.address() };
    const sb: Superblock = { version, offset, offsetSize, lengthSize, baseAddress: base(baseAddress, offset), eof: 0, groupLeafK, groupInternalK, chunkK, rootAddress };
    sb.eof = endOfFile(a, sb.baseAddress, eof);
    if (cacheType === 1) sb.rootSymbolTable = scratch;
    return sb;
  }
  const offsetSize = sizeByte(c, 'offset');
  const lengthSize = sizeByte(c, 'length');
  c.u8(); // file consistency flags
  const a = new Cursor(c.bytes, c.base, { uri: io.uri, offsetSize, lengthSize }, 'superblock');
  a.pos = c.pos;
  const baseAddress = a.address();
  const extension = a.address();
  const eof = a.address();
  const rootAddress = a.address();
  const end = a.pos;
  const stored = a.u32();
  const computed = lookup3(a.bytes.subarray(0, end));
  if (stored !== computed) throw a.corrupt(`checksum ${hex(stored)} does not match its bytes (${hex(computed)})`, a.offset - 4);
  const sb: Superblock = { version, offset, offsetSize, lengthSize, baseAddress: base(baseAddress, offset), eof: 0, groupLeafK: 4, groupInternalK: 16, chunkK: 32, rootAddress };
  sb.eof = endOfFile(a, sb.baseAddress, eof);
  if (extension !== UNDEFINED_ADDRESS) sb.extension = extension;
  return sb;
}

function sizeByte(c: Cursor, what: string): number {
  const at = c.offset;
  const n = c.u8();
  if (![2, 4, 8].includes(n)) {
    if (n === 16) throw new Hdf5UnsupportedError('HDF5_UNSUPPORTED', c.file.uri, at, `superblock: ${what}s of 16 bytes are not supported`);
    throw c.corrupt(`size of ${what}s is ${n} (2, 4 or 8 expected)`, at);
  }
  return n;
}

/** The base address is absolute; files written with a user block have it equal to the superblock's offset. */
function base(baseAddress: number, offset: number): number {
  return baseAddress === UNDEFINED_ADDRESS ? offset : baseAddress;
}

function endOfFile(c: Cursor, baseAddress: number, eof: number): number {
  if (eof === UNDEFINED_ADDRESS) throw c.corrupt('the end-of-file address is undefined');
  return baseAddress + eof;
}

export function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
