/**
 * The 64-word PP field header (UMDP F3): 45 integers then 19 reals, the same in PP files and in a fieldsfile's
 * lookup table. Words are kept as numbers (64-bit integers of fieldsfiles are exact below 2^53, which every
 * meaningful header value is); named accessors follow Iris's `PPField` names.
 */

export const NUM_INTS = 45;
export const NUM_REALS = 19;
export const HEADER_WORDS = NUM_INTS + NUM_REALS;

/** 0-based integer word positions (LBUSER1 is `lbuser(1)` → `LBUSER + 0`). */
export const W = {
  lbyr: 0,
  lbmon: 1,
  lbdat: 2,
  lbhr: 3,
  lbmin: 4,
  lbsec: 5,
  lbyrd: 6,
  lbmond: 7,
  lbdatd: 8,
  lbhrd: 9,
  lbmind: 10,
  lbsecd: 11,
  lbtim: 12,
  lbft: 13,
  lblrec: 14,
  lbcode: 15,
  lbhem: 16,
  lbrow: 17,
  lbnpt: 18,
  lbext: 19,
  lbpack: 20,
  lbrel: 21,
  lbfc: 22,
  lbcfc: 23,
  lbproc: 24,
  lbvc: 25,
  lbrvc: 26,
  lbexp: 27,
  lbegin: 28,
  lbnrec: 29,
  lbproj: 30,
  lbtyp: 31,
  lblev: 32,
  lbrsvd: 33,
  lbsrce: 37,
  lbuser: 38,
} as const;

/** 0-based positions among the 19 reals. */
export const R = {
  brsvd: 0,
  bdatum: 4,
  bacc: 5,
  blev: 6,
  brlev: 7,
  bhlev: 8,
  bhrlev: 9,
  bplat: 10,
  bplon: 11,
  bgor: 12,
  bzy: 13,
  bdy: 14,
  bzx: 15,
  bdx: 16,
  bmdi: 17,
  bmks: 18,
} as const;

/** Iris's `SplittableInt`: the decimal digits of a value, least significant first. */
export function digits(value: number): number[] {
  const out: number[] = [];
  let v = Math.abs(Math.trunc(value));
  do {
    out.push(v % 10);
    v = Math.floor(v / 10);
  } while (v > 0);
  return out;
}

/** LBTIM as IA (hours between samples), IB (time-coordinate type) and IC (calendar). */
export interface Lbtim {
  ia: number;
  ib: number;
  ic: number;
}

/** LBCODE: its digit count (5 for cross-sections), IX and IY (axis types of cross-sections), and its first digit. */
export interface Lbcode {
  value: number;
  length: number;
  ix: number;
  iy: number;
  /** The most significant digit (Iris's `lbcode[-1]`). */
  top: number;
}

/** One field's header, decoded. `ints` and `reals` are the raw words. */
export class PPHeader {
  constructor(
    readonly ints: readonly number[],
    readonly reals: readonly number[],
  ) {}

  int(i: number): number {
    return this.ints[i];
  }

  get lbyr() {
    return this.ints[W.lbyr];
  }
  get lbmon() {
    return this.ints[W.lbmon];
  }
  get lbdat() {
    return this.ints[W.lbdat];
  }
  get lbhr() {
    return this.ints[W.lbhr];
  }
  get lbmin() {
    return this.ints[W.lbmin];
  }
  /** Seconds of T1: header release 3 only (release 2 has LBDAY there). */
  get lbsec() {
    return this.lbrel === 3 ? this.ints[W.lbsec] : 0;
  }
  get lbyrd() {
    return this.ints[W.lbyrd];
  }
  get lbmond() {
    return this.ints[W.lbmond];
  }
  get lbdatd() {
    return this.ints[W.lbdatd];
  }
  get lbhrd() {
    return this.ints[W.lbhrd];
  }
  get lbmind() {
    return this.ints[W.lbmind];
  }
  get lbsecd() {
    return this.lbrel === 3 ? this.ints[W.lbsecd] : 0;
  }
  get lbtimRaw() {
    return this.ints[W.lbtim];
  }
  get lbtim(): Lbtim {
    const v = Math.abs(this.ints[W.lbtim]);
    return { ia: Math.floor(v / 100), ib: Math.floor(v / 10) % 10, ic: v % 10 };
  }
  get lbft() {
    return this.ints[W.lbft];
  }
  get lblrec() {
    return this.ints[W.lblrec];
  }
  get lbcode(): Lbcode {
    const value = this.ints[W.lbcode];
    const d = digits(value);
    const at = (i: number) => d[i] ?? 0;
    return { value, length: d.length, iy: at(0) + 10 * at(1), ix: at(2) + 10 * at(3), top: d[d.length - 1] };
  }
  get lbhem() {
    return this.ints[W.lbhem];
  }
  get lbrow() {
    return this.ints[W.lbrow];
  }
  get lbnpt() {
    return this.ints[W.lbnpt];
  }
  get lbext() {
    return this.ints[W.lbext];
  }
  get lbpack() {
    return this.ints[W.lbpack];
  }
  get lbrel() {
    return this.ints[W.lbrel];
  }
  get lbfc() {
    return this.ints[W.lbfc];
  }
  get lbproc() {
    return this.ints[W.lbproc];
  }
  get lbvc() {
    return this.ints[W.lbvc];
  }
  get lbegin() {
    return this.ints[W.lbegin];
  }
  get lbnrec() {
    return this.ints[W.lbnrec];
  }
  get lblev() {
    return this.ints[W.lblev];
  }
  /** LBRSVD1..4 (1-based as in the documentation: `lbrsvd(4)` is the ensemble member). */
  lbrsvd(n: 1 | 2 | 3 | 4): number {
    return this.ints[W.lbrsvd + n - 1];
  }
  get lbsrce() {
    return this.ints[W.lbsrce];
  }
  /** LBUSER1..7 (1-based: `lbuser(1)` is the data type, `lbuser(4)` the STASH section and item). */
  lbuser(n: 1 | 2 | 3 | 4 | 5 | 6 | 7): number {
    return this.ints[W.lbuser + n - 1];
  }

  /** BRSVD1..4 (1-based). */
  brsvd(n: 1 | 2 | 3 | 4): number {
    return this.reals[R.brsvd + n - 1];
  }
  get bdatum() {
    return this.reals[R.bdatum];
  }
  get bacc() {
    return this.reals[R.bacc];
  }
  get blev() {
    return this.reals[R.blev];
  }
  get brlev() {
    return this.reals[R.brlev];
  }
  get bhlev() {
    return this.reals[R.bhlev];
  }
  get bhrlev() {
    return this.reals[R.bhrlev];
  }
  get bplat() {
    return this.reals[R.bplat];
  }
  get bplon() {
    return this.reals[R.bplon];
  }
  get bzy() {
    return this.reals[R.bzy];
  }
  get bdy() {
    return this.reals[R.bdy];
  }
  get bzx() {
    return this.reals[R.bzx];
  }
  get bdx() {
    return this.reals[R.bdx];
  }
  get bmdi() {
    return this.reals[R.bmdi];
  }
  get bmks() {
    return this.reals[R.bmks];
  }

  /** The STASH code's model, section and item (LBUSER7, LBUSER4 / 1000, LBUSER4 % 1000). */
  get stash(): { model: number; section: number; item: number } {
    const u4 = this.lbuser(4);
    return { model: this.lbuser(7), section: Math.trunc(u4 / 1000), item: u4 % 1000 };
  }
}

/** Word size and byte order of the words of a header. */
export interface WordLayout {
  /** 4 (PP files) or 8 (fieldsfiles) bytes per word. */
  wordBytes: 4 | 8;
  littleEndian: boolean;
}

/** Decode the 64 words at `offset` of `bytes` (which must hold them). */
export function decodeHeader(bytes: Uint8Array, offset: number, layout: WordLayout): PPHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, HEADER_WORDS * layout.wordBytes);
  const le = layout.littleEndian;
  const ints = new Array<number>(NUM_INTS);
  const reals = new Array<number>(NUM_REALS);
  if (layout.wordBytes === 4) {
    for (let i = 0; i < NUM_INTS; i++) ints[i] = view.getInt32(i * 4, le);
    for (let i = 0; i < NUM_REALS; i++) reals[i] = view.getFloat32((NUM_INTS + i) * 4, le);
  } else {
    for (let i = 0; i < NUM_INTS; i++) ints[i] = Number(view.getBigInt64(i * 8, le));
    for (let i = 0; i < NUM_REALS; i++) reals[i] = view.getFloat64((NUM_INTS + i) * 8, le);
  }
  return new PPHeader(ints, reals);
}
