import { PluginLoadError } from './errors.js';
import { inlinePlugin } from './inline.js';
import { sniffHdf5 } from './sniff.js';
import type { DataSourcePlugin } from './types.js';

export interface BuiltinPlugin {
  readonly name: string;
  readonly load: () => Promise<DataSourcePlugin>;
  /** A cheap detector used instead of importing the plugin; absent when importing it is cheap. */
  readonly sniff?: (head: Uint8Array, uri: string) => boolean;
}

/**
 * Import `exportName` from a module beside this package's other backends, by a specifier TypeScript does not
 * follow, for backends that may be absent from a build: it still type-checks and fails only when asked for.
 */
export function moduleLoader(name: string, specifier: string, exportName: string): () => Promise<DataSourcePlugin> {
  return async () => {
    let module: Record<string, unknown>;
    try {
      module = (await import(/* @vite-ignore */ new URL(specifier, import.meta.url).href)) as Record<string, unknown>;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new PluginLoadError(name, `importing ${specifier} failed (${why})`, { cause: error });
    }
    const plugin = module[exportName];
    if (plugin === undefined) throw new PluginLoadError(name, `${specifier} does not export '${exportName}'`);
    return plugin as DataSourcePlugin;
  };
}

/** The plugins every registry starts with, in detection order. */
export const builtinPlugins: readonly BuiltinPlugin[] = [
  { name: 'netcdf', load: async () => (await import('../netcdf/plugin.js')).netcdfPlugin },
  // Importing the HDF5 plugin instantiates libhdf5 (WebAssembly): detection must not pay for that.
  { name: 'hdf5', load: moduleLoader('hdf5', '../hdf5/plugin.js', 'hdf5Plugin'), sniff: sniffHdf5 },
  { name: 'zarr', load: async () => (await import('../zarr/plugin.js')).zarrPlugin },
  { name: 'inline', load: async () => inlinePlugin },
];
