const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * Undo HDF5's shuffle filter: byte b of every element was stored in plane b. Bytes past the last whole element
 * are stored as they are. Elements of 2, 4 and 8 bytes are rebuilt a word at a time (on little-endian hosts).
 */
export function unshuffle(bytes: Uint8Array, size: number): Uint8Array {
  if (size <= 1) return bytes;
  const n = Math.floor(bytes.length / size);
  const out = new Uint8Array(bytes.length);
  if (LITTLE_ENDIAN && size === 4) {
    const words = new Uint32Array(out.buffer, 0, n);
    const b0 = bytes.subarray(0, n);
    const b1 = bytes.subarray(n, 2 * n);
    const b2 = bytes.subarray(2 * n, 3 * n);
    const b3 = bytes.subarray(3 * n, 4 * n);
    for (let i = 0; i < n; i++) words[i] = b0[i] | (b1[i] << 8) | (b2[i] << 16) | (b3[i] << 24);
  } else if (LITTLE_ENDIAN && size === 8) {
    const words = new Uint32Array(out.buffer, 0, 2 * n);
    const p = Array.from({ length: 8 }, (_, b) => bytes.subarray(b * n, (b + 1) * n));
    for (let i = 0; i < n; i++) {
      words[2 * i] = p[0][i] | (p[1][i] << 8) | (p[2][i] << 16) | (p[3][i] << 24);
      words[2 * i + 1] = p[4][i] | (p[5][i] << 8) | (p[6][i] << 16) | (p[7][i] << 24);
    }
  } else if (LITTLE_ENDIAN && size === 2) {
    const words = new Uint16Array(out.buffer, 0, n);
    const b0 = bytes.subarray(0, n);
    const b1 = bytes.subarray(n, 2 * n);
    for (let i = 0; i < n; i++) words[i] = b0[i] | (b1[i] << 8);
  } else {
    for (let b = 0; b < size; b++) {
      const plane = b * n;
      for (let i = 0; i < n; i++) out[i * size + b] = bytes[plane + i];
    }
  }
  out.set(bytes.subarray(n * size), n * size);
  return out;
}
