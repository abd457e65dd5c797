// The public surface of @cubemark/cube. Readers (netcdf, hdf5, zarr, kerchunk, inline) live in readers/, one folder each,
// reached through the reader registry, which imports each only when first used; their modules are also subpaths.
export type * from './readers/dataset.js';
export * from './errors.js';
export * from './bytes/index.js';
export * from './lazy/index.js';
export * from './readers/index.js';
export * from './cf/index.js';
export * from './model/index.js';
export { tsxEsmApi } from './worker-source.js';
