import type { Hdf5Context } from '../format/context.js';
import { Cursor } from '../io/cursor.js';

/** One node of a version-1 B-tree: `keys.length === children.length + 1`, each key's bytes still encoded. */
export interface V1Node {
  address: number;
  level: number;
  /** Cursors positioned at each key. */
  keys: Cursor[];
  children: number[];
}

/** Deeper than this is a corrupt tree (a 2-way tree of 2^53 entries is 53 deep). */
export const MAX_DEPTH = 64;

/** Read a v1 B-tree node of `type` (0 group, 1 chunk) whose keys take `keySize` bytes. */
export async function readV1Node(ctx: Hdf5Context, address: number, type: 0 | 1, keySize: number, signal?: AbortSignal): Promise<V1Node> {
  const prefix = 8 + 2 * ctx.offsetSize;
  const head = await ctx.cursor(address, prefix, 'v1 B-tree node', 0, signal);
  head.signature('TREE');
  const nodeType = head.u8();
  if (nodeType !== type) throw head.corrupt(`node type ${nodeType} where ${type} was expected`);
  const level = head.u8();
  const entries = head.u16();
  // Entries are bounded by 2K, K a 16-bit number.
  const size = prefix + entries * (keySize + ctx.offsetSize) + keySize;
  const c = await ctx.cursor(address, size, 'v1 B-tree node', 0, signal);
  c.skip(prefix);
  const keys: Cursor[] = [];
  const children: number[] = [];
  for (let i = 0; i < entries; i++) {
    keys.push(sub(c, keySize));
    children.push(c.address());
  }
  keys.push(sub(c, keySize));
  return { address, level, keys, children };
}

function sub(c: Cursor, size: number): Cursor {
  const start = c.pos;
  c.skip(size);
  return new Cursor(c.bytes, c.base, c.file, c.what).seek(start);
}
