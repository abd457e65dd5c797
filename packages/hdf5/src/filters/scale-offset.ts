/**
 * Undo HDF5's scale-offset filter (id 6), as libhdf5 stores it: a 21-byte header (minimum bits per value, 4 bytes
 * little-endian; the size of the minimum value, 1 byte; the minimum value, little-endian), then every value's
 * `minbits` low bits, most significant bit first, one after the other. A value is `minimum + packed`, or the fill
 * value where the packed bits are all ones (when the dataset has one); floats (decimal scaling, "D-scale") are
 * `packed / 10^D + minimum`. Returns the values in the dataset's byte order, as the filter's input was.
 *
 * Parameters (the filter's client data): scale type (0 float D-scale, 1 float E-scale, 2 integer), scale factor,
 * elements per chunk, class (0 integer, 1 float), size, sign (0 unsigned), byte order (0 little-endian), fill value
 * defined (1), then the fill value's bytes.
 */

const HEADER = 21;

export class ScaleOffsetError extends Error {}

export function scaleOffsetDecode(bytes: Uint8Array, params: readonly number[], expected: number): Uint8Array {
  const [scaleType, scaleFactor, nelmts, cls, size, sign, order, fillDefined] = params;
  if (params.length < 8 || ![1, 2, 4, 8].includes(size) || nelmts * size !== expected) {
    throw new ScaleOffsetError(`parameters [${params.slice(0, 8).join(', ')}] do not describe ${expected} bytes`);
  }
  const littleEndian = order === 0;
  const isFloat = cls === 1;
  if (isFloat && scaleType !== 0) throw new ScaleOffsetError('E-scaling (scale type 1) is not supported by libhdf5 either');
  if (!isFloat && scaleFactor === size * 8) return bytes; // full precision asked for: stored as it is
  if (bytes.length < HEADER) throw new ScaleOffsetError(`${bytes.length} bytes cannot hold its 21-byte header`);
  const minbits = (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0;
  if (minbits > size * 8) throw new ScaleOffsetError(`${minbits} bits per value for ${size}-byte values`);
  const minSize = Math.min(8, bytes[4]);
  let minval = 0n;
  for (let i = 0; i < minSize; i++) minval |= BigInt(bytes[5 + i]) << BigInt(8 * i);

  const out = new Uint8Array(expected);
  const view = new DataView(out.buffer);
  if (minbits === size * 8) {
    // Full precision: the values follow the header as they are (in the writer's memory order: little-endian).
    if (bytes.length < HEADER + expected) throw new ScaleOffsetError(`${bytes.length - HEADER} bytes for ${expected} of values`);
    out.set(bytes.subarray(HEADER, HEADER + expected));
    if (!littleEndian) for (let i = 0; i < expected; i += size) out.subarray(i, i + size).reverse();
    return out;
  }
  const needed = HEADER + Math.ceil((nelmts * minbits) / 8);
  if (bytes.length < needed) throw new ScaleOffsetError(`${bytes.length} bytes where ${needed} hold ${nelmts} values of ${minbits} bits`);

  const fillBytes = new Uint8Array(8);
  for (let i = 0; i < Math.min(8, size); i++) fillBytes[i] = ((params[8 + (i >> 2)] ?? 0) >>> (8 * (i & 3))) & 0xff;
  const allOnes = minbits === 0 ? 0n : (1n << BigInt(minbits)) - 1n;
  const bits = BigInt(size * 8);
  const wrap = (v: bigint) => (sign === 0 || isFloat ? BigInt.asUintN(Number(bits), v) : BigInt.asIntN(Number(bits), v));
  const signedMin = BigInt.asIntN(64, minval);
  const minFloat = isFloat ? floatOf(minval, size) : 0;
  const scale = isFloat ? 10 ** scaleFactor : 1;

  let bit = HEADER * 8;
  for (let i = 0; i < nelmts; i++) {
    // The next `minbits` bits, most significant first.
    let packed = 0n;
    for (let left = minbits; left > 0; ) {
      const byte = bytes[bit >> 3];
      const free = 8 - (bit & 7);
      const take = Math.min(free, left);
      packed = (packed << BigInt(take)) | BigInt((byte >> (free - take)) & ((1 << take) - 1));
      left -= take;
      bit += take;
    }
    const at = i * size;
    if (fillDefined === 1 && packed === allOnes) {
      for (let b = 0; b < size; b++) out[at + (littleEndian ? b : size - 1 - b)] = fillBytes[b];
      continue;
    }
    if (isFloat) {
      if (size === 4) view.setFloat32(at, Math.fround(Math.fround(Number(packed)) / Math.fround(scale)) + minFloat, littleEndian);
      else view.setFloat64(at, Number(packed) / scale + minFloat, littleEndian);
      continue;
    }
    const value = wrap(packed + (sign === 0 ? minval : signedMin));
    switch (size) {
      case 1:
        out[at] = Number(BigInt.asUintN(8, value));
        break;
      case 2:
        view.setUint16(at, Number(BigInt.asUintN(16, value)), littleEndian);
        break;
      case 4:
        view.setUint32(at, Number(BigInt.asUintN(32, value)), littleEndian);
        break;
      default:
        view.setBigUint64(at, BigInt.asUintN(64, value), littleEndian);
    }
  }
  return out;
}

/** A float stored in the low bytes of the minimum value (little-endian). */
function floatOf(minval: bigint, size: number): number {
  const b = new DataView(new ArrayBuffer(8));
  b.setBigUint64(0, BigInt.asUintN(64, minval), true);
  return size === 4 ? b.getFloat32(0, true) : b.getFloat64(0, true);
}
