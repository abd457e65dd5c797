// Reading a classic header's fields in order, each length checked against the bytes at hand first.
import { NetcdfFormatError } from './errors.js';
import { TAG_ABSENT } from './nc-types.js';

/** CDF-1 (classic), CDF-2 (64-bit offset), CDF-5 (64-bit data). */
export type NetcdfVersion = 1 | 2 | 5;

export const STREAMING_32 = 0xffffffff;
export const STREAMING_64 = 0xffffffffffffffffn;

/** The prefix ended inside the header and more of the object exists: fetch up to `end` and parse again. */
export class NeedMoreBytes {
  constructor(
    readonly end: number,
    readonly what: string,
    readonly at: number,
  ) {}
}

export const textDecoder = new TextDecoder('utf-8');

export function tooLarge(uri: string, needed: number, limit: number): NetcdfFormatError {
  return new NetcdfFormatError(
    'NETCDF_HEADER_TOO_LARGE',
    uri,
    `the header claims at least ${needed} bytes, more than the limit of ${limit} (maxHeaderBytes); ` +
      'if the file really has such a header, raise the limit',
  );
}

export function truncated(uri: string, size: number, what: string, n: number, at: number): NetcdfFormatError {
  return new NetcdfFormatError(
    'NETCDF_TRUNCATED_HEADER',
    uri,
    `the object ends (at ${size} bytes) inside its header, reading ${what} (${n} bytes); the file is truncated or corrupt`,
    { offset: at },
  );
}

/** Reads header fields in order, checking every length against the bytes at hand before touching them. */
export class Cursor {
  pos = 0;
  version: NetcdfVersion = 1;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly uri: string,
    /** The bytes run to the end of the object: running out means the file is truncated, not the prefix short. */
    readonly complete: boolean,
    /** The object's size, when known. */
    readonly objectSize = complete ? bytes.length : Infinity,
    /** The most header bytes the reader will fetch. */
    readonly limit = Infinity,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /**
   * Check a count of elements, each at least `min` bytes, against the bytes that could hold them, before reading
   * any: a corrupt count fails here at once rather than after fetching up to the limit.
   */
  count(n: number, min: number, what: string, at: number): number {
    const end = this.pos + n * min;
    if (end > this.objectSize) throw truncated(this.uri, this.objectSize, what, n * min, at);
    if (end > this.limit) throw tooLarge(this.uri, end, this.limit);
    return n;
  }

  fail(code: 'NETCDF_BAD_HEADER' | 'NETCDF_TOO_LARGE', message: string, at = this.pos): never {
    throw new NetcdfFormatError(code, this.uri, message, { offset: at });
  }

  need(n: number, what: string): void {
    const end = this.pos + n;
    if (end <= this.bytes.length) return;
    if (this.complete) throw truncated(this.uri, this.bytes.length, what, n, this.pos);
    throw new NeedMoreBytes(end, what, this.pos);
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  u64(what: string): bigint {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos);
    this.pos += 8;
    return v;
  }

  /** NON_NEG: 32 bits, or 64 in CDF-5. */
  nonNeg(what: string): number {
    if (this.version !== 5) return this.u32(what);
    const at = this.pos;
    return this.toNumber(this.u64(what), what, at);
  }

  /** OFFSET: 32 bits in CDF-1, 64 otherwise. */
  offset(what: string): number {
    if (this.version === 1) return this.u32(what);
    const at = this.pos;
    return this.toNumber(this.u64(what), what, at);
  }

  toNumber(v: bigint, what: string, at: number): number {
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail('NETCDF_TOO_LARGE', `${what} (${v}) is larger than 2^53`, at);
    return Number(v);
  }

  /** `n` bytes, then padding to a 4-byte boundary. */
  padded(n: number, what: string): Uint8Array {
    const total = n + ((4 - (n % 4)) % 4);
    this.need(total, what);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += total;
    return out;
  }

  name(what: string): string {
    const at = this.pos;
    const n = this.nonNeg(`the length of ${what}`);
    if (n === 0) this.fail('NETCDF_BAD_HEADER', `${what} is empty`, at);
    return textDecoder.decode(this.padded(n, what));
  }

  /** A list's tag and element count; `ABSENT` (two zeros) is an empty list. */
  listHeader(tag: number, what: string): number {
    const at = this.pos;
    const found = this.u32(`the ${what} tag`);
    const n = this.nonNeg(`the number of ${what}`);
    if (found === TAG_ABSENT) {
      if (n !== 0) this.fail('NETCDF_BAD_HEADER', `the ${what} list is ABSENT but claims ${n} elements`, at);
      return 0;
    }
    if (found !== tag) {
      this.fail('NETCDF_BAD_HEADER', `expected the ${what} list (tag 0x${tag.toString(16)}), found 0x${found.toString(16)}`, at);
    }
    // Every element starts with a name (a length and at least 4 bytes) and one more count.
    const width = this.version === 5 ? 8 : 4;
    return this.count(n, 2 * width + 4, `${n} ${what}`, at);
  }
}
