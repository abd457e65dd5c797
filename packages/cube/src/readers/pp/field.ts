import type { PPHeader, WordLayout } from './header.js';

/** Extra data (LBEXT words after a PP field's data): vectors by Iris's names (UMDP F3 table of IB codes). */
export interface ExtraData {
  /** x, y, lower_y_domain, lower_x_domain, upper_y_domain, upper_x_domain, lower_z_domain, upper_z_domain,
   * x_lower_bound, x_upper_bound, y_lower_bound, y_upper_bound: vectors of reals. */
  vectors: Record<string, Float64Array>;
  /** field_title, domain_title. */
  titles: Record<string, string>;
}

/** The IB codes of extra data and the names Iris gives them. */
export const EXTRA_DATA_NAMES: Readonly<Record<number, string>> = {
  1: 'x',
  2: 'y',
  3: 'lower_y_domain',
  4: 'lower_x_domain',
  5: 'upper_y_domain',
  6: 'upper_x_domain',
  7: 'lower_z_domain',
  8: 'upper_z_domain',
  10: 'field_title',
  11: 'domain_title',
  12: 'x_lower_bound',
  13: 'x_upper_bound',
  14: 'y_lower_bound',
  15: 'y_upper_bound',
};

/** A lateral boundary condition field's frame: the halos and the rim width (LBUSER3), in points. */
export interface Boundary {
  xHalo: number;
  yHalo: number;
  rim: number;
}

/** Stored value types a field's data can have. */
export type FieldDtype = 'float32' | 'float64' | 'int32' | 'int64';

/**
 * One field of a PP file or fieldsfile, as indexed: its header and where its data is. Nothing of the data has
 * been read.
 */
export interface PPField {
  /** 0-based position among the file's fields (fieldsfile: among its lookup entries). */
  index: number;
  header: PPHeader;
  /** Byte offset of the data (packed, without extra data) and its length in bytes. */
  dataOffset: number;
  dataLength: number;
  /** Word size and byte order of the data as stored (packed fieldsfile data is in 32-bit words). */
  layout: WordLayout;
  /** The values' type once unpacked (from LBUSER1 and the word size). */
  dtype: FieldDtype;
  /** The type of the header's reals: 32-bit in PP files, 64-bit in fieldsfiles (coordinates keep it, as in Iris). */
  headerReal: 'float32' | 'float64';
  extra?: ExtraData;
  /** Fieldsfiles: x and y from the file's column and row dependent constants (variable-resolution grids). */
  x?: Float64Array;
  y?: Float64Array;
  /** Boundary condition fieldsfiles: the stored values are this frame of the field only. */
  boundary?: Boundary;
}

/** Iris's dtype of a field's values: LBUSER1 1 (or anything unknown) is real, 2 and 3 integer (and logical). */
export function fieldDtype(lbuser1: number, wordBytes: 4 | 8): FieldDtype {
  const integer = lbuser1 === 2 || lbuser1 === 3 || lbuser1 === -2 || lbuser1 === -3;
  if (wordBytes === 8) return integer ? 'int64' : 'float64';
  return integer ? 'int32' : 'float32';
}

/**
 * Decode LBEXT words of extra data: each item a word `IA * 1000 + IB` (IA values of kind IB), then its values.
 * Returns `undefined` with the reason when an item runs past the words or has an unknown IB.
 */
export function decodeExtraData(bytes: Uint8Array, layout: WordLayout): ExtraData | { error: string } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const w = layout.wordBytes;
  const le = layout.littleEndian;
  const words = Math.floor(bytes.length / w);
  const out: ExtraData = { vectors: {}, titles: {} };
  let i = 0;
  while (i < words) {
    const code = w === 4 ? view.getInt32(i * 4, le) : Number(view.getBigInt64(i * 8, le));
    i++;
    const ia = Math.floor(code / 1000);
    const ib = code % 1000;
    const name = EXTRA_DATA_NAMES[ib];
    if (name === undefined || ia < 0) return { error: `extra data item ${code} has an unknown kind (IB ${ib})` };
    if (i + ia > words) return { error: `extra data item '${name}' needs ${ia} words but ${words - i} remain` };
    if (ib === 10 || ib === 11) {
      const text = new TextDecoder('latin1').decode(bytes.subarray(i * w, (i + ia) * w));
      out.titles[name] = text.replace(/\0+$/, '');
    } else {
      const values = new Float64Array(ia);
      for (let k = 0; k < ia; k++) values[k] = w === 4 ? view.getFloat32((i + k) * 4, le) : view.getFloat64((i + k) * 8, le);
      out.vectors[name] = values;
    }
    i += ia;
  }
  return out;
}
