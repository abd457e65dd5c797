/**
 * A small PP and fieldsfile writer for tests: fields from a header (named words over defaults) and values, packed
 * as asked (LBPACK 0 unpacked, 1 WGDOS, 4 RLE), in big- or little-endian Fortran records. Values written with
 * WGDOS are taken as exact multiples of the precision above each row's minimum, so the decoded values must equal
 * the inputs bit for bit.
 *
 * ```ts
 * const bytes = ppFile([ppField({ lbrow: 2, lbnpt: 3, lbpack: 1, bacc: -2 }, [1, 1.25, 2, 0, 3, -1e30])]);
 * ```
 */
import { float32ToIbm } from '../../../src/readers/pp/unpack/ibm.js';

/** Named header words (integers and reals), by Iris's names; `lbuser` and `lbrsvd`, `brsvd` as arrays. */
export interface HeaderWords {
  [name: string]: number | number[] | undefined;
  lbuser?: number[];
  lbrsvd?: number[];
  brsvd?: number[];
}

const INT_NAMES = [
  'lbyr', 'lbmon', 'lbdat', 'lbhr', 'lbmin', 'lbsec', 'lbyrd', 'lbmond', 'lbdatd', 'lbhrd', 'lbmind', 'lbsecd', 'lbtim',
  'lbft', 'lblrec', 'lbcode', 'lbhem', 'lbrow', 'lbnpt', 'lbext', 'lbpack', 'lbrel', 'lbfc', 'lbcfc', 'lbproc', 'lbvc',
  'lbrvc', 'lbexp', 'lbegin', 'lbnrec', 'lbproj', 'lbtyp', 'lblev',
];
const REAL_NAMES = ['bdatum', 'bacc', 'blev', 'brlev', 'bhlev', 'bhrlev', 'bplat', 'bplon', 'bgor', 'bzy', 'bdy', 'bzx', 'bdx', 'bmdi', 'bmks'];

/** A plausible global field: 2010-01-01 00:00 analysis of STASH m01s16i203 on 1000 hPa, regular lat-lon. */
export const DEFAULT_HEADER: HeaderWords = {
  lbyr: 2010, lbmon: 1, lbdat: 1, lbyrd: 2010, lbmond: 1, lbdatd: 1, lbtim: 11, lbcode: 1, lbhem: 0, lbrow: 3,
  lbnpt: 4, lbrel: 3, lbfc: 16, lbvc: 8, lblev: 1000, lbsrce: 1111, blev: 1000, bplat: 90, bplon: 0, bzy: -120,
  bdy: 60, bzx: -90, bdx: 90, bmdi: -1e30, bmks: 1, lbuser: [1, 0, 0, 16203, 0, 0, 1],
};

export interface WrittenField {
  ints: Int32Array | number[];
  reals: number[];
  /** Data as stored (packed), and extra data words (already encoded). */
  data: Uint8Array;
  extra: Uint8Array;
}

function headerArrays(words: HeaderWords): { ints: number[]; reals: number[] } {
  const ints = new Array<number>(45).fill(0);
  const reals = new Array<number>(19).fill(0);
  const all = { ...DEFAULT_HEADER, ...words };
  INT_NAMES.forEach((name, i) => {
    const v = all[name];
    if (typeof v === 'number') ints[i] = v;
  });
  (all.lbrsvd ?? []).forEach((v, i) => (ints[33 + i] = v));
  if (typeof all.lbsrce === 'number') ints[37] = all.lbsrce;
  (all.lbuser ?? []).forEach((v, i) => (ints[38 + i] = v));
  (all.brsvd ?? []).forEach((v, i) => (reals[i] = v));
  REAL_NAMES.forEach((name, i) => {
    const v = all[name];
    if (typeof v === 'number') reals[4 + i] = v;
  });
  return { ints, reals };
}

class Bytes {
  private readonly chunks: Uint8Array[] = [];
  constructor(private readonly littleEndian = false) {}
  /** Append `size` bytes written by `write` (in this writer's byte order). */
  private put(size: number, write: (view: DataView, littleEndian: boolean) => void): this {
    const b = new Uint8Array(size);
    write(new DataView(b.buffer), this.littleEndian);
    this.chunks.push(b);
    return this;
  }
  int32(v: number): this {
    return this.put(4, (d, le) => d.setInt32(0, v, le));
  }
  uint32(v: number): this {
    return this.put(4, (d, le) => d.setUint32(0, v >>> 0, le));
  }
  float32(v: number): this {
    return this.put(4, (d, le) => d.setFloat32(0, v, le));
  }
  int64(v: number): this {
    return this.put(8, (d, le) => d.setBigInt64(0, BigInt(v), le));
  }
  float64(v: number): this {
    return this.put(8, (d, le) => d.setFloat64(0, v, le));
  }
  raw(b: Uint8Array): this {
    this.chunks.push(b);
    return this;
  }
  get length(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }
  done(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/** WGDOS-pack `values` (rows of `cols`) at precision 2^`precision`, with missing (`mdi`) and zero bitmaps. */
export function packWgdos(values: ArrayLike<number>, rows: number, cols: number, precision: number, mdi: number): Uint8Array {
  const acc = 2 ** precision;
  const body = new Bytes();
  for (let r = 0; r < rows; r++) {
    const row = Array.from({ length: cols }, (_, c) => Math.fround(values[r * cols + c]));
    const isMissing = row.map((v) => v === Math.fround(mdi));
    const isZero = row.map((v, c) => !isMissing[c] && v === 0);
    const hasMissing = isMissing.some(Boolean);
    const hasZeros = isZero.some(Boolean);
    const data = row.filter((_, c) => !isMissing[c] && !isZero[c]);
    const base = data.length > 0 ? Math.min(...data) : 0;
    const ints = data.map((v) => Math.round((v - base) / acc));
    const max = Math.max(0, ...ints);
    const bits = max === 0 ? 0 : Math.floor(Math.log2(max)) + 1;
    const bitmap: number[] = [];
    if (hasMissing) bitmap.push(...isMissing.map((m) => (m ? 1 : 0)));
    if (hasZeros) bitmap.push(...isZero.map((z) => (z ? 0 : 1)));
    const stream: number[] = [];
    const push = (v: number, n: number) => {
      for (let b = n - 1; b >= 0; b--) stream.push((v >>> b) & 1);
    };
    for (const b of bitmap) push(b, 1);
    while (stream.length % 32 !== 0) stream.push(0);
    if (bits > 0) for (const v of ints) push(v, bits);
    while (stream.length % 32 !== 0) stream.push(0);
    const rowBytes = new Uint8Array(stream.length / 8);
    for (let i = 0; i < stream.length; i++) if (stream[i]) rowBytes[i >>> 3] |= 1 << (7 - (i & 7));
    const flags = (hasZeros ? 128 : 0) | (hasMissing ? 32 : 0) | bits;
    body.uint32(float32ToIbm(base)).uint32(((flags << 16) | (rowBytes.length / 4)) >>> 0).raw(rowBytes);
  }
  const head = new Bytes();
  const total = 3 + body.length / 4;
  head.uint32(total).int32(precision).uint32(((cols << 16) | rows) >>> 0);
  return new Bytes().raw(head.done()).raw(body.done()).done();
}

/** Run-length encode the missing values of `values` (LBPACK 4). */
export function packRle(values: ArrayLike<number>, mdi: number, littleEndian = false): Uint8Array {
  const out = new Bytes(littleEndian);
  const fill = Math.fround(mdi);
  let run = 0;
  for (let i = 0; i < values.length; i++) {
    if (Math.fround(values[i]) === fill) {
      run++;
      continue;
    }
    if (run > 0) out.float32(fill).float32(run);
    run = 0;
    out.float32(values[i]);
  }
  if (run > 0) out.float32(fill).float32(run);
  return out.done();
}

/** Extra data items (IB code → values): each as `IA * 1000 + IB` then its IA reals. */
export function extraData(items: Record<number, number[]>, littleEndian = false): Uint8Array {
  const out = new Bytes(littleEndian);
  for (const [ib, values] of Object.entries(items)) {
    out.int32(values.length * 1000 + Number(ib));
    for (const v of values) out.float32(v);
  }
  return out.done();
}

export interface FieldOptions {
  /** Extra data items (IB → values). */
  extra?: Record<number, number[]>;
  littleEndian?: boolean;
}

/**
 * A field: its header (LBLREC and LBEXT are filled in) and `values` packed as LBPACK says (`bacc` is the WGDOS
 * precision); integer fields (LBUSER1 = 2) are stored as int32.
 */
export function ppField(words: HeaderWords, values: ArrayLike<number>, options: FieldOptions = {}): WrittenField {
  const { ints, reals } = headerArrays(words);
  const le = options.littleEndian ?? false;
  const lbpack = ints[20];
  const mdi = reals[17];
  let data: Uint8Array;
  if (lbpack % 10 === 1) data = packWgdos(values, ints[17], ints[18], reals[5], mdi);
  else if (lbpack % 10 === 4) data = packRle(values, mdi, le);
  else {
    const b = new Bytes(le);
    const integer = ints[38] === 2 || ints[38] === 3;
    for (let i = 0; i < values.length; i++) (integer ? b.int32(values[i]) : b.float32(values[i]));
    data = b.done();
  }
  const extra = options.extra ? extraData(options.extra, le) : new Uint8Array(0);
  ints[19] = extra.length / 4;
  ints[14] = (data.length + extra.length) / 4;
  return { ints, reals, data, extra };
}

/** A PP file: each field as a header record and a data record (Fortran sequential, 4-byte length words). */
export function ppFile(fields: readonly WrittenField[], options: { littleEndian?: boolean } = {}): Uint8Array {
  const le = options.littleEndian ?? false;
  const out = new Bytes(le);
  for (const f of fields) {
    out.int32(256);
    for (const v of f.ints) out.int32(v);
    for (const v of f.reals) out.float32(v);
    out.int32(256);
    const n = f.data.length + f.extra.length;
    out.int32(n).raw(f.data).raw(f.extra).int32(n);
  }
  return out.done();
}

/**
 * A fieldsfile (64-bit big-endian words, or 32-bit ones with `wordBytes: 4`, as `ieee -32` writes): a fixed
 * header of 256 words, the lookup table (`lookupEntries` ≥ the fields; unused entries are -99), then each field's
 * data at a 512-word boundary (LBEGIN, LBNREC set). Unpacked data are written as reals of the word size; WGDOS
 * data as written by `ppField` (LBNREC counts them in 64-bit words either way).
 */
export function fieldsfile(
  fields: readonly WrittenField[],
  options: { lookupEntries?: number; realConstants?: number[]; wordBytes?: 4 | 8; datasetType?: number; levels?: number } = {},
): Uint8Array {
  const w = options.wordBytes ?? 8;
  const int = (b: Bytes, v: number) => (w === 8 ? b.int64(v) : b.int32(v));
  const real = (b: Bytes, v: number) => (w === 8 ? b.float64(v) : b.float32(v));
  const entries = options.lookupEntries ?? fields.length;
  const fixed = new Array<number>(256).fill(-32768);
  fixed[0] = 20;
  fixed[1] = 1;
  fixed[4] = options.datasetType ?? 3;
  fixed[8] = 3;
  if (options.levels !== undefined) {
    // Level dependent constants: their place is not read, only how many levels there are.
    fixed[109] = 1;
    fixed[110] = options.levels;
    fixed[111] = 4;
  }
  const lookupStart = 257 + (options.realConstants ? options.realConstants.length : 0);
  if (options.realConstants) {
    fixed[104] = 257;
    fixed[105] = options.realConstants.length;
  }
  fixed[149] = lookupStart;
  fixed[150] = 64;
  fixed[151] = entries;
  const dataStart = Math.ceil((lookupStart - 1 + 64 * entries) / 512) * 512;
  fixed[159] = dataStart + 1;
  const out = new Bytes();
  const payloads: Uint8Array[] = [];
  let at = dataStart;
  const lookup = new Bytes();
  for (const f of fields) {
    const ints = [...f.ints];
    let payload: Uint8Array;
    if (ints[20] % 10 === 0) {
      const b = new Bytes();
      const view = new DataView(f.data.buffer, f.data.byteOffset, f.data.byteLength);
      for (let i = 0; i < f.data.length / 4; i++) real(b, view.getFloat32(i * 4, false));
      payload = b.done();
      ints[14] = payload.length / w;
    } else {
      payload = f.data;
      ints[14] = Math.ceil(payload.length / w);
    }
    const blockWords = Math.ceil(payload.length / w / 512) * 512;
    ints[28] = at;
    ints[29] = ints[20] % 10 === 0 ? ints[14] : (blockWords * w) / 8;
    const padded = new Uint8Array(blockWords * w);
    padded.set(payload);
    payloads.push(padded);
    at += blockWords;
    for (const v of ints) int(lookup, v);
    for (const v of f.reals) real(lookup, v);
  }
  for (let i = fields.length; i < entries; i++) for (let k = 0; k < 64; k++) int(lookup, -99);
  for (const v of fixed) int(out, v);
  for (const v of options.realConstants ?? []) real(out, v);
  out.raw(lookup.done());
  out.raw(new Uint8Array(dataStart * w - out.length));
  for (const p of payloads) out.raw(p);
  return out.done();
}
