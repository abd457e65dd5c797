import { hdf5SignatureOffset } from './hdf5/sniff.js';
import { inlinePlugin } from './inline/plugin.js';
import { sniffUm } from './pp/sniff.js';
import type { DataSourcePlugin } from './types.js';

export interface BuiltinPlugin {
  readonly name: string;
  /** Imports the plugin's module: only when the plugin is first used. */
  readonly load: () => Promise<DataSourcePlugin>;
  /** A detector that needs no import of the plugin; absent when importing the plugin to sniff is cheap. */
  readonly sniff?: (head: Uint8Array, uri: string) => boolean;
}

/** The plugins every registry starts with, in detection order. */
export const builtinPlugins: readonly BuiltinPlugin[] = [
  { name: 'netcdf', load: async () => (await import('./netcdf/plugin.js')).netcdfPlugin },
  {
    name: 'hdf5',
    load: async () => (await import('./hdf5/plugin.js')).hdf5Plugin,
    // The same test the plugin's own sniff makes, from a dependency-free module: detecting that a file is *not*
    // HDF5 should not cost the HDF5 plugin's import.
    sniff: (head) => hdf5SignatureOffset(head) !== undefined,
  },
  { name: 'zarr', load: async () => (await import('./zarr/plugin.js')).zarrPlugin },
  { name: 'kerchunk', load: async () => (await import('./kerchunk/plugin.js')).kerchunkPlugin },
  {
    name: 'pp',
    load: async () => (await import('./pp/plugin.js')).ppPlugin,
    // Detecting that a file is not PP should not cost the PP reader's import (its STASH tables).
    sniff: (head) => sniffUm(head) !== undefined,
  },
  { name: 'inline', load: async () => inlinePlugin },
];
