/**
 * Writes NetCDF classic headers field by field, so a test can state exactly which field is wrong. Counts, lengths
 * and offsets take the width of the version (NON_NEG: 64 bits in CDF-5; OFFSET: 64 bits in CDF-2 and CDF-5).
 */
export class HeaderWriter {
  private readonly parts: number[] = [];

  constructor(readonly version: 1 | 2 | 5) {}

  magic(): this {
    this.parts.push(0x43, 0x44, 0x46, this.version);
    return this;
  }

  u32(v: number): this {
    this.parts.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    return this;
  }

  u64(v: bigint): this {
    for (let shift = 56n; shift >= 0n; shift -= 8n) this.parts.push(Number((v >> shift) & 0xffn));
    return this;
  }

  nonNeg(v: number | bigint): this {
    return this.version === 5 ? this.u64(BigInt(v)) : this.u32(Number(v));
  }

  offset(v: number | bigint): this {
    return this.version === 1 ? this.u32(Number(v)) : this.u64(BigInt(v));
  }

  /** Bytes, then NULs to a 4-byte boundary. */
  padded(bytes: Uint8Array | number[]): this {
    this.parts.push(...bytes);
    while (this.parts.length % 4 !== 0) this.parts.push(0);
    return this;
  }

  name(s: string): this {
    const bytes = new TextEncoder().encode(s);
    return this.nonNeg(bytes.length).padded(bytes);
  }

  absent(): this {
    return this.u32(0).nonNeg(0);
  }

  /** `magic numrecs` then a dimension list of `dims` (length 0 = the record dimension). */
  start(numrecs: number, dims: [string, number][]): this {
    this.magic().nonNeg(numrecs);
    if (dims.length === 0) return this.absent();
    this.u32(0x0a).nonNeg(dims.length);
    for (const [name, length] of dims) this.name(name).nonNeg(length);
    return this;
  }

  /** A variable entry without attributes. */
  variable(name: string, dimIds: number[], ncType: number, vsize: number, begin: number): this {
    this.name(name).nonNeg(dimIds.length);
    for (const id of dimIds) this.nonNeg(id);
    return this.absent().u32(ncType).nonNeg(vsize).offset(begin);
  }

  get length(): number {
    return this.parts.length;
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}
