import { Hdf5CorruptError, Hdf5LimitError } from '../errors.js';

/** The undefined address (all bits set), as a number. */
export const UNDEFINED_ADDRESS = -1;

/** What a cursor needs to know about its file: its URI (for errors) and the size of offsets and lengths. */
export interface FileShape {
  readonly uri: string;
  readonly offsetSize: number;
  readonly lengthSize: number;
}

/**
 * Little-endian reads over bytes taken from the file at `base`, with bounds checked: reading past the bytes gives
 * HDF5_TRUNCATED naming the file offset and `what` was being read.
 */
export class Cursor {
  readonly view: DataView;
  pos = 0;

  constructor(
    readonly bytes: Uint8Array,
    /** File offset of `bytes[0]`. */
    readonly base: number,
    readonly file: FileShape,
    readonly what: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** File offset of the next byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  need(n: number): void {
    if (n < 0 || this.pos + n > this.bytes.length) {
      throw new Hdf5CorruptError('HDF5_TRUNCATED', this.file.uri, this.offset, `${this.what} ends early: ${n} more bytes needed, ${this.remaining} left`);
    }
  }

  corrupt(reason: string, at = this.offset): Hdf5CorruptError {
    return new Hdf5CorruptError('HDF5_CORRUPT', this.file.uri, at, `${this.what}: ${reason}`);
  }

  skip(n: number): this {
    this.need(n);
    this.pos += n;
    return this;
  }

  seek(pos: number): this {
    if (pos < 0 || pos > this.bytes.length) throw this.corrupt(`position ${pos} is outside its ${this.bytes.length} bytes`);
    this.pos = pos;
    return this;
  }

  /** Advance to the next multiple of `n` bytes from the start. */
  align(n: number): this {
    const pad = (n - (this.pos % n)) % n;
    return this.skip(Math.min(pad, this.remaining));
  }

  u8(): number {
    this.need(1);
    return this.view.getUint8(this.pos++);
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** An unsigned little-endian integer of `size` bytes (1-8) as a number; beyond 2^53 is corrupt, not rounded. */
  uint(size: number, what = 'a size'): number {
    this.need(size);
    let value = 0;
    let scale = 1;
    for (let i = 0; i < size; i++) {
      value += this.bytes[this.pos + i] * scale;
      scale *= 256;
    }
    if (value > Number.MAX_SAFE_INTEGER) throw this.corrupt(`${what} of ${value} is beyond 2^53`);
    this.pos += size;
    return value;
  }

  u64(what?: string): number {
    return this.uint(8, what);
  }

  /** An address (offset-size bytes); all bits set is `UNDEFINED_ADDRESS`. */
  address(): number {
    const size = this.file.offsetSize;
    this.need(size);
    let all = true;
    for (let i = 0; i < size; i++) if (this.bytes[this.pos + i] !== 0xff) all = false;
    if (all) {
      this.pos += size;
      return UNDEFINED_ADDRESS;
    }
    return this.uint(size, 'an address');
  }

  /** A length (length-size bytes). */
  length(): number {
    return this.uint(this.file.lengthSize, 'a length');
  }

  take(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Four ASCII letters, checked against `expected`. */
  signature(expected: string): void {
    const at = this.offset;
    const got = String.fromCharCode(...this.take(4));
    if (got !== expected) throw this.corrupt(`signature '${escape(got)}' where '${expected}' was expected`, at);
  }

  /** A NUL-terminated string (NUL consumed). */
  cstring(): string {
    const end = this.bytes.indexOf(0, this.pos);
    if (end < 0) throw new Hdf5CorruptError('HDF5_TRUNCATED', this.file.uri, this.offset, `${this.what}: a name has no terminating NUL`);
    const s = utf8(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return s;
  }

  /** A version byte, checked to be one of `known`. */
  version(known: readonly number[], of: string): number {
    const at = this.offset;
    const v = this.u8();
    if (!known.includes(v)) throw this.corrupt(`${of} version ${v} (known: ${known.join(', ')})`, at);
    return v;
  }

  /** Refuse a count past `max` before anything is allocated for it. */
  limit(value: number, max: number, what: string): number {
    if (value > max) throw new Hdf5LimitError(this.file.uri, this.offset, `${this.what}: ${what} ${value} exceeds the limit of ${max}`);
    return value;
  }
}

const decoder = new TextDecoder('utf-8');
export function utf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

function escape(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A little-endian unsigned integer of `size` bytes at `at`, exact up to 2^53. */
export function readUint(bytes: Uint8Array, at: number, size: number): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < size; i++) {
    value += bytes[at + i] * scale;
    scale *= 256;
  }
  return value;
}
