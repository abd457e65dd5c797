import { Hdf5CorruptError } from '../errors.js';
import type { Hdf5Context } from '../format/context.js';
import { MAX_DEPTH, readV1Node } from '../structures/btree-v1.js';
import { compareCoords, lowerBound, type ChunkGeometry, type ChunkIndex, type ChunkRecord } from './types.js';

/**
 * The chunk index netCDF-C and libhdf5 before 1.10 write: a version-1 B-tree of type 1, keyed by chunk offset.
 * A lookup descends only into the children whose key range holds a wanted chunk.
 */
export function btreeV1Index(ctx: Hdf5Context, root: number, g: ChunkGeometry): ChunkIndex {
  const rank = g.chunks.length;
  const keySize = 8 + 8 * (rank + 1);
  return {
    async lookup(coords, signal) {
      const found = new Map<number, ChunkRecord>();
      // Wanted chunks as element offsets, the form the keys take.
      const wanted = coords.map((c) => c.map((x, i) => x * g.chunks[i]));
      const seen = new Set<number>();
      const visit = async (address: number, depth: number, expectedLevel: number | undefined): Promise<void> => {
        if (seen.has(address)) throw new Hdf5CorruptError('HDF5_CORRUPT', ctx.uri, ctx.abs(address), 'chunk B-tree: a node is reached twice (a cycle)');
        seen.add(address);
        const node = await readV1Node(ctx, address, 1, keySize, signal);
        const at = node.keys[0];
        if (depth > MAX_DEPTH || (expectedLevel !== undefined && node.level !== expectedLevel)) {
          throw at.corrupt(`chunk B-tree node at level ${node.level} where ${expectedLevel ?? 'a lower level'} was expected`);
        }
        const keys = node.keys.map((k) => {
          const size = k.u32();
          const mask = k.u32();
          const offset: number[] = [];
          for (let i = 0; i < rank; i++) offset.push(k.u64('a chunk offset'));
          return { size, mask, offset };
        });
        const descend: Promise<void>[] = [];
        for (let i = 0; i < node.children.length; i++) {
          const low = keys[i].offset;
          if (node.level === 0) {
            const j = lowerBound(wanted, low);
            if (j < wanted.length && compareCoords(wanted[j], low) === 0) {
              found.set(j, { offset: ctx.abs(node.children[i]), size: keys[i].size, filterMask: keys[i].mask });
            }
            continue;
          }
          const j = lowerBound(wanted, low);
          const high = i + 1 < node.children.length ? keys[i + 1].offset : undefined;
          if (j < wanted.length && (high === undefined || compareCoords(wanted[j], high) < 0)) {
            descend.push(visit(node.children[i], depth + 1, node.level - 1));
          }
        }
        await Promise.all(descend);
      };
      await visit(root, 0, undefined);
      return coords.map((_, i) => found.get(i));
    },
  };
}
