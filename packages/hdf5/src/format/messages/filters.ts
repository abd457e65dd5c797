import type { Cursor } from '../../io/cursor.js';

export interface FilterInfo {
  id: number;
  name: string;
  /** Optional filters may be skipped when they fail at write time (their bit is then set in a chunk's mask). */
  optional: boolean;
  params: number[];
}

/** Parse a filter pipeline message (versions 1 and 2). */
export function parseFilterPipeline(c: Cursor): FilterInfo[] {
  const version = c.version([1, 2], 'filter pipeline message');
  const n = c.u8();
  if (n > 32) throw c.corrupt(`${n} filters (at most 32)`);
  if (version === 1) c.skip(6);
  const filters: FilterInfo[] = [];
  for (let i = 0; i < n; i++) {
    const id = c.u16();
    const nameLength = version === 1 || id >= 256 ? c.u16() : 0;
    const flags = c.u16();
    const nParams = c.u16();
    let name = '';
    if (nameLength > 0) {
      const start = c.pos;
      const raw = c.take(nameLength);
      name = new TextDecoder().decode(raw).replace(/\0.*$/s, '');
      if (version === 1) c.seek(start + Math.ceil(nameLength / 8) * 8);
    }
    const params: number[] = [];
    for (let j = 0; j < nParams; j++) params.push(c.u32());
    if (version === 1 && nParams % 2 === 1) c.skip(4);
    filters.push({ id, name, optional: (flags & 1) !== 0, params });
  }
  return filters;
}
