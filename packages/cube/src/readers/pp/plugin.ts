import type { SourceArray } from '@cubemark/format';
import type { RangeOptions } from '../../bytes/types.js';
import { DatasetFormatError } from '../../errors.js';
import type { Dataset } from '../dataset.js';
import type { ChunkLayout, DataSourcePlugin, OpenCubesOptions, PluginContext, SlabReader, SourceCubes } from '../types.js';
import { ppChunkLayout } from './chunk-refs.js';
import { cubesFromFields } from './cubes.js';
import { indexFieldsfile } from './fieldsfile.js';
import { indexPpFile } from './pp-file.js';
import { ppSlabReader } from './read.js';
import { isFieldsfile, sniffUm } from './sniff.js';

/** The first bytes a caller gives `sniff` and `openCubes` reads to tell a PP file from a fieldsfile. */
const HEAD = 1024;

/**
 * UM PP files and fieldsfiles, loaded as Iris loads them: headers indexed (no data read), each field turned into
 * a cube by Iris's PP load rules, fields merged into cubes. A cube's data are one `format: pp` reference listing
 * its fields, each read and unpacked (WGDOS, RLE) on demand.
 */
export const ppPlugin: DataSourcePlugin = {
  name: 'pp',
  sniff: (head) => sniffUm(head) !== undefined,

  async openCubes(uri: string, ctx: PluginContext, options: OpenCubesOptions): Promise<SourceCubes> {
    const source = ctx.openSource(uri);
    const stat = await source.stat({ signal: options.signal });
    if (!stat) throw new DatasetFormatError('NOT_FOUND', uri, 'the file does not exist');
    const head = await source.getRange(0, Math.min(HEAD, stat.size), { signal: options.signal });
    const index = isFieldsfile(head)
      ? await indexFieldsfile(source, { signal: options.signal, size: stat.size })
      : await indexPpFile(source, { signal: options.signal, size: stat.size });
    return cubesFromFields(index.fields, index.problems, uri, options.source);
  },

  openDataset(uri: string): Promise<Dataset> {
    return Promise.reject(
      new DatasetFormatError('PP_NOT_A_DATASET', uri, 'a PP file or fieldsfile is loaded as cubes (openCubes), not as a NetCDF-style dataset'),
    );
  },

  async openArray(ref: SourceArray, uri: string, ctx: PluginContext, options?: RangeOptions): Promise<SlabReader> {
    return ppSlabReader(ctx.openSource(uri), ref, options);
  },

  async chunkRefs(ref: SourceArray, uri: string): Promise<ChunkLayout> {
    return ppChunkLayout(ref, uri);
  },
};
