import { lookup3 } from '../io/checksum.js';
import { Cursor, UNDEFINED_ADDRESS, type FileShape } from '../io/cursor.js';
import type { FileIO } from '../io/file-io.js';
import { hex, type Superblock } from './superblock.js';

/** What every structure parser needs: the file's I/O and shape, and addresses made absolute. */
export class Hdf5Context implements FileShape {
  readonly uri: string;
  readonly offsetSize: number;
  readonly lengthSize: number;

  constructor(
    readonly io: FileIO,
    readonly superblock: Superblock,
  ) {
    this.uri = io.uri;
    this.offsetSize = superblock.offsetSize;
    this.lengthSize = superblock.lengthSize;
  }

  /** The absolute file offset of a (relative) address. */
  abs(address: number): number {
    return this.superblock.baseAddress + address;
  }

  /** A cursor over `length` bytes of metadata at `address` (relative), read through the page cache. */
  async cursor(address: number, length: number, what: string, ahead = 0, signal?: AbortSignal): Promise<Cursor> {
    if (address === UNDEFINED_ADDRESS) throw new Cursor(new Uint8Array(0), 0, this, what).corrupt('the address is undefined', undefined);
    const at = this.abs(address);
    const bytes = await this.io.meta(at, length, what, ahead, signal);
    return new Cursor(bytes, at, this, what);
  }
}

/** Check the lookup3 checksum stored at `end` over `c.bytes[start, end)`; leaves the cursor after it. */
export function verifyChecksum(c: Cursor, start: number, end = c.pos): void {
  c.seek(end);
  const at = c.offset;
  const stored = c.u32();
  const computed = lookup3(c.bytes.subarray(start, end));
  if (stored !== computed) throw c.corrupt(`checksum ${hex(stored)} does not match its bytes (${hex(computed)})`, at);
}
