import type { Cursor } from '../io/cursor.js';
import { Hdf5UnsupportedError } from '../errors.js';

export type StringPadding = 'nullterm' | 'nullpad' | 'spacepad';
export type Charset = 'ascii' | 'utf-8';

export interface CompoundMember {
  name: string;
  /** Byte offset in the compound element. */
  offset: number;
  type: Datatype;
}

export interface EnumMember {
  name: string;
  value: number | bigint;
}

/** An HDF5 datatype as stored in the file. `size` is the bytes one element takes in the file. */
export type Datatype =
  | { class: 'integer'; size: number; signed: boolean; littleEndian: boolean }
  | { class: 'float'; size: number; littleEndian: boolean }
  | { class: 'string'; size: number; padding: StringPadding; charset: Charset }
  | { class: 'vlen-string'; size: number; padding: StringPadding; charset: Charset }
  | { class: 'vlen'; size: number; base: Datatype }
  | { class: 'compound'; size: number; members: CompoundMember[] }
  | { class: 'enum'; size: number; base: Datatype; members: EnumMember[] }
  | { class: 'reference'; size: number; kind: 'object' | 'region' }
  | { class: 'array'; size: number; dims: number[]; base: Datatype }
  | { class: 'opaque'; size: number; tag: string }
  | { class: 'bitfield'; size: number; littleEndian: boolean }
  | { class: 'time'; size: number; littleEndian: boolean };

const PADDING: StringPadding[] = ['nullterm', 'nullpad', 'spacepad'];

/** Parse a datatype message (or the datatype inside an attribute or compound). */
export function parseDatatype(c: Cursor, depth = 0): Datatype {
  if (depth > 16) throw c.corrupt('datatypes nested more than 16 deep');
  const at = c.offset;
  const head = c.u8();
  const version = head >> 4;
  const cls = head & 0x0f;
  if (version < 1 || version > 4) throw c.corrupt(`datatype version ${version}`, at);
  const bits = c.u8() | (c.u8() << 8) | (c.u8() << 16);
  const size = c.u32();
  const littleEndian = (bits & 1) === 0;
  switch (cls) {
    case 0: {
      c.u16(); // bit offset
      c.u16(); // precision
      return { class: 'integer', size, signed: (bits & 0x08) !== 0, littleEndian };
    }
    case 1: {
      c.skip(12); // bit offset, precision, exponent and mantissa layout, bias
      if (bits & 0x40) throw new Hdf5UnsupportedError('HDF5_UNSUPPORTED', c.file.uri, at, `${c.what}: VAX-order floats are not supported`);
      return { class: 'float', size, littleEndian };
    }
    case 2:
      c.u16();
      return { class: 'time', size, littleEndian };
    case 3:
      return { class: 'string', size, padding: PADDING[bits & 0x0f] ?? 'nullterm', charset: (bits >> 4) & 0x0f ? 'utf-8' : 'ascii' };
    case 4:
      c.u16();
      c.u16();
      return { class: 'bitfield', size, littleEndian };
    case 5: {
      const tagLength = bits & 0xff;
      const tag = new TextDecoder().decode(c.take(tagLength)).replace(/\0+$/, '');
      return { class: 'opaque', size, tag };
    }
    case 6:
      return parseCompound(c, version, bits & 0xffff, size, depth);
    case 7:
      return { class: 'reference', size, kind: (bits & 0x0f) === 1 ? 'region' : 'object' };
    case 8: {
      const n = bits & 0xffff;
      const base = parseDatatype(c, depth + 1);
      const names: string[] = [];
      for (let i = 0; i < n; i++) {
        const start = c.pos;
        names.push(c.cstring());
        if (version < 3) c.seek(start + Math.ceil((c.pos - start) / 8) * 8);
      }
      const members: EnumMember[] = names.map((name) => ({ name, value: readEnumValue(c, base) }));
      return { class: 'enum', size, base, members };
    }
    case 9: {
      const base = parseDatatype(c, depth + 1);
      const diskSize = 4 + c.file.offsetSize + 4;
      if ((bits & 0x0f) === 1) {
        return { class: 'vlen-string', size: diskSize, padding: PADDING[(bits >> 4) & 0x0f] ?? 'nullterm', charset: (bits >> 8) & 0x0f ? 'utf-8' : 'ascii' };
      }
      return { class: 'vlen', size: diskSize, base };
    }
    case 10: {
      const rank = c.u8();
      if (version < 3) c.skip(3);
      const dims: number[] = [];
      for (let i = 0; i < rank; i++) dims.push(c.u32());
      if (version < 3) c.skip(4 * rank);
      const base = parseDatatype(c, depth + 1);
      return { class: 'array', size: base.size * dims.reduce((a, b) => a * b, 1), dims, base };
    }
    default:
      throw c.corrupt(`datatype class ${cls}`, at);
  }
}

function parseCompound(c: Cursor, version: number, n: number, size: number, depth: number): Datatype {
  const members: CompoundMember[] = [];
  const offsetBytes = size < 256 ? 1 : size < 65536 ? 2 : size < 16777216 ? 3 : 4;
  for (let i = 0; i < n; i++) {
    const start = c.pos;
    const name = c.cstring();
    if (version < 3) c.seek(start + Math.ceil((c.pos - start) / 8) * 8);
    const offset = version < 3 ? c.u32() : c.uint(offsetBytes);
    if (version === 1) {
      const rank = c.u8();
      c.skip(3 + 4 + 4);
      const dims = [c.u32(), c.u32(), c.u32(), c.u32()].slice(0, rank);
      const type = parseDatatype(c, depth + 1);
      const count = dims.reduce((a, b) => a * b, 1);
      members.push({ name, offset, type: rank > 0 ? { class: 'array', size: type.size * count, dims, base: type } : type });
    } else {
      members.push({ name, offset, type: parseDatatype(c, depth + 1) });
    }
  }
  return { class: 'compound', size, members };
}

function readEnumValue(c: Cursor, base: Datatype): number | bigint {
  const bytes = c.take(base.size);
  const le = base.class === 'integer' ? base.littleEndian : true;
  const signed = base.class === 'integer' && base.signed;
  let v = 0n;
  for (let i = 0; i < bytes.length; i++) v |= BigInt(bytes[le ? i : bytes.length - 1 - i]) << BigInt(8 * i);
  if (signed && bytes.length > 0 && v >> BigInt(8 * bytes.length - 1)) v -= 1n << BigInt(8 * bytes.length);
  return bytes.length <= 4 ? Number(v) : v;
}

/** A short description for messages: `int16`, `float64`, `string(5)`, `compound`, ... */
export function describeDatatype(t: Datatype): string {
  switch (t.class) {
    case 'integer':
      return `${t.signed ? 'int' : 'uint'}${t.size * 8}`;
    case 'float':
      return `float${t.size * 8}`;
    case 'string':
      return `string(${t.size})`;
    case 'vlen-string':
      return 'variable-length string';
    case 'vlen':
      return `variable-length sequence of ${describeDatatype(t.base)}`;
    case 'array':
      return `array [${t.dims.join(', ')}] of ${describeDatatype(t.base)}`;
    default:
      return t.class;
  }
}
