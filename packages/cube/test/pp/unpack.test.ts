import { describe, expect, test } from 'vitest';
import { decodeField, unpackRle, unpackWgdos, UnpackError } from '../../src/readers/pp/unpack/index.js';
import { float32ToIbm, ibmToFloat32 } from '../../src/readers/pp/unpack/ibm.js';
import { packRle, packWgdos } from './helpers/pp-writer.js';

const MDI = -1073741824;

describe('IBM floats (WGDOS row bases)', () => {
  test.each([
    [0x41100000, 1],
    [0xc276a000, -118.625],
    [0x42640000, 100],
    [0x00000000, 0],
    [0x40800000, 0.5],
  ])('%s is %s', (bits, value) => {
    expect(ibmToFloat32(bits)).toBe(value);
    expect(float32ToIbm(value)).toBe(bits);
  });
});

describe('WGDOS (LBPACK 1)', () => {
  test('values come back exactly: rows with missing and zero bitmaps, constant rows, negative bases', () => {
    // Multiples of 2^-2 above each row's minimum (all exactly representable); row 1 is constant (0 bits per value).
    const values = [
      1, 1.25, 2.5, 0, MDI, 3.75,
      7, 7, 7, 7, 7, 7,
      -118.625, MDI, MDI, 0, 0, -100.125,
      0, 0, 0, 0, 0, 0,
    ];
    const packed = packWgdos(values, 4, 6, -2, MDI);
    expect(Array.from(unpackWgdos(packed, 4, 6, MDI))).toEqual(values.map(Math.fround));
  });

  test('a wide row spans many words of 13-bit values', () => {
    const values = Array.from({ length: 3 * 1000 }, (_, i) => (i * 37) % 8000);
    expect(Array.from(unpackWgdos(packWgdos(values, 3, 1000, 0, MDI), 3, 1000, MDI))).toEqual(values);
  });

  test.each(Array.from({ length: 31 }, (_, i) => i + 1))('%i bits per value, across word boundaries, with and without bitmaps', (bits) => {
    // Integers 1 + n with n up to 2^bits - 1 (float32 rounds the largest, to values that still pack exactly),
    // 37 to a row so that values straddle words; row 1 has a missing and a zero point (its bitmaps).
    const top = 2 ** bits - 1;
    const row = Array.from({ length: 37 }, (_, c) => Math.fround(1 + (c === 36 ? top : Math.floor((top * ((c * 7919) % 37)) / 37))));
    const values = [...row, ...row.map((v, c) => (c === 5 ? MDI : c === 9 ? 0 : v))];
    const packed = packWgdos(values, 2, 37, 0, MDI);
    expect(new DataView(packed.buffer, packed.byteOffset).getUint32(16) >>> 16).toBe(bits);
    expect(Array.from(unpackWgdos(packed, 2, 37, MDI))).toEqual(values.map(Math.fround));
  });

  test('unpacks into a given array when it holds the field', () => {
    const packed = packWgdos([1, 2, 3, 4, 5, 6], 2, 3, 0, MDI);
    const out = new Float32Array(8);
    expect(unpackWgdos(packed, 2, 3, MDI, out.subarray(1)).buffer).toBe(out.buffer);
    expect(Array.from(out)).toEqual([0, 1, 2, 3, 4, 5, 6, 0]);
  });

  test('the packed size must agree with the field (LBROW × LBNPT); rows are unpacked as packed (libmo_unpack)', () => {
    const packed = packWgdos([1, 2, 3, 4, 5, 6], 2, 3, 0, MDI);
    expect(() => unpackWgdos(packed, 1, 4, MDI)).toThrow(/2 rows of 3 points but the header says 1 of 4/);
    expect(Array.from(unpackWgdos(packed, 3, 2, MDI))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test('a row whose length overruns the data is an error naming the row', () => {
    const packed = packWgdos([1, 2, 3, 4, 5, 6], 2, 3, 0, MDI);
    const cut = packed.subarray(0, packed.length - 4);
    expect(() => unpackWgdos(cut, 2, 3, MDI)).toThrow(UnpackError);
    expect(() => unpackWgdos(cut, 2, 3, MDI)).toThrow(/row 1/);
    const bad = packed.slice();
    // Row 0 claims 100 words.
    new DataView(bad.buffer).setUint16(12 + 6, 100);
    expect(() => unpackWgdos(bad, 2, 3, MDI)).toThrow(/row 0 says it is 100 words long, which overruns/);
  });
});

describe('RLE (LBPACK 4)', () => {
  test('runs of missing values expand; other values pass through', () => {
    const values = [MDI, MDI, MDI, 1.5, 2, MDI, 3, MDI, MDI];
    const thin = packRle(values, MDI);
    expect(thin.length / 4).toBe(2 + 1 + 1 + 2 + 1 + 2);
    const words = new Float32Array(thin.length / 4).map((_, i) => new DataView(thin.buffer).getFloat32(i * 4, false));
    expect(Array.from(unpackRle(words, 9, MDI))).toEqual(values);
  });

  test('a run longer than the field is an error', () => {
    expect(() => unpackRle(Float32Array.of(MDI, 10), 9, MDI)).toThrow(/does not fit the 9 values/);
    expect(() => unpackRle(Float32Array.of(1, 2), 3, MDI)).toThrow(/expand to 2 values, not the field's 3/);
    expect(() => unpackRle(Float32Array.of(1, MDI), 3, MDI)).toThrow(/has no length/);
  });
});

describe('decodeField', () => {
  const base = { wordBytes: 4 as const, littleEndian: false, rows: 2, cols: 2, mdi: MDI };

  test('unpacked 32-bit reals and integers, either byte order', () => {
    const be = new Uint8Array(16);
    const le = new Uint8Array(16);
    [1.5, -2, 3, 4].forEach((v, i) => {
      new DataView(be.buffer).setFloat32(i * 4, v, false);
      new DataView(le.buffer).setFloat32(i * 4, v, true);
    });
    expect(Array.from(decodeField(be, { ...base, lbpack: 0, dtype: 'float32' }) as Float32Array)).toEqual([1.5, -2, 3, 4]);
    expect(Array.from(decodeField(le, { ...base, lbpack: 0, dtype: 'float32', littleEndian: true }) as Float32Array)).toEqual([1.5, -2, 3, 4]);
    const ints = new Uint8Array(16);
    [7, -8, 9, 10].forEach((v, i) => new DataView(ints.buffer).setInt32(i * 4, v, false));
    expect(decodeField(ints, { ...base, lbpack: 0, dtype: 'int32' })).toEqual(Int32Array.of(7, -8, 9, 10));
  });

  test('64-bit fieldsfile words, and 32-bit packing in them (LBPACK 2)', () => {
    const b = new Uint8Array(32);
    [1.25, 2, 3, 4].forEach((v, i) => new DataView(b.buffer).setFloat64(i * 8, v, false));
    expect(decodeField(b, { ...base, wordBytes: 8, lbpack: 0, dtype: 'float64' })).toEqual(Float64Array.of(1.25, 2, 3, 4));
    const c = new Uint8Array(16);
    [1.25, 2, 3, 4].forEach((v, i) => new DataView(c.buffer).setFloat32(i * 4, v, false));
    expect(decodeField(c, { ...base, wordBytes: 8, lbpack: 2, dtype: 'float64' })).toEqual(Float64Array.of(1.25, 2, 3, 4));
  });

  test('too few values, land/sea packing and unknown packings are errors', () => {
    expect(() => decodeField(new Uint8Array(12), { ...base, lbpack: 0, dtype: 'float32' })).toThrow(/hold 3 values/);
    expect(() => decodeField(new Uint8Array(16), { ...base, lbpack: 21, dtype: 'float32' })).toThrow(/LBPACK 21 is not supported/);
    expect(() => decodeField(new Uint8Array(16), { ...base, lbpack: 3, dtype: 'float32' })).toThrow(/LBPACK 3 is not supported/);
  });
});
