import { PluginLoadError } from './errors.js';
import { inlinePlugin } from './inline.js';
import { sniffHdf5, sniffNetcdfClassic, sniffZarr } from './sniff.js';
import type { DataSourcePlugin } from './types.js';

export interface BuiltinPlugin {
  readonly name: string;
  readonly load: () => Promise<DataSourcePlugin>;
  readonly sniff: (head: Uint8Array, uri: string) => boolean;
}

/**
 * Import `exportName` from a module beside this package's other backends. The specifier is a variable so that
 * a build lacking a backend still type-checks and fails only when that backend is asked for.
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
  { name: 'netcdf', load: moduleLoader('netcdf', '../netcdf/plugin.js', 'netcdfPlugin'), sniff: sniffNetcdfClassic },
  { name: 'hdf5', load: moduleLoader('hdf5', '../hdf5/plugin.js', 'hdf5Plugin'), sniff: sniffHdf5 },
  { name: 'zarr', load: moduleLoader('zarr', '../zarr/plugin.js', 'zarrPlugin'), sniff: sniffZarr },
  { name: 'inline', load: async () => inlinePlugin, sniff: () => false },
];
