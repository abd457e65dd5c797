import type { SourceArray } from '@cubemark/format';
import pLimit from 'p-limit';
import type { RangeOptions } from '../../bytes/types.js';
import { DatasetFormatError } from '../../errors.js';
import type { Dataset } from '../dataset.js';
import type { ChunkLayout, DataSourcePlugin, OpenCubesOptions, OpenTogetherOptions, PluginContext, SlabReader, SourceCubes, SourceToOpen } from '../types.js';
import { ppChunkLayout } from './chunk-refs.js';
import { cubesFromFiles, type IndexedFile } from './cubes.js';
import { indexFieldsfile } from './fieldsfile.js';
import { indexPpFile } from './pp-file.js';
import { ppSlabReader } from './read.js';
import { isFieldsfile, sniffUm } from './sniff.js';

/** The first bytes a caller gives `sniff` and `openCubes` reads to tell a PP file from a fieldsfile. */
const HEAD = 1024;

/** Files indexed at once when several are loaded together (a remote index is round trips, not bytes). */
const INDEX_CONCURRENCY = 8;

/** A file's fields: the PP records' or the fieldsfile lookup table's headers, no data. */
async function indexFile(uri: string, source: number, ctx: PluginContext, options: RangeOptions): Promise<IndexedFile> {
  const byteSource = ctx.openSource(uri);
  const stat = await byteSource.stat({ signal: options.signal });
  if (!stat) throw new DatasetFormatError('NOT_FOUND', uri, 'the file does not exist');
  const head = await byteSource.getRange(0, Math.min(HEAD, stat.size), { signal: options.signal });
  const index = isFieldsfile(head)
    ? await indexFieldsfile(byteSource, { signal: options.signal, size: stat.size })
    : await indexPpFile(byteSource, { signal: options.signal, size: stat.size });
  return { uri, source, fields: index.fields, problems: index.problems };
}

/**
 * UM PP files and fieldsfiles, loaded as Iris loads them: headers indexed (no data read), each field turned into
 * a cube by Iris's PP load rules, fields merged into cubes — across all the files of a load
 * (`openCubesTogether`), as `iris.load` merges them. A cube's data are one `format: pp` reference listing its
 * fields (or, across files, a concatenation of one per file), each read and unpacked (WGDOS, RLE) on demand.
 */
export const ppPlugin: DataSourcePlugin = {
  name: 'pp',
  sniff: (head) => sniffUm(head) !== undefined,
  // The slab reader builds its result in the caller's buffer and keeps nothing of it; it leaves unpacked
  // big-endian fields as stored when asked (`ppSlabReader`).
  readsInto: true,
  readsBigEndian: true,

  async openCubes(uri: string, ctx: PluginContext, options: OpenCubesOptions): Promise<SourceCubes> {
    return cubesFromFiles([await indexFile(uri, options.source, ctx, options)]);
  },

  async openCubesTogether(sources: readonly SourceToOpen[], ctx: PluginContext, options: OpenTogetherOptions = {}): Promise<SourceCubes> {
    const limit = pLimit(INDEX_CONCURRENCY);
    const indexed = async (s: SourceToOpen) => {
      const file = await indexFile(s.uri, s.source, ctx, options);
      options.onSourceRead?.(s.source);
      return file;
    };
    try {
      return await cubesFromFiles(await Promise.all(sources.map((s) => limit(() => indexed(s)))));
    } finally {
      limit.clearQueue();
    }
  },

  openDataset(uri: string): Promise<Dataset> {
    return Promise.reject(
      new DatasetFormatError('PP_NOT_A_DATASET', uri, 'a PP file or fieldsfile is loaded as cubes (openCubes), not as a NetCDF-style dataset'),
    );
  },

  async openArray(ref: SourceArray, uri: string, ctx: PluginContext, options?: RangeOptions): Promise<SlabReader> {
    return ppSlabReader(ref, uri, ctx, options);
  },

  async chunkRefs(ref: SourceArray, uri: string, ctx: PluginContext): Promise<ChunkLayout> {
    return ppChunkLayout(ref, uri, ctx);
  },
};
