import type { Dtype } from '@cubemark/format';
import { storedType } from './dtype.js';
import type { H5Metadata } from './load.js';

/** How an HDF5 dataset's values are presented in the NetCDF data model. */
export interface StoredLayout {
  dtype: Dtype;
  /** Presented shape (a `char` array's last dimension folded into strings). */
  shape: number[];
  /** The HDF5 dataspace. */
  storedShape: number[];
  /** Presented axes that may grow (HDF5 maxshape unlimited). */
  unlimited: boolean[];
  /** Presented chunk shape, if chunked. */
  chunks?: number[];
  /** NetCDF `char`: the last stored dimension holds the characters of each string. */
  char: boolean;
}

/** h5wasm reports H5S_UNLIMITED (2^64 - 1) as a float just under 2^64. */
export function isUnlimited(maxsize: number | undefined): boolean {
  return maxsize !== undefined && maxsize >= Number.MAX_SAFE_INTEGER;
}

export function storedLayout(meta: H5Metadata): StoredLayout | { unsupported: string } {
  const type = storedType(meta);
  if ('unsupported' in type) return type;
  if (meta.shape === null) return { unsupported: 'empty (null) dataspace' };
  const storedShape = [...meta.shape];
  const fold = type.char && storedShape.length > 0 ? 1 : 0;
  const keep = storedShape.length - fold;
  const layout: StoredLayout = {
    dtype: type.dtype,
    shape: storedShape.slice(0, keep),
    storedShape,
    unlimited: storedShape.slice(0, keep).map((_, i) => isUnlimited(meta.maxshape?.[i])),
    char: fold === 1,
  };
  if (meta.chunks) layout.chunks = meta.chunks.slice(0, keep);
  return layout;
}
