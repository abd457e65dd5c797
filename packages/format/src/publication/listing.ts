import { bytesPerElement, product } from '../arrays/dtypes.js';
import { nameOf } from '../model/names.js';
import type { CubeMeta, Dtype, Publication, Source } from '../model/types.js';

/** One cube as a listing shows it: no coordinates, no attributes, no summary. */
export interface CubeListing {
  /** Iris's `name()` (`nameOf`). */
  name: string;
  units: string;
  dims: string[];
  shape: number[];
  dtype: Dtype;
}

/**
 * What listing a publication and checking its data sources need, without its model: a few hundred bytes per cube
 * where the model is kilobytes, and plain data, so it is cheap to copy from a worker thread and to hold for every
 * publication of a large store.
 */
export interface PublicationIndex {
  name: string;
  title?: string;
  cubes: CubeListing[];
  /** Bytes all cubes' data would take in memory (sum over cubes of shape × dtype size). */
  lazyBytes: number;
  /** The data sources as the publication records them (size, mtime, ETag), for staleness checks. */
  sources: Source[];
}

/** Bytes the values of an array of this dtype and shape take in memory (strings are not counted: their size is unknown until read). */
export function lazyBytesOf(dtype: CubeMeta['dtype'], shape: readonly number[]): number {
  return dtype === 'string' ? 0 : product(shape) * bytesPerElement(dtype);
}

/** The index of a publication model. */
export function publicationIndex(publication: Publication): PublicationIndex {
  return {
    name: publication.name,
    ...(publication.title !== undefined && { title: publication.title }),
    cubes: publication.cubes.map((c) => ({ name: nameOf(c), units: c.units, dims: [...c.dims], shape: [...c.shape], dtype: c.dtype })),
    lazyBytes: publication.cubes.reduce((sum, c) => sum + lazyBytesOf(c.dtype, c.shape), 0),
    sources: publication.sources.map((s) => ({ ...s })),
  };
}
