/** True on a little-endian host (every platform Node runs on), where big-endian stored values need their bytes reversed. */
export const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Reverse the bytes of each `size`-byte element of `data` in place (big-endian ↔ little-endian); `size` defaults
 * to a typed array's element size, and sizes other than 2, 4 and 8 leave it as it is. Buffer's swaps run natively.
 */
export function swapBytes(data: ArrayBufferView, size = (data as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1): void {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (size === 2) bytes.swap16();
  else if (size === 4) bytes.swap32();
  else if (size === 8) bytes.swap64();
}
