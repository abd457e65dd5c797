import type { Cursor } from '../../io/cursor.js';

/** The fill value of a dataset: the bytes of one element, or `undefined` for the library default (zeros). */
export function parseFillValue(c: Cursor): Uint8Array | undefined {
  const version = c.version([1, 2, 3], 'fill value message');
  if (version <= 2) {
    c.u8(); // space allocation time
    c.u8(); // fill write time
    const defined = c.u8();
    if (version === 2 && defined === 0) return undefined;
    const size = c.u32();
    return size > 0 ? c.take(size) : undefined;
  }
  const flags = c.u8();
  if ((flags & 0x20) === 0) return undefined;
  const size = c.u32();
  return size > 0 ? c.take(size) : undefined;
}

/** The old fill value message (type 4): size and bytes. */
export function parseOldFillValue(c: Cursor): Uint8Array | undefined {
  const size = c.u32();
  return size > 0 ? c.take(size) : undefined;
}
