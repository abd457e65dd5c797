/**
 * An IBM System/360 single-precision float (sign, 7-bit base-16 exponent biased by 64, 24-bit fraction) as the
 * nearest float32, as WGDOS row bases are stored.
 */
export function ibmToFloat32(bits: number): number {
  const fraction = bits & 0xffffff;
  if (fraction === 0) return 0;
  const exponent = (bits >>> 24) & 0x7f;
  const value = fraction * 2 ** (4 * (exponent - 64) - 24);
  return Math.fround(bits & 0x80000000 ? -value : value);
}

/** The IBM single-precision bits of `value` (truncating, as IBM conversion does): for writing test data. */
export function float32ToIbm(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return 0;
  const sign = value < 0 ? 0x80000000 : 0;
  let v = Math.abs(value);
  let exponent = 64;
  while (v >= 1 && exponent < 127) {
    v /= 16;
    exponent++;
  }
  while (v < 1 / 16 && exponent > 0) {
    v *= 16;
    exponent--;
  }
  const fraction = Math.floor(v * 2 ** 24) & 0xffffff;
  return (sign | (exponent << 24) | fraction) >>> 0;
}
