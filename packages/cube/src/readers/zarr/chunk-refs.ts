import type { JsonValue } from '@cubemark/format';
import pLimit from 'p-limit';
import type { ChunkLayout, ChunkRef, PluginContext } from '../types.js';
import { ZarrFormatError } from './errors.js';
import type { JsonObject, ZarrFormat } from './hierarchy.js';
import type { SourceStore } from './store.js';

type Codec = { [key: string]: JsonValue };

const V3_NUMPY: Record<string, [string, number]> = {
  bool: ['b1', 1],
  int8: ['i1', 1],
  uint8: ['u1', 1],
  int16: ['i2', 2],
  uint16: ['u2', 2],
  int32: ['i4', 4],
  uint32: ['u4', 4],
  int64: ['i8', 8],
  uint64: ['u8', 8],
  float32: ['f4', 4],
  float64: ['f8', 8],
};

const BLOSC_SHUFFLE: Record<string, number> = { noshuffle: 0, shuffle: 1, bitshuffle: 2 };

function asObject(v: JsonValue | undefined): JsonObject | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
}

function counts(v: JsonValue | undefined): number[] | undefined {
  return Array.isArray(v) && v.every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) ? (v as number[]) : undefined;
}

/** Every chunk key of a regular grid, row-major, with indexes joined by `sep`. */
function gridKeys(shape: readonly number[], chunks: readonly number[], sep: string): string[] {
  const n = shape.map((s, i) => Math.ceil(s / chunks[i]));
  if (n.some((c) => c === 0)) return [];
  if (n.length === 0) return ['0'];
  const keys: string[] = [];
  const index = new Array<number>(n.length).fill(0);
  for (;;) {
    keys.push(index.join(sep));
    let d = n.length - 1;
    while (d >= 0 && ++index[d] === n[d]) index[d--] = 0;
    if (d < 0) return keys;
  }
}

/**
 * A Zarr array's chunks as references to its chunk objects (whole objects): v2 metadata passes through; v3
 * metadata is translated to v2 terms (data type and endianness from the `bytes` codec, `gzip`/`blosc`/`zstd`
 * as numcodecs codecs). Sharded arrays and codecs without a numcodecs equivalent cannot be referenced.
 */
export function zarrChunkLayout(store: SourceStore, path: string, zarrFormat: ZarrFormat, meta: JsonObject, name: string): ChunkLayout {
  const fail = (what: string): never => {
    throw new ZarrFormatError('ZARR_UNSUPPORTED', store.rootUri, `${what}: a reference file (Zarr v2 metadata) cannot express it`, { array: name });
  };
  const shape = counts(meta.shape) ?? fail('no valid shape');
  const prefix = path === '' ? '' : `${path}/`;
  if (zarrFormat === 2) {
    const chunks = counts(meta.chunks) ?? fail('no valid chunks');
    const sep = meta.dimension_separator === '/' ? '/' : '.';
    const refs: ChunkRef[] = gridKeys(shape, chunks, sep).map((key) => ({ key, uri: store.uriOf(`${prefix}${key}`) }));
    return {
      dtype: typeof meta.dtype === 'string' ? meta.dtype : fail(`data type ${JSON.stringify(meta.dtype)}`),
      shape,
      chunks,
      order: meta.order === 'F' ? 'F' : 'C',
      compressor: asObject(meta.compressor) ?? null,
      filters: Array.isArray(meta.filters) ? meta.filters.map((f) => asObject(f) ?? fail('a filter that is not an object')) : null,
      fill_value: typeof meta.fill_value === 'number' || typeof meta.fill_value === 'string' ? meta.fill_value : null,
      dimension_separator: sep,
      refs,
    };
  }

  const grid = asObject(meta.chunk_grid);
  const chunks = grid?.name === 'regular' ? counts(asObject(grid.configuration)?.chunk_shape) : undefined;
  if (!chunks) fail(`chunk grid ${JSON.stringify(grid?.name ?? null)}`);
  // Text: the v3 `vlen-utf8` codec writes what numcodecs' VLenUTF8 filter reads (a v2 object array).
  const text = meta.data_type === 'string';
  const typeInfo = text ? (['O', 1] as [string, number]) : typeof meta.data_type === 'string' ? V3_NUMPY[meta.data_type] : undefined;
  if (!typeInfo) fail(`data type ${JSON.stringify(meta.data_type)}`);
  const [code, size] = typeInfo!;
  let vlen = false;
  let endian = '<';
  let order: 'C' | 'F' = 'C';
  const bytesCodecs: Codec[] = [];
  for (const c of Array.isArray(meta.codecs) ? meta.codecs : []) {
    const codec = asObject(c);
    const config = asObject(codec?.configuration) ?? {};
    switch (codec?.name) {
      case 'bytes':
        endian = config.endian === 'big' ? '>' : '<';
        break;
      case 'vlen-utf8':
        if (!text) fail('codec "vlen-utf8" on a non-text array');
        vlen = true;
        break;
      case 'transpose': {
        const o = Array.isArray(config.order) ? config.order : [];
        const reversed = o.every((v, i) => v === o.length - 1 - i);
        if (!reversed) fail(`transpose order ${JSON.stringify(config.order)}`);
        if (o.length > 1) order = 'F';
        break;
      }
      case 'gzip':
        bytesCodecs.push({ id: 'gzip', level: typeof config.level === 'number' ? config.level : 1 });
        break;
      case 'zstd':
        bytesCodecs.push({ id: 'zstd', level: typeof config.level === 'number' ? config.level : 0 });
        break;
      case 'blosc':
        bytesCodecs.push({
          id: 'blosc',
          cname: typeof config.cname === 'string' ? config.cname : 'lz4',
          clevel: typeof config.clevel === 'number' ? config.clevel : 5,
          shuffle: BLOSC_SHUFFLE[String(config.shuffle ?? 'noshuffle')] ?? 0,
          blocksize: typeof config.blocksize === 'number' ? config.blocksize : 0,
        });
        break;
      default:
        fail(`codec ${JSON.stringify(codec?.name ?? null)}`);
    }
  }
  const encoding = asObject(meta.chunk_key_encoding);
  const v2Keys = encoding?.name === 'v2';
  const configured = asObject(encoding?.configuration)?.separator;
  const sep = configured === '.' || configured === '/' ? configured : v2Keys ? '.' : '/';
  // Reference keys are always `.`-separated; the objects they name use the store's own key encoding.
  const refs: ChunkRef[] = gridKeys(shape, chunks!, '.').map((key) => {
    const indexes = shape.length === 0 ? [] : key.split('.');
    const objectKey = v2Keys ? (indexes.length ? indexes.join(sep) : '0') : ['c', ...indexes].join(sep);
    return { key, uri: store.uriOf(`${prefix}${objectKey}`) };
  });
  const fill = meta.fill_value;
  return {
    dtype: `${size === 1 ? '|' : endian}${code}`,
    shape,
    chunks: chunks!,
    order,
    compressor: bytesCodecs.length ? bytesCodecs[bytesCodecs.length - 1] : null,
    filters: vlen || bytesCodecs.length > 1 ? [...(vlen ? [{ id: 'vlen-utf8' }] : []), ...bytesCodecs.slice(0, -1)] : null,
    fill_value: text ? null : typeof fill === 'number' || typeof fill === 'string' ? fill : fill === false ? 0 : fill === true ? 1 : null,
    dimension_separator: '.',
    refs,
  };
}

/**
 * Only the chunks whose objects exist (one `stat` each, 16 at a time): a reference to a missing object is an error
 * to fsspec, where an unlisted chunk reads as the fill value.
 */
export async function existingChunks(layout: ChunkLayout, ctx: PluginContext, signal?: AbortSignal): Promise<ChunkLayout> {
  const limit = pLimit(16);
  const present = await Promise.all(layout.refs.map((r) => limit(async () => (await ctx.openSource(r.uri).stat({ signal })) !== undefined)));
  return { ...layout, refs: layout.refs.filter((_, i) => present[i]) };
}
