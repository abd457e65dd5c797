import { Hdf5CorruptError } from '../errors.js';
import type { Hdf5Context } from '../format/context.js';
import { parseLink, parseLinkInfo, parseSymbolTable, type Link } from '../format/messages/link.js';
import { MSG, type HeaderMessage } from '../format/object-header.js';
import { Cursor, readUint, UNDEFINED_ADDRESS } from '../io/cursor.js';
import { MAX_DEPTH, readV1Node } from '../structures/btree-v1.js';
import { readV2Header, walkV2 } from '../structures/btree-v2.js';
import { FractalHeap } from '../structures/fractal-heap.js';
import { heapString, readLocalHeap } from '../structures/local-heap.js';

/**
 * The links of a group, in the order netCDF-C lists them: creation order where the file tracks it, else by name.
 * Old-style groups keep them in a symbol table (v1 B-tree + local heap), new-style ones in link messages
 * (compact) or a fractal heap indexed by a v2 B-tree (dense).
 */
export async function readLinks(ctx: Hdf5Context, messages: HeaderMessage[], rootSymbolTable?: { btree: number; heap: number }, signal?: AbortSignal): Promise<Link[]> {
  const links: Link[] = [];
  const table = messages.find((m) => m.type === MSG.SYMBOL_TABLE);
  const symbols = table ? parseSymbolTable(table.cursor('symbol table message')) : rootSymbolTable;
  if (symbols) links.push(...(await symbolTableLinks(ctx, symbols.btree, symbols.heap, signal)));
  for (const m of messages) if (m.type === MSG.LINK) links.push(parseLink(m.cursor('link message')));
  const info = messages.find((m) => m.type === MSG.LINK_INFO);
  if (info) {
    const where = parseLinkInfo(info.cursor('link info message'));
    if (where.heap !== UNDEFINED_ADDRESS && where.nameIndex !== UNDEFINED_ADDRESS) {
      const fractal = await FractalHeap.open(ctx, where.heap, signal);
      const tree = await readV2Header(ctx, where.nameIndex, signal);
      if (tree.type !== 5) throw (await ctx.cursor(where.nameIndex, 4, 'link name index')).corrupt(`record type ${tree.type} (5 expected)`);
      const ids: Uint8Array[] = [];
      await walkV2(ctx, tree, { visit: (r) => ids.push(r.skip(4).take(tree.recordSize - 4)) }, signal);
      for (const id of ids) {
        const bytes = await fractal.get(id, signal);
        links.push(parseLink(new Cursor(bytes, ctx.abs(where.heap), ctx, 'dense link')));
      }
    }
  }
  if (links.length > 0 && links.every((l) => l.creationOrder !== undefined)) links.sort((a, b) => a.creationOrder! - b.creationOrder!);
  else links.sort((a, b) => compareNames(a.name, b.name));
  return links;
}

function compareNames(a: string, b: string): number {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return Buffer.compare(x, y);
}

async function symbolTableLinks(ctx: Hdf5Context, btree: number, heapAddress: number, signal?: AbortSignal): Promise<Link[]> {
  const heap = await readLocalHeap(ctx, heapAddress, signal);
  const links: Link[] = [];
  const seen = new Set<number>();
  const visit = async (address: number, level: number | undefined, depth: number): Promise<void> => {
    if (seen.has(address) || depth > MAX_DEPTH) throw new Hdf5CorruptError('HDF5_CORRUPT', ctx.uri, ctx.abs(address), 'group B-tree: a node is reached twice (a cycle)');
    seen.add(address);
    const node = await readV1Node(ctx, address, 0, ctx.lengthSize, signal);
    if (level !== undefined && node.level !== level) throw node.keys[0].corrupt(`group B-tree node at level ${node.level} where ${level} was expected`);
    for (const child of node.children) {
      if (node.level > 0) await visit(child, node.level - 1, depth + 1);
      else links.push(...(await symbolNode(ctx, child, heap, signal)));
    }
  };
  if (btree !== UNDEFINED_ADDRESS) await visit(btree, undefined, 0);
  return links;
}

async function symbolNode(ctx: Hdf5Context, address: number, heap: Cursor, signal?: AbortSignal): Promise<Link[]> {
  const head = await ctx.cursor(address, 8, 'symbol table node', 0, signal);
  head.signature('SNOD');
  head.version([1], 'symbol table node');
  head.u8();
  const n = head.u16();
  const entrySize = 2 * ctx.offsetSize + 24;
  const c = await ctx.cursor(address, 8 + n * entrySize, 'symbol table node', 0, signal);
  c.skip(8);
  const out: Link[] = [];
  for (let i = 0; i < n; i++) {
    const nameOffset = c.uint(ctx.offsetSize, 'a name offset');
    const header = c.address();
    const cacheType = c.u32();
    c.u32();
    const scratch = c.take(16);
    const name = heapString(heap, nameOffset);
    // Cache type 2: a soft link, its target in the local heap at the scratch pad's first word.
    if (cacheType === 2) out.push({ name, kind: 'soft', target: heapString(heap, readUint(scratch, 0, 4)) });
    else out.push({ name, kind: 'hard', address: header });
  }
  return out;
}
