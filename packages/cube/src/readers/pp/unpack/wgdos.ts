import { ibmToFloat32 } from './ibm.js';
import { UnpackError } from './errors.js';

/**
 * WGDOS packing (LBPACK 1; UMDP F3, as the Met Office's libmo_unpack reads it). A packed field is 32-bit
 * big-endian words: its length, the precision P (values are held to 2^P), then the row length and row count as
 * two 16-bit halves. Each row follows: an IBM float base (the row's minimum), a word whose top half holds flags
 * (bit 7: a zeros bitmap follows, bit 5: a missing-data bitmap follows, bits 0-4: bits per value) and whose bottom
 * half is the row's length in words after this row header, then the bitmaps (missing: 1 = missing; zeros:
 * 0 = zero), then the remaining values as unsigned integers of that many bits, most significant bit first. A
 * value is `base + 2^P * n`, in float32.
 */
export function unpackWgdos(packed: Uint8Array, nrows: number, ncols: number, mdi: number, out?: Float32Array): Float32Array {
  if (packed.length < 12) throw new UnpackError(`the packed field is ${packed.length} bytes, shorter than its 12-byte header`);
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const precision = view.getInt32(4, false);
  const cols = view.getUint16(8, false);
  const rows = view.getUint16(10, false);
  // As libmo_unpack, only the total must agree with the field's shape; rows are unpacked as packed.
  if (cols * rows !== nrows * ncols || cols === 0) {
    throw new UnpackError(`the packed field is ${rows} rows of ${cols} points but the header says ${nrows} of ${ncols}`);
  }
  nrows = rows;
  ncols = cols;
  const n = nrows * ncols;
  const values = out && out.length >= n ? out.subarray(0, n) : new Float32Array(n);
  const accuracy = Math.fround(2 ** precision);
  const fillValue = Math.fround(mdi);
  const missing = new Uint8Array(ncols);
  const zero = new Uint8Array(ncols);
  const packedRow = new Float32Array(ncols);
  let pos = 12;
  for (let row = 0; row < nrows; row++) {
    if (pos + 8 > packed.length) throw new UnpackError(`row ${row} starts at byte ${pos}, past the end of the packed data (${packed.length} bytes)`);
    const base = ibmToFloat32(view.getUint32(pos, false));
    const word = view.getUint32(pos + 4, false);
    const rowWords = word & 0xffff;
    const flags = word >>> 16;
    const hasZeros = (flags & 128) !== 0;
    const hasMissing = (flags & 32) !== 0;
    const bits = flags & 31;
    const start = pos + 8;
    const end = start + rowWords * 4;
    if (end > packed.length) {
      throw new UnpackError(`row ${row} says it is ${rowWords} words long, which overruns the packed data (${packed.length - start} bytes remain)`);
    }
    const at = row * ncols;
    if (!hasMissing && !hasZeros) {
      // The common row: no bitmaps, every point a packed value.
      const dataBytes = bits === 0 ? 0 : Math.ceil((bits * ncols) / 32) * 4;
      if (dataBytes !== rowWords * 4) {
        throw new UnpackError(`row ${row} holds ${rowWords} words but ${ncols} values of ${bits} bits need ${dataBytes / 4}`);
      }
      if (bits === 0) values.fill(base, at, at + ncols);
      else unpackValues(packed, start, bits, ncols, values, at, accuracy, base);
      pos = end;
      continue;
    }
    const bitmapBits = ncols * ((hasMissing ? 1 : 0) + (hasZeros ? 1 : 0));
    const bitmapBytes = Math.ceil(bitmapBits / 32) * 4;
    let nMissing = 0;
    let nZero = 0;
    const zerosAt = hasMissing ? ncols : 0;
    for (let c = 0; c < ncols; c++) {
      // As libmo_unpack: each bitmap is read on its own, and a point flagged in both counts in both.
      const m = hasMissing ? (packed[start + (c >>> 3)] >>> (7 - (c & 7))) & 1 : 0;
      const b = zerosAt + c;
      const z = hasZeros && ((packed[start + (b >>> 3)] >>> (7 - (b & 7))) & 1) === 0 ? 1 : 0;
      missing[c] = m;
      zero[c] = z;
      nMissing += m;
      nZero += z;
    }
    const ndata = ncols - nMissing - nZero;
    const dataBytes = bits === 0 ? 0 : Math.ceil((bits * ndata) / 32) * 4;
    if (8 + bitmapBytes + dataBytes !== rowWords * 4 + 8) {
      throw new UnpackError(
        `row ${row} holds ${rowWords} words but its bitmaps and ${ndata} values of ${bits} bits need ${(bitmapBytes + dataBytes) / 4}`,
      );
    }
    // The row's packed values in order, then laid out around its missing and zero points.
    if (bits > 0) unpackValues(packed, start + bitmapBytes, bits, ndata, packedRow, 0, accuracy, base);
    else packedRow.fill(base, 0, ndata);
    let k = 0;
    for (let c = 0; c < ncols; c++) {
      if (missing[c]) values[at + c] = fillValue;
      else if (zero[c]) values[at + c] = 0;
      else values[at + c] = packedRow[k++];
    }
    pos = end;
  }
  return values;
}

/**
 * `count` unsigned integers of `bits` (1 to 31) bits each, packed most significant bit first from byte `from` (a
 * whole number of 32-bit big-endian words, as a WGDOS row's values are), as `accuracy × n + base` in float32 into
 * `out` from `at`. Reads the words one at a time, keeping the bits not yet used (rather than five bytes per value).
 */
function unpackValues(packed: Uint8Array, from: number, bits: number, count: number, out: Float32Array, at: number, accuracy: number, base: number): void {
  // Integer arithmetic throughout (int32): bits ≤ 31, so a mask and any part of a word fit.
  const mask = ((1 << bits) - 1) | 0;
  let next = from;
  let word = 0;
  // Bits of `word` not yet used (its lowest ones).
  let left = 0;
  for (let c = 0; c < count; c++) {
    let n: number;
    if (left >= bits) {
      left -= bits;
      n = (word >>> left) & mask;
    } else {
      const need = bits - left;
      const high = (word & ((1 << left) - 1)) << need;
      word = (packed[next] << 24) | (packed[next + 1] << 16) | (packed[next + 2] << 8) | packed[next + 3];
      next += 4;
      left = 32 - need;
      n = high | (word >>> left);
    }
    out[at + c] = accuracy * n + base;
  }
}
