import type { NumericValues } from '@cubemark/format';
import { Hdf5UnsupportedError } from '../errors.js';
import type { Datatype } from '../format/datatype.js';
import { readUint, UNDEFINED_ADDRESS } from '../io/cursor.js';
import type { GlobalHeap } from '../structures/global-heap.js';

/** A typed array of any numeric dtype (the format's `NumericValues`). */
export type NumericArray = NumericValues;

/**
 * Decoded values, row-major: numbers as a typed array of the stored type (native byte order), strings as
 * `string[]`, object references as absolute header addresses (`number[]`), variable-length sequences as one
 * array per element, compounds as one array per member. Enums give their base integers, bitfields unsigned
 * integers, opaque and other types their raw bytes per element.
 */
export type Hdf5Values = NumericArray | string[] | number[] | Hdf5Values[] | { [member: string]: Hdf5Values };

const INTEGERS: Record<string, { new (buffer: ArrayBuffer): NumericArray }> = {
  i1: Int8Array,
  u1: Uint8Array,
  i2: Int16Array,
  u2: Uint16Array,
  i4: Int32Array,
  u4: Uint32Array,
  i8: BigInt64Array,
  u8: BigUint64Array,
};

/** What decoding needs from the file: its URI, address size and base, and the global heap. */
export interface DecodeContext {
  uri: string;
  offsetSize: number;
  /** Absolute file offset addresses are relative to. */
  baseAddress: number;
  heap: GlobalHeap;
  signal?: AbortSignal;
}

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * Decode `count` elements of `type` from `bytes` (the layout they have in the file). With `owned`, `bytes` is the
 * caller's to give away: numbers already in native order are viewed, not copied.
 */
export async function decodeValues(bytes: Uint8Array, type: Datatype, count: number, ctx: DecodeContext, owned = false): Promise<Hdf5Values> {
  switch (type.class) {
    case 'integer':
    case 'bitfield':
    case 'enum': {
      const base = type.class === 'enum' ? type.base : type;
      const signed = base.class === 'integer' && base.signed;
      const le = base.class === 'integer' || base.class === 'bitfield' ? base.littleEndian : true;
      const ctor = INTEGERS[`${signed ? 'i' : 'u'}${base.size}`];
      if (!ctor) return rawElements(bytes, type.size, count);
      if (owned && le === LITTLE_ENDIAN && bytes.byteOffset % base.size === 0) return new (ctor as unknown as { new (b: ArrayBufferLike, o: number, n: number): NumericArray })(bytes.buffer, bytes.byteOffset, count);
      return new ctor(nativeCopy(bytes, base.size, count, le));
    }
    case 'float': {
      const view = owned && type.littleEndian === LITTLE_ENDIAN && bytes.byteOffset % type.size === 0;
      if (type.size === 4) return view ? new Float32Array(bytes.buffer, bytes.byteOffset, count) : new Float32Array(nativeCopy(bytes, 4, count, type.littleEndian));
      if (type.size === 8) return view ? new Float64Array(bytes.buffer, bytes.byteOffset, count) : new Float64Array(nativeCopy(bytes, 8, count, type.littleEndian));
      if (type.size === 2) return halfFloats(bytes, count, type.littleEndian);
      throw new Hdf5UnsupportedError('HDF5_UNSUPPORTED', ctx.uri, undefined, `${type.size * 8}-bit floats are not supported`);
    }
    case 'string':
      return fixedStrings(bytes, type.size, count, type.padding);
    case 'vlen-string': {
      const out: string[] = new Array(count);
      await Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const data = await vlenData(bytes, i, type.size, ctx);
          out[i] = data ? trimString(data.bytes.subarray(0, data.length), type.padding) : '';
        }),
      );
      return out;
    }
    case 'vlen': {
      const out: Hdf5Values[] = new Array(count);
      await Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const data = await vlenData(bytes, i, type.size, ctx);
          // Never more elements than the heap object holds, whatever the length field claims.
          const n = data ? Math.min(data.length, Math.floor(data.bytes.length / Math.max(1, type.base.size))) : 0;
          out[i] = await decodeValues(data ? data.bytes.subarray(0, n * type.base.size) : new Uint8Array(0), type.base, n, ctx);
        }),
      );
      return out;
    }
    case 'reference': {
      if (type.kind !== 'object') return rawElements(bytes, type.size, count);
      const out: number[] = [];
      for (let i = 0; i < count; i++) out.push(ctx.baseAddress + readUint(bytes, i * type.size, ctx.offsetSize));
      return out;
    }
    case 'compound': {
      const members: { [member: string]: Hdf5Values } = {};
      for (const m of type.members) {
        const gathered = new Uint8Array(count * m.type.size);
        for (let i = 0; i < count; i++) gathered.set(bytes.subarray(i * type.size + m.offset, i * type.size + m.offset + m.type.size), i * m.type.size);
        members[m.name] = await decodeValues(gathered, m.type, count, ctx);
      }
      return members;
    }
    case 'array': {
      const n = type.dims.reduce((a, b) => a * b, 1);
      return decodeValues(bytes, type.base, count * n, ctx);
    }
    default:
      return rawElements(bytes, type.size, count);
  }
}

/** The bytes of `count` elements of `size` bytes in native order (copied: views of file bytes may be unaligned). */
function nativeCopy(bytes: Uint8Array, size: number, count: number, littleEndian: boolean): ArrayBuffer {
  const out = new Uint8Array(size * count);
  out.set(bytes.subarray(0, size * count));
  if (!littleEndian && size > 1) {
    for (let i = 0; i < out.length; i += size) out.subarray(i, i + size).reverse();
  }
  return out.buffer;
}

function halfFloats(bytes: Uint8Array, count: number, littleEndian: boolean): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const h = view.getUint16(2 * i, littleEndian);
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    out[i] = exp === 0 ? sign * 2 ** -14 * (frac / 1024) : exp === 31 ? (frac ? NaN : sign * Infinity) : sign * 2 ** (exp - 15) * (1 + frac / 1024);
  }
  return out;
}

function rawElements(bytes: Uint8Array, size: number, count: number): Hdf5Values {
  return Array.from({ length: count }, (_, i) => bytes.slice(i * size, (i + 1) * size)) as unknown as Hdf5Values;
}

const decoder = new TextDecoder('utf-8');

function trimString(bytes: Uint8Array, padding: 'nullterm' | 'nullpad' | 'spacepad'): string {
  let end = bytes.length;
  if (padding === 'spacepad') {
    while (end > 0 && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0)) end--;
  } else {
    const nul = bytes.indexOf(0);
    if (nul >= 0) end = nul;
  }
  return decoder.decode(bytes.subarray(0, end));
}

function fixedStrings(bytes: Uint8Array, size: number, count: number, padding: 'nullterm' | 'nullpad' | 'spacepad'): string[] {
  const out: string[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = trimString(bytes.subarray(i * size, (i + 1) * size), padding);
  return out;
}

/** The global-heap object of variable-length element `i`, with its element count; `undefined` for a null one. */
async function vlenData(bytes: Uint8Array, i: number, size: number, ctx: DecodeContext): Promise<{ bytes: Uint8Array; length: number } | undefined> {
  const at = i * size;
  const length = readUint(bytes, at, 4);
  let all = true;
  for (let b = 0; b < ctx.offsetSize; b++) if (bytes[at + 4 + b] !== 0xff) all = false;
  const collection = all ? UNDEFINED_ADDRESS : readUint(bytes, at + 4, ctx.offsetSize);
  const index = readUint(bytes, at + 4 + ctx.offsetSize, 4);
  if (collection === UNDEFINED_ADDRESS || collection === 0 || length === 0) return undefined;
  const data = await ctx.heap.object(collection, index, ctx.signal);
  return { bytes: data, length };
}
