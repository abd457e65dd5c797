import type { SourceArray } from '@cubemark/format';
import type { ChunkLayout, ChunkRef, PluginContext } from '../types.js';
import { PpError } from './errors.js';
import { checkOptions, fieldUris } from './read.js';

const CODES: Readonly<Record<string, string>> = { float32: 'f4', float64: 'f8', int32: 'i4', int64: 'i8' };

/**
 * A `format: pp` reference as Zarr v2 chunks (for kerchunk): one chunk per field, its stored words where they lie
 * (in each field's own file, for fields merged across files).
 * Only unpacked fields (LBPACK 0) with one missing-data value and no BMKS, BDATUM or boundary frame have such an
 * equivalent; any other is a coded error naming the field and word (WGDOS and RLE have no numcodecs codec).
 */
export function ppChunkLayout(ref: SourceArray, uri: string, ctx: PluginContext): ChunkLayout {
  const o = checkOptions(ref, uri);
  const uriOf = fieldUris(ref, o, uri, ctx);
  const cannot = (i: number, word: string, why: string): never => {
    throw new PpError('PP_UNSUPPORTED', uri, { field: o.field[i], word }, `${why}: no chunk reference can describe it`);
  };
  const lead = ref.shape.slice(0, -2);
  const [rows, cols] = ref.shape.slice(-2);
  const size = ref.dtype === 'float64' || ref.dtype === 'int64' ? 8 : 4;
  if (o.word !== size) cannot(0, 'lbpack', `values of ${size} bytes in words of ${o.word}`);
  if (o.boundary !== undefined) cannot(0, 'lbuser3', 'a boundary condition field stores only its frame');
  if (Array.isArray(o.bmdi)) cannot(0, 'bmdi', 'its fields have different missing-data values');
  if (o.bdatum !== undefined || o.bmks !== undefined) cannot(0, 'bdatum', 'its values are scaled (BMKS) or offset (BDATUM)');
  const bytes = rows * cols * size;
  const refs: ChunkRef[] = o.offset.map((offset, i) => {
    const lbpack = typeof o.lbpack === 'number' ? o.lbpack : o.lbpack[i];
    if (lbpack !== 0) cannot(i, 'lbpack', `LBPACK ${lbpack} is packed`);
    if (o.length[i] < bytes) cannot(i, 'lblrec', `its ${o.length[i]} bytes hold fewer than ${rows} × ${cols} values`);
    // Field i's place in the grid of fields: its index over the leading axes, then the one chunk of its rows.
    const index: number[] = [];
    let rest = i;
    for (let d = lead.length - 1; d >= 0; d--) {
      index.unshift(rest % lead[d]);
      rest = Math.floor(rest / lead[d]);
    }
    return { key: [...index, 0, 0].join('.'), uri: uriOf(i), offset, length: bytes };
  });
  return {
    dtype: `${o.byte_order === 'little' ? '<' : '>'}${CODES[ref.dtype]}`,
    shape: [...ref.shape],
    chunks: ref.shape.map((n, d) => (d < lead.length ? 1 : Math.max(1, n))),
    order: 'C',
    compressor: null,
    filters: null,
    fill_value: null,
    refs,
  };
}
