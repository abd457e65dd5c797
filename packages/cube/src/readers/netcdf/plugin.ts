import type { SourceArray } from '@cubemark/format';
import { servesStoredDtype } from '../../lazy/decode.js';
import type { RangeOptions } from '../../bytes/types.js';
import type { ChunkLayout, DataSourcePlugin, PluginContext, SlabReader } from '../types.js';
import { chunkLayout } from './chunk-refs.js';
import { openNetcdf } from './dataset.js';
import { NetcdfFormatError } from './errors.js';
import { layoutFromLocator } from './locator.js';
import { slabReader } from './read.js';
import type { VariableLayout } from './slab.js';

/**
 * Runs of a slab closer than this are read as one range by the plugin's readers. A slab of several records of a
 * record variable is one run per record with the other record variables' values between them (often a few bytes
 * of coordinates): merged here, the slab is one request and its runs are copied out once, where the byte
 * source's own merging would fetch the same bytes and then copy each run apart first. A page: a local read fetches
 * that much anyway, and a remote request costs far more than a few KiB more of it.
 */
export const READER_MAX_GAP = 4096;

/** `CDF` then the version byte: 1 classic, 2 64-bit offset, 5 64-bit data. */
export function isNetcdfClassic(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x43 && head[1] === 0x44 && head[2] === 0x46 && [1, 2, 5].includes(head[3]);
}

/** The recorded array's layout: from its locator, else from the file's header (checked against the record). */
async function layoutOf(ref: SourceArray, uri: string, ctx: PluginContext, options?: RangeOptions): Promise<VariableLayout> {
  if (ref.options !== undefined && Object.keys(ref.options).length > 0) {
    return layoutFromLocator(ref.options, ref.shape, { uri, variable: ref.variable, dtype: ref.stored_dtype ?? ref.dtype });
  }
  const source = ctx.openSource(uri);
  const dataset = await openNetcdf(source, { signal: options?.signal });
  const variable = dataset.variables.get(ref.variable);
  if (!variable) {
    throw new NetcdfFormatError('NETCDF_NO_SUCH_VARIABLE', uri, `has no variable '${ref.variable}' (it has ${[...dataset.variables.keys()].join(', ') || 'none'})`);
  }
  const storedDtype = ref.stored_dtype ?? ref.dtype;
  const { layout } = variable;
  const record = layout.recordStride !== undefined;
  // Records may have been appended since publishing: the recorded extent is read, provided the file still has it.
  const fits =
    servesStoredDtype(variable.dtype, storedDtype) &&
    variable.shape.length === ref.shape.length &&
    variable.shape.every((n, i) => (record && i === 0 ? ref.shape[0] <= n : ref.shape[i] === n));
  if (!fits) {
    throw new NetcdfFormatError(
      'NETCDF_VARIABLE_CHANGED',
      uri,
      `variable '${ref.variable}' is ${variable.dtype} [${variable.shape.join(', ')}] in the file but was recorded as ` +
        `${storedDtype} [${ref.shape.join(', ')}]; the file changed since it was published`,
    );
  }
  const shape = [...ref.shape];
  if (layout.shape.length > shape.length) shape.push(layout.shape[layout.shape.length - 1]);
  return { ...layout, shape };
}

/**
 * The NetCDF classic data-source plugin (CDF-1, CDF-2, CDF-5), reading headers and hyperslabs by byte range from
 * any byte source. Arrays recorded with this plugin's locator (`SourceArray.options`) are reopened without
 * reading the header.
 */
export const netcdfPlugin: DataSourcePlugin = {
  name: 'netcdf',
  // `slabReader` decodes in the buffer it assembled the slab in and caches nothing, and leaves the bytes as stored
  // (big-endian) when asked.
  readsInto: true,
  readsBigEndian: true,

  sniff(head: Uint8Array): boolean {
    return isNetcdfClassic(head);
  },

  openDataset(uri: string, ctx: PluginContext, options?: RangeOptions) {
    return openNetcdf(ctx.openSource(uri), { signal: options?.signal });
  },

  async openArray(ref: SourceArray, uri: string, ctx: PluginContext, options?: RangeOptions): Promise<SlabReader> {
    const layout = await layoutOf(ref, uri, ctx, options);
    return slabReader(ctx.openSource(uri), layout, { variable: ref.variable, maxGap: READER_MAX_GAP });
  },

  async chunkRefs(ref: SourceArray, uri: string, ctx: PluginContext, options?: RangeOptions): Promise<ChunkLayout> {
    return chunkLayout(await layoutOf(ref, uri, ctx, options), uri);
  },
};
