// The header's encoding: names, counts and sizes in the version's widths, and attributes.
import type { AttributeValue, Attributes } from '@cubemark/format';
import { TAG_ATTRIBUTE } from '../nc-types.js';
import { checkName, type Fail } from './checks.js';
import type { NcTypeName } from './spec.js';
import { DTYPE_TYPE, TYPES, encodeNumeric, encoder } from './values.js';


export const MAX_U32 = 0xffffffff;

/** Appends header fields big-endian; counts and sizes take the version's widths. */
export class HeaderEncoder {
  private chunks: Buffer[] = [];
  length = 0;

  constructor(readonly version: 1 | 2 | 5) {}

  private push(b: Buffer): void {
    this.chunks.push(b);
    this.length += b.length;
  }

  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(v);
    this.push(b);
  }

  u64(v: number | bigint): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(v));
    this.push(b);
  }

  nonNeg(v: number): void {
    if (this.version === 5) this.u64(v);
    else this.u32(v);
  }

  offset(v: number): void {
    if (this.version === 1) this.u32(v);
    else this.u64(v);
  }

  padded(bytes: Uint8Array): void {
    const pad = (4 - (bytes.length % 4)) % 4;
    this.push(Buffer.concat([bytes, Buffer.alloc(pad)]));
  }

  name(s: string): void {
    const bytes = encoder.encode(s.normalize('NFC'));
    this.nonNeg(bytes.length);
    this.padded(bytes);
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

export interface PlannedAttribute {
  name: string;
  type: NcTypeName;
  count: number;
  bytes: Buffer;
}

export function planAttributes(attributes: Attributes | undefined, owner: string, version: 1 | 2 | 5, fail: Fail): PlannedAttribute[] {
  const out: PlannedAttribute[] = [];
  for (const [name, value] of Object.entries(attributes ?? {})) {
    checkName(name, `attribute of ${owner}`, fail);
    out.push(planAttribute(name, value, owner, version, fail));
  }
  return out;
}

function planAttribute(name: string, value: AttributeValue, owner: string, version: 1 | 2 | 5, fail: Fail): PlannedAttribute {
  if (typeof value === 'string') {
    const bytes = Buffer.from(encoder.encode(value));
    return { name, type: 'char', count: bytes.length, bytes };
  }
  if (Array.isArray(value)) {
    fail('NETCDF_WRITE_UNSUPPORTED', `attribute ${owner}:${name} is a list of strings; classic files have no string type`);
  }
  const { dtype, values } = value;
  const type = DTYPE_TYPE[dtype];
  if (type === undefined) fail('NETCDF_WRITE_BAD_VALUES', `attribute ${owner}:${name} has unknown dtype '${String(dtype)}'`);
  if (TYPES[type].cdf5 && version !== 5) {
    fail('NETCDF_WRITE_UNSUPPORTED', `attribute ${owner}:${name} is ${type}, which only CDF-5 (format 'cdf5') files hold`);
  }
  const bytes = encodeNumeric(values, dtype, values.length, (m) => fail('NETCDF_WRITE_BAD_VALUES', `attribute ${owner}:${name}: ${m}`));
  return { name, type, count: values.length, bytes };
}

export function encodeAttributes(h: HeaderEncoder, attributes: PlannedAttribute[]): void {
  if (attributes.length === 0) {
    h.u32(0);
    h.nonNeg(0);
    return;
  }
  h.u32(TAG_ATTRIBUTE);
  h.nonNeg(attributes.length);
  for (const a of attributes) {
    h.name(a.name);
    h.u32(TYPES[a.type].code);
    h.nonNeg(a.count);
    h.padded(a.bytes);
  }
}
