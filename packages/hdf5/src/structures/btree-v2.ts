import { verifyChecksum, type Hdf5Context } from '../format/context.js';
import { Cursor, UNDEFINED_ADDRESS } from '../io/cursor.js';
import { MAX_DEPTH } from './btree-v1.js';

export interface V2Header {
  address: number;
  type: number;
  nodeSize: number;
  recordSize: number;
  depth: number;
  root: number;
  rootRecords: number;
  /** Per depth: bytes of a child's record count, and of its subtree's total (depth > 1). */
  counts: { maxRecords: number; recordsBytes: number; totalBytes: number }[];
}

/** Bytes needed to encode `n` (libhdf5's `H5VM_limit_enc_size`). */
export function limitEncodedSize(n: number): number {
  return Math.floor(Math.floor(Math.log2(Math.max(1, n))) / 8) + 1;
}

export async function readV2Header(ctx: Hdf5Context, address: number, signal?: AbortSignal): Promise<V2Header> {
  const size = 4 + 1 + 1 + 4 + 2 + 2 + 1 + 1 + ctx.offsetSize + 2 + ctx.lengthSize + 4;
  const c = await ctx.cursor(address, size, 'v2 B-tree header', 0, signal);
  c.signature('BTHD');
  c.version([0], 'v2 B-tree header');
  const type = c.u8();
  const nodeSize = c.u32();
  const recordSize = c.u16();
  const depth = c.u16();
  c.u8();
  c.u8();
  const root = c.address();
  const rootRecords = c.u16();
  c.length();
  verifyChecksum(c, 0);
  if (recordSize === 0 || nodeSize <= 10 + recordSize || nodeSize > 1 << 24) throw c.corrupt(`node size ${nodeSize} with records of ${recordSize} bytes`);
  if (depth > MAX_DEPTH) throw c.corrupt(`depth ${depth}`);
  // Node geometry, as libhdf5 derives it from the node and record sizes.
  const counts: V2Header['counts'] = [];
  const leafMax = Math.floor((nodeSize - 10) / recordSize);
  const recordsBytes = limitEncodedSize(leafMax);
  counts.push({ maxRecords: leafMax, recordsBytes, totalBytes: 0 });
  let cumulative = leafMax;
  for (let d = 1; d <= depth; d++) {
    const pointer = ctx.offsetSize + recordsBytes + (d > 1 ? counts[d - 1].totalBytes : 0);
    const maxRecords = Math.floor((nodeSize - (10 + pointer)) / (recordSize + pointer));
    cumulative = (maxRecords + 1) * cumulative + maxRecords;
    counts.push({ maxRecords, recordsBytes, totalBytes: limitEncodedSize(cumulative) });
  }
  return { address, type, nodeSize, recordSize, depth, root, rootRecords, counts };
}

export interface V2Walk {
  /** Called for every record visited, in key order. */
  visit(record: Cursor): void;
  /**
   * Whether to descend into the child between records `low` and `high` (either `undefined` at the edges); all
   * children when absent.
   */
  descend?(low: Cursor | undefined, high: Cursor | undefined): boolean;
}

/** Walk a v2 B-tree in key order, reading only the nodes `walk.descend` asks for. */
export async function walkV2(ctx: Hdf5Context, header: V2Header, walk: V2Walk, signal?: AbortSignal): Promise<void> {
  if (header.root === UNDEFINED_ADDRESS || header.rootRecords === 0) return;
  let nodes = 0;
  const visitNode = async (address: number, records: number, depth: number): Promise<void> => {
    if (++nodes > 1_000_000) throw new Cursor(new Uint8Array(0), ctx.abs(address), ctx, 'v2 B-tree').corrupt('more than a million nodes');
    const leaf = depth === 0;
    const c = await ctx.cursor(address, header.nodeSize, leaf ? 'v2 B-tree leaf' : 'v2 B-tree internal node', 0, signal);
    c.signature(leaf ? 'BTLF' : 'BTIN');
    c.version([0], 'v2 B-tree node');
    const type = c.u8();
    if (type !== header.type) throw c.corrupt(`node of type ${type} in a tree of type ${header.type}`);
    const max = header.counts[depth].maxRecords;
    if (records > max) throw c.corrupt(`${records} records where at most ${max} fit`);
    const recs: Cursor[] = [];
    for (let i = 0; i < records; i++) {
      recs.push(new Cursor(c.bytes, c.base, c.file, c.what).seek(c.pos));
      c.skip(header.recordSize);
    }
    const children: { address: number; records: number }[] = [];
    if (!leaf) {
      const geometry = header.counts[depth];
      for (let i = 0; i <= records; i++) {
        const child = c.address();
        const n = c.uint(geometry.recordsBytes, 'a record count');
        if (depth > 1) c.uint(header.counts[depth - 1].totalBytes, 'a record total');
        if (child === UNDEFINED_ADDRESS) throw c.corrupt('a child pointer is undefined');
        children.push({ address: child, records: n });
      }
    }
    verifyChecksum(c, 0);
    for (let i = 0; i <= records; i++) {
      if (!leaf && (walk.descend?.(recs[i - 1], recs[i]) ?? true)) await visitNode(children[i].address, children[i].records, depth - 1);
      // A fresh cursor: the visitor reads it, and the next child's `descend` still needs it whole.
      if (i < records) walk.visit(new Cursor(c.bytes, c.base, c.file, c.what).seek(recs[i].pos));
    }
  };
  await visitNode(header.root, header.rootRecords, header.depth);
}
