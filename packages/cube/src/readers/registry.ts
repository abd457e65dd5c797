import { UnknownPluginError } from '../errors.js';
import { builtinPlugins } from './builtin.js';
import { FormatNotDetectedError, PluginLoadError } from './errors.js';
import type { DataSourcePlugin } from './types.js';

/** Loads a plugin; called at most once per registration (until it fails). */
export type PluginLoader = () => Promise<DataSourcePlugin>;

export interface PluginRegistration {
  /**
   * A cheap test `detectFormat` uses instead of loading the plugin to call its `sniff` (default: load it).
   * Give one when importing the plugin is expensive.
   */
  sniff?: (head: Uint8Array, uri: string) => boolean;
}

interface Entry extends PluginRegistration {
  load: PluginLoader;
  loaded?: Promise<DataSourcePlugin>;
}

/**
 * Data-source plugins by name (`SourceArray.format`), each imported only when first used, as zarrita's codec
 * registry does. Separate registries share nothing, so tests and embedders can build their own.
 */
export class PluginRegistry {
  private readonly entries = new Map<string, Entry>();

  /** Register (or replace) `name`. Detection tries plugins in registration order. */
  register(name: string, load: PluginLoader, options: PluginRegistration = {}): this {
    this.entries.set(name, { load, sniff: options.sniff });
    return this;
  }

  unregister(name: string): boolean {
    return this.entries.delete(name);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Registered names, in detection order. */
  get names(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * The plugin registered as `name`, loading it on first use. Throws `UnknownPluginError` for a name nobody
   * registered and `PluginLoadError` when its module fails to load (a failed load is retried next time).
   */
  get(name: string): Promise<DataSourcePlugin> {
    const entry = this.entries.get(name);
    if (!entry) return Promise.reject(new UnknownPluginError(name, 'format'));
    entry.loaded ??= loadChecked(name, entry.load).catch((error: unknown) => {
      entry.loaded = undefined;
      throw error;
    });
    return entry.loaded;
  }

  /**
   * The name of the first plugin that recognises an object from its first bytes (`head`; a few hundred bytes
   * suffice for the built-ins, empty for directory-like stores) or its URI. Throws `FormatNotDetectedError`.
   */
  async detectFormat(uri: string, head: Uint8Array): Promise<string> {
    for (const [name, entry] of this.entries) {
      const sniff = entry.sniff ?? (await this.get(name)).sniff;
      if (sniff(head, uri)) return name;
    }
    throw new FormatNotDetectedError(uri, this.names, head);
  }
}

async function loadChecked(name: string, load: PluginLoader): Promise<DataSourcePlugin> {
  let plugin: unknown;
  try {
    plugin = await load();
  } catch (error) {
    if (error instanceof PluginLoadError) throw error;
    throw new PluginLoadError(name, error instanceof Error ? error.message : String(error), { cause: error });
  }
  if (!isPlugin(plugin)) {
    throw new PluginLoadError(name, 'its loader did not return a plugin (an object with name, sniff, openDataset, openArray)');
  }
  return plugin;
}

function isPlugin(value: unknown): value is DataSourcePlugin {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return (
    typeof p.name === 'string' &&
    typeof p.sniff === 'function' &&
    typeof p.openDataset === 'function' &&
    typeof p.openArray === 'function'
  );
}

/** A registry holding the built-in plugins (netcdf, hdf5, zarr, kerchunk, inline), none of them loaded yet. */
export function createPluginRegistry(): PluginRegistry {
  const registry = new PluginRegistry();
  for (const p of builtinPlugins) registry.register(p.name, p.load, { sniff: p.sniff });
  return registry;
}

/** The process-wide registry the functions below use. */
export const defaultRegistry: PluginRegistry = createPluginRegistry();

/** Register (or replace) a plugin in the default registry. */
export function registerPlugin(name: string, load: PluginLoader, options?: PluginRegistration): void {
  defaultRegistry.register(name, load, options);
}

/** A plugin from the default registry; see `PluginRegistry.get`. */
export function getPlugin(name: string): Promise<DataSourcePlugin> {
  return defaultRegistry.get(name);
}

/** Detect a format with the default registry; see `PluginRegistry.detectFormat`. */
export function detectFormat(uri: string, head: Uint8Array): Promise<string> {
  return defaultRegistry.detectFormat(uri, head);
}
