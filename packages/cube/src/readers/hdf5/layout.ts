import type { Dtype } from '@cubemark/format';
import type { Hdf5Dataset as H5Dataset } from '@cubemark/hdf5';
import { storedType } from './dtype.js';

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

export function storedLayout(dataset: H5Dataset): StoredLayout | { unsupported: string } {
  const type = storedType(dataset.datatype);
  if ('unsupported' in type) return type;
  if (dataset.shape === null) return { unsupported: 'empty (null) dataspace' };
  const storedShape = [...dataset.shape];
  const fold = type.char && storedShape.length > 0 ? 1 : 0;
  const keep = storedShape.length - fold;
  const layout: StoredLayout = {
    dtype: type.dtype,
    shape: storedShape.slice(0, keep),
    storedShape,
    unlimited: storedShape.slice(0, keep).map((_, i) => dataset.maxShape[i] === Infinity),
    char: fold === 1,
  };
  if (dataset.chunks) layout.chunks = dataset.chunks.slice(0, keep);
  return layout;
}
