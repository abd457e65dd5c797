import { Hdf5CorruptError, Hdf5UnsupportedError } from '../errors.js';
import { verifyChecksum, type Hdf5Context } from '../format/context.js';
import { readUint, UNDEFINED_ADDRESS } from '../io/cursor.js';

/**
 * A fractal heap (where dense groups keep link messages and dense attribute storage keeps attribute messages).
 * Objects are found from their heap IDs: managed objects through the doubling table of direct and indirect
 * blocks, tiny objects inside the ID itself. Huge objects and filtered heaps are not supported.
 */
export class FractalHeap {
  private constructor(
    private readonly ctx: Hdf5Context,
    readonly address: number,
    private readonly h: {
      idLength: number;
      checksummedBlocks: boolean;
      width: number;
      startBlock: number;
      maxDirectBlock: number;
      maxHeapBits: number;
      root: number;
      rootRows: number;
    },
  ) {}

  static async open(ctx: Hdf5Context, address: number, signal?: AbortSignal): Promise<FractalHeap> {
    const O = ctx.offsetSize;
    const L = ctx.lengthSize;
    const size = 4 + 1 + 2 + 2 + 1 + 4 + L + O + L + O + 8 * L + 2 + L + L + 2 + 2 + O + 2;
    const c = await ctx.cursor(address, size + 4, 'fractal heap header', 0, signal);
    c.signature('FRHP');
    c.version([0], 'fractal heap header');
    const idLength = c.u16();
    const filterLength = c.u16();
    const flags = c.u8();
    c.u32(); // max managed object size
    c.length();
    c.address();
    c.length();
    c.address();
    c.skip(6 * L);
    c.length(); // size of tiny objects
    c.length();
    const width = c.u16();
    const startBlock = c.length();
    const maxDirectBlock = c.length();
    const maxHeapBits = c.u16();
    c.u16(); // starting rows of the root indirect block
    const root = c.address();
    const rootRows = c.u16();
    if (filterLength > 0) {
      throw new Hdf5UnsupportedError('HDF5_UNSUPPORTED', ctx.uri, ctx.abs(address), 'fractal heaps with I/O filters are not supported');
    }
    verifyChecksum(c, 0);
    const pow2 = (n: number) => n > 0 && Number.isSafeInteger(n) && (n & (n - 1)) === 0;
    if (width === 0 || width > 65536 || !pow2(width) || !pow2(startBlock) || !pow2(maxDirectBlock) || maxDirectBlock < startBlock || maxHeapBits === 0 || maxHeapBits > 64) {
      throw c.corrupt(`doubling table of width ${width}, blocks ${startBlock}-${maxDirectBlock}, ${maxHeapBits}-bit offsets`);
    }
    return new FractalHeap(ctx, address, {
      idLength,
      checksummedBlocks: (flags & 2) !== 0,
      width,
      startBlock,
      maxDirectBlock,
      maxHeapBits,
      root,
      rootRows,
    });
  }

  private get offsetBytes(): number {
    return Math.ceil(this.h.maxHeapBits / 8);
  }

  private rowSize(row: number): number {
    return row === 0 ? this.h.startBlock : this.h.startBlock * 2 ** (row - 1);
  }

  private get maxDirectRows(): number {
    return Math.log2(this.h.maxDirectBlock) - Math.log2(this.h.startBlock) + 2;
  }

  /** The bytes of the object a heap ID names. */
  async get(id: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    const kind = (id[0] >> 4) & 3;
    if (kind === 2) {
      const length = (id[0] & 0x0f) + 1;
      return id.subarray(1, 1 + length);
    }
    if (kind !== 0) throw new Hdf5UnsupportedError('HDF5_UNSUPPORTED', this.ctx.uri, this.ctx.abs(this.address), 'huge objects in fractal heaps are not supported');
    const ob = this.offsetBytes;
    const lengthBytes = Math.min(Math.ceil(Math.log2(this.h.maxDirectBlock) / 8), this.h.idLength - 1 - ob);
    const offset = readUint(id, 1, ob);
    const length = readUint(id, 1 + ob, lengthBytes);
    return this.managed(offset, length, signal);
  }

  private async managed(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    const { root, rootRows, width } = this.h;
    const bad = (reason: string) => new Hdf5CorruptError('HDF5_CORRUPT', this.ctx.uri, this.ctx.abs(this.address), `fractal heap: ${reason}`);
    if (root === UNDEFINED_ADDRESS) throw bad(`object at heap offset ${offset} in an empty heap`);
    if (rootRows === 0) return this.fromDirect(root, 0, this.h.startBlock, offset, length, signal);
    let block = root;
    let blockOffset = 0;
    let rows = rootRows;
    for (let depth = 0; depth < 64; depth++) {
      // Find the row and column holding `offset` in this indirect block.
      let start = blockOffset;
      let row = 0;
      for (; row < rows; row++) {
        const span = this.rowSize(row) * width;
        if (offset < start + span) break;
        start += span;
      }
      if (row >= rows) throw bad(`heap offset ${offset} is beyond its indirect block`);
      const size = this.rowSize(row);
      const column = Math.floor((offset - start) / size);
      const childOffset = start + column * size;
      const entry = row * width + column;
      const child = await this.indirectEntry(block, entry, signal);
      if (child === UNDEFINED_ADDRESS) throw bad(`heap offset ${offset} lies in a block never allocated`);
      if (row < this.maxDirectRows) return this.fromDirect(child, childOffset, size, offset, length, signal);
      block = child;
      blockOffset = childOffset;
      rows = Math.log2(size) - Math.log2(this.h.startBlock * width) + 1;
    }
    throw bad('indirect blocks nest more than 64 deep');
  }

  private async indirectEntry(address: number, entry: number, signal?: AbortSignal): Promise<number> {
    const O = this.ctx.offsetSize;
    const prefix = 4 + 1 + O + this.offsetBytes;
    const c = await this.ctx.cursor(address, prefix + (entry + 1) * O, 'fractal heap indirect block', 0, signal);
    c.signature('FHIB');
    c.version([0], 'fractal heap indirect block');
    const owner = c.address();
    if (owner !== this.address) throw c.corrupt(`belongs to the heap at ${owner}, not ${this.address}`);
    c.skip(this.offsetBytes + entry * O);
    return c.address();
  }

  private async fromDirect(address: number, blockOffset: number, size: number, offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    const c = await this.ctx.cursor(address, size, 'fractal heap direct block', 0, signal);
    c.signature('FHDB');
    c.version([0], 'fractal heap direct block');
    const owner = c.address();
    if (owner !== this.address) throw c.corrupt(`belongs to the heap at ${owner}, not ${this.address}`);
    const at = offset - blockOffset;
    if (at < c.pos || at + length > size) throw c.corrupt(`object of ${length} bytes at ${at} does not fit the ${size}-byte block`);
    return c.bytes.subarray(at, at + length);
  }
}
