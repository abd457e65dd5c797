/**
 * A data-source plugin serving stored values from memory, for testing what the lazy layer does with them
 * (routing, unpacking, masking). It records every hyperslab asked for; slabs are cut with the plain reference
 * slicer, not with the code under test.
 */
import type { ArrayValues } from '@cubemark/format';
import type { ByteSource } from '../../src/bytes/types.js';
import type { Hyperslab } from '../../src/readers/dataset.js';
import type { DataSourcePlugin } from '../../src/readers/types.js';
import { PluginRegistry } from '../../src/readers/registry.js';
import { refSlice } from './reference.js';

export interface MemoryPlugin extends DataSourcePlugin {
  slabs: Hyperslab[];
  /** Variables read from, in order of reads. */
  touched: string[];
  opens: number;
  /** Elements served so far. */
  elements(): number;
  /** Most slab reads ever in flight at once. */
  maxInFlight: number;
}

/** `arrays` by variable name; the stored dtype is the container's. */
export function memoryPlugin(arrays: Record<string, { values: ArrayValues; shape: number[] }>, name = 'memory'): MemoryPlugin {
  let inFlight = 0;
  const plugin: MemoryPlugin = {
    name,
    slabs: [],
    touched: [],
    opens: 0,
    maxInFlight: 0,
    elements: () => plugin.slabs.reduce((n, s) => n + s.count.reduce((p, c) => p * c, 1), 0),
    sniff: () => false,
    openDataset: () => Promise.reject(new Error('not used')),
    async openArray(ref) {
      plugin.opens++;
      const stored = arrays[ref.variable];
      if (!stored) throw new Error(`no variable ${ref.variable}`);
      return async (slab: Hyperslab) => {
        plugin.slabs.push(slab);
        plugin.touched.push(ref.variable);
        inFlight++;
        plugin.maxInFlight = Math.max(plugin.maxInFlight, inFlight);
        // Yield so concurrent reads overlap, as real I/O would.
        await new Promise((r) => setImmediate(r));
        inFlight--;
        const cut = refSlice(
          { shape: stored.shape, values: Array.from(stored.values as ArrayLike<unknown>) },
          slab.start.map((s, d) => ({ start: s, stop: s + slab.count[d] })),
        );
        if (!cut) throw new Error('slab out of range');
        const ctor = (stored.values as unknown as { constructor: { from(v: unknown[]): ArrayValues } }).constructor;
        return Array.isArray(stored.values) ? (cut.values as string[]) : ctor.from(cut.values);
      };
    },
  };
  return plugin;
}

export function registryWith(...plugins: DataSourcePlugin[]): PluginRegistry {
  const registry = new PluginRegistry();
  for (const p of plugins) registry.register(p.name, async () => p);
  return registry;
}

/** A pool for contexts whose plugins never open byte sources. */
export const noBytes = {
  open(uri: string): ByteSource {
    throw new Error(`test plugin tried to open ${uri}`);
  },
};
