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
      else for (let c = 0; c < ncols; c++) values[at + c] = accuracy * bitsAt(packed, start, c * bits, bits) + base;
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
    const data = start + bitmapBytes;
    let k = 0;
    for (let c = 0; c < ncols; c++) {
      if (missing[c]) values[at + c] = fillValue;
      else if (zero[c]) values[at + c] = 0;
      else {
        values[at + c] = accuracy * (bits > 0 ? bitsAt(packed, data, k * bits, bits) : 0) + base;
        k++;
      }
    }
    pos = end;
  }
  return values;
}

/**
 * The unsigned integer of `bits` (1 to 31) bits at bit `b` after byte `from`, most significant bit first. Up to 31
 * bits starting anywhere in a byte lie within the next five bytes; bytes past the end read as 0.
 */
function bitsAt(packed: Uint8Array, from: number, b: number, bits: number): number {
  const byte = from + (b >>> 3);
  const shift = b & 7;
  const hi = ((packed[byte] << 24) | (packed[byte + 1] << 16) | (packed[byte + 2] << 8) | packed[byte + 3]) >>> 0;
  const window = shift === 0 ? hi : ((hi << shift) | ((packed[byte + 4] | 0) >>> (8 - shift))) >>> 0;
  return window >>> (32 - bits);
}
