/**
 * Undo HDF5's shuffle filter: byte b of every element was stored in plane b. Bytes past the last whole element
 * are stored as they are.
 */
export function unshuffle(bytes: Uint8Array, size: number): Uint8Array {
  if (size <= 1) return bytes;
  const n = Math.floor(bytes.length / size);
  const out = new Uint8Array(bytes.length);
  for (let b = 0; b < size; b++) {
    const plane = b * n;
    for (let i = 0; i < n; i++) out[i * size + b] = bytes[plane + i];
  }
  out.set(bytes.subarray(n * size), n * size);
  return out;
}
