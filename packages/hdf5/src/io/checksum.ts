/**
 * The checksums HDF5 uses: Bob Jenkins' lookup3 `hashlittle` for metadata of format versions ≥ 2 (superblock v2+,
 * object header v2, B-tree v2, fractal heap, fixed and extensible arrays), and Fletcher-32 for the chunk filter.
 */

const rot = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/** lookup3 `hashlittle(bytes, initval)`, as libhdf5's `H5_checksum_lookup3`. */
export function lookup3(bytes: Uint8Array, initval = 0): number {
  let length = bytes.length;
  let a = (0xdeadbeef + length + initval) | 0;
  let b = a;
  let c = a;
  let k = 0;
  while (length > 12) {
    a = (a + (bytes[k] | (bytes[k + 1] << 8) | (bytes[k + 2] << 16) | (bytes[k + 3] << 24))) | 0;
    b = (b + (bytes[k + 4] | (bytes[k + 5] << 8) | (bytes[k + 6] << 16) | (bytes[k + 7] << 24))) | 0;
    c = (c + (bytes[k + 8] | (bytes[k + 9] << 8) | (bytes[k + 10] << 16) | (bytes[k + 11] << 24))) | 0;
    a = (a - c) | 0; a ^= rot(c, 4); c = (c + b) | 0;
    b = (b - a) | 0; b ^= rot(a, 6); a = (a + c) | 0;
    c = (c - b) | 0; c ^= rot(b, 8); b = (b + a) | 0;
    a = (a - c) | 0; a ^= rot(c, 16); c = (c + b) | 0;
    b = (b - a) | 0; b ^= rot(a, 19); a = (a + c) | 0;
    c = (c - b) | 0; c ^= rot(b, 4); b = (b + a) | 0;
    length -= 12;
    k += 12;
  }
  if (length === 0) return c >>> 0;
  // The last 1-12 bytes, added little-endian into a, b, c (missing bytes count as zero).
  const tail = [0, 0, 0];
  for (let i = 0; i < length; i++) tail[i >> 2] += bytes[k + i] * 2 ** (8 * (i & 3));
  a = (a + tail[0]) | 0;
  b = (b + tail[1]) | 0;
  c = (c + tail[2]) | 0;
  c ^= b; c = (c - rot(b, 14)) | 0;
  a ^= c; a = (a - rot(c, 11)) | 0;
  b ^= a; b = (b - rot(a, 25)) | 0;
  c ^= b; c = (c - rot(b, 16)) | 0;
  a ^= c; a = (a - rot(c, 4)) | 0;
  b ^= a; b = (b - rot(a, 14)) | 0;
  c ^= b; c = (c - rot(b, 24)) | 0;
  return c >>> 0;
}

/** Fletcher-32 over 16-bit big-endian words (an odd last byte is the high byte of a word), as libhdf5 computes it. */
export function fletcher32(bytes: Uint8Array): number {
  let sum1 = 0;
  let sum2 = 0;
  let words = bytes.length >> 1;
  let i = 0;
  while (words > 0) {
    // 360 words at most between reductions keep both sums below 2^32.
    let n = Math.min(words, 360);
    words -= n;
    while (n-- > 0) {
      sum1 += (bytes[i] << 8) | bytes[i + 1];
      sum2 += sum1;
      i += 2;
    }
    sum1 = (sum1 & 0xffff) + Math.floor(sum1 / 65536);
    sum2 = (sum2 & 0xffff) + Math.floor(sum2 / 65536);
  }
  if (bytes.length & 1) {
    sum1 += bytes[i] << 8;
    sum2 += sum1;
    sum1 = (sum1 & 0xffff) + Math.floor(sum1 / 65536);
    sum2 = (sum2 & 0xffff) + Math.floor(sum2 / 65536);
  }
  sum1 = (sum1 & 0xffff) + Math.floor(sum1 / 65536);
  sum2 = (sum2 & 0xffff) + Math.floor(sum2 / 65536);
  return ((sum2 << 16) | sum1) >>> 0;
}
