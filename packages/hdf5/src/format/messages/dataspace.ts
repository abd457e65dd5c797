import { readUint, type Cursor } from '../../io/cursor.js';

/** The most elements a dataset or attribute may have before the reader refuses it (2^53: exact as a number). */
const MAX_ELEMENTS = Number.MAX_SAFE_INTEGER;

export interface Dataspace {
  /** `null` for an empty (null) dataspace; `[]` for a scalar. */
  shape: number[] | null;
  /** Per axis, the maximum extent, `Infinity` for unlimited; absent when the file gives none (fixed). */
  maxShape?: number[];
}

/** Parse a dataspace message (versions 1 and 2). */
export function parseDataspace(c: Cursor): Dataspace {
  const version = c.version([1, 2], 'dataspace message');
  const rank = c.u8();
  if (rank > 32) throw c.corrupt(`dataspace rank ${rank} (at most 32)`);
  const flags = c.u8();
  let kind = rank === 0 ? 0 : 1;
  if (version === 1) {
    c.skip(5);
  } else {
    kind = c.u8();
    if (kind > 2) throw c.corrupt(`dataspace type ${kind}`);
  }
  if (kind === 2) return { shape: null };
  const shape: number[] = [];
  let elements = 1;
  for (let i = 0; i < rank; i++) {
    const n = c.length();
    shape.push(n);
    elements *= n;
  }
  c.limit(elements, MAX_ELEMENTS, 'dataspace element count');
  const space: Dataspace = { shape: kind === 0 ? [] : shape };
  if (flags & 1) {
    const max: number[] = [];
    for (let i = 0; i < rank; i++) {
      const n = readUint(c.take(c.file.lengthSize), 0, c.file.lengthSize);
      // H5S_UNLIMITED is all bits set; anything past 2^53 is as good as unlimited here.
      max.push(n > Number.MAX_SAFE_INTEGER || n === 2 ** (8 * c.file.lengthSize) - 1 ? Infinity : n);
    }
    space.maxShape = max;
  }
  return space;
}
