import { Hdf5UnsupportedError } from '../errors.js';
import type { Hdf5Context } from '../format/context.js';
import type { Datatype } from '../format/datatype.js';
import { parseDataspace } from '../format/messages/dataspace.js';
import { parseAttributeInfo } from '../format/messages/link.js';
import { MSG, type HeaderMessage } from '../format/object-header.js';
import { Cursor, UNDEFINED_ADDRESS, utf8 } from '../io/cursor.js';
import { readV2Header, walkV2 } from '../structures/btree-v2.js';
import { FractalHeap } from '../structures/fractal-heap.js';
import type { GlobalHeap } from '../structures/global-heap.js';
import { decodeValues, type Hdf5Values } from '../values/decode.js';
import { datatypeOf } from './shared.js';

/** An attribute of a group or dataset. Its value is decoded on `read()` (variable-length data is in the global heap). */
export interface Hdf5Attribute {
  readonly name: string;
  readonly datatype: Datatype;
  /** `[]` for a scalar, `null` for an empty (null) dataspace. */
  readonly shape: number[] | null;
  /** Creation order, when the file tracks it. */
  readonly creationOrder?: number;
  read(signal?: AbortSignal): Promise<Hdf5Values>;
}

/** Parse one attribute message (versions 1-3). */
export async function parseAttribute(ctx: Hdf5Context, heap: GlobalHeap, c: Cursor, creationOrder?: number, signal?: AbortSignal): Promise<Hdf5Attribute> {
  const version = c.version([1, 2, 3], 'attribute message');
  const flags = c.u8();
  const nameSize = c.u16();
  const typeSize = c.u16();
  const spaceSize = c.u16();
  if (version === 3) c.u8(); // name character set
  const pad = (n: number) => (version === 1 ? Math.ceil(n / 8) * 8 : n);
  const nameBytes = c.take(pad(nameSize));
  const name = utf8(nameBytes.subarray(0, Math.max(0, nameSize - 1))).replace(/\0.*$/s, '');
  const typeBytes = c.take(pad(typeSize));
  const spaceBytes = c.take(pad(spaceSize));
  if (flags & 0x02) throw new Hdf5UnsupportedError('HDF5_UNSUPPORTED', ctx.uri, c.offset, `attribute '${name}': shared dataspaces are not supported`);
  const datatype = await datatypeOf(ctx, new Cursor(typeBytes, c.offset, ctx, `attribute '${name}' datatype`), (flags & 0x01) !== 0, 0, signal);
  const space = parseDataspace(new Cursor(spaceBytes, c.offset, ctx, `attribute '${name}' dataspace`));
  const count = space.shape === null ? 0 : space.shape.reduce((a, b) => a * b, 1);
  const data = c.take(c.limit(count * datatype.size, ctx.io.options.maxReadBytes, 'attribute size'));
  let decoded: Promise<Hdf5Values> | undefined;
  const attribute: Hdf5Attribute = {
    name,
    datatype,
    shape: space.shape,
    read: (readSignal) =>
      (decoded ??= decodeValues(data, datatype, count, {
        uri: ctx.uri,
        offsetSize: ctx.offsetSize,
        baseAddress: ctx.superblock.baseAddress,
        heap,
        signal: readSignal,
      }).catch((error: unknown) => {
        decoded = undefined;
        throw error;
      })),
  };
  return creationOrder === undefined ? attribute : { ...attribute, creationOrder };
}

/**
 * Every attribute of an object: compact ones in its header (in creation order where tracked, else as stored),
 * and dense ones from its fractal heap (in creation order where tracked, else by name).
 */
export async function readAttributes(ctx: Hdf5Context, heap: GlobalHeap, messages: HeaderMessage[], signal?: AbortSignal): Promise<Hdf5Attribute[]> {
  const compact = await Promise.all(
    messages.filter((m) => m.type === MSG.ATTRIBUTE).map((m) => parseAttribute(ctx, heap, m.cursor('attribute message'), m.creationOrder, signal)),
  );
  if (compact.every((a) => a.creationOrder !== undefined)) compact.sort((a, b) => a.creationOrder! - b.creationOrder!);
  const info = messages.find((m) => m.type === MSG.ATTRIBUTE_INFO);
  if (!info) return compact;
  const where = parseAttributeInfo(info.cursor('attribute info message'));
  if (where.heap === UNDEFINED_ADDRESS || where.nameIndex === UNDEFINED_ADDRESS) return compact;
  const fractal = await FractalHeap.open(ctx, where.heap, signal);
  const tree = await readV2Header(ctx, where.nameIndex, signal);
  if (tree.type !== 8) throw (await ctx.cursor(where.nameIndex, 4, 'attribute name index')).corrupt(`record type ${tree.type} (8 expected)`);
  const records: { id: Uint8Array; flags: number; order: number }[] = [];
  await walkV2(ctx, tree, { visit: (r) => records.push({ id: r.take(8), flags: r.u8(), order: r.u32() }) }, signal);
  const dense = await Promise.all(
    records.map(async (r) => {
      if (r.flags & 0x02) throw new Hdf5UnsupportedError('HDF5_UNSUPPORTED', ctx.uri, ctx.abs(where.heap), 'attributes in the shared object header message heap are not supported');
      const bytes = await fractal.get(r.id, signal);
      return parseAttribute(ctx, heap, new Cursor(bytes, ctx.abs(where.heap), ctx, 'dense attribute'), r.order, signal);
    }),
  );
  if (where.orderIndex !== UNDEFINED_ADDRESS) dense.sort((a, b) => a.creationOrder! - b.creationOrder!);
  else dense.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...compact, ...dense];
}
