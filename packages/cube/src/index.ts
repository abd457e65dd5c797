// The public surface of @cubemark/cube. Backends (netcdf, hdf5, zarr) are reached through the plugin registry,
// which imports each only when first used; their modules are also exported as subpaths for direct use.
export type * from './dataset/types.js';
export * from './errors.js';
export * from './bytes/index.js';
export * from './lazy/index.js';
export * from './plugins/index.js';
export * from './cf/index.js';
export * from './model/index.js';
