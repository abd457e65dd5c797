import { Cursor, UNDEFINED_ADDRESS } from '../io/cursor.js';
import { verifyChecksum, type Hdf5Context } from './context.js';

/** One header message, its bytes still encoded. */
export interface HeaderMessage {
  type: number;
  flags: number;
  /** A cursor over the message's bytes (fresh for every call to `cursor()`). */
  cursor(what: string): Cursor;
  /** Creation order, when the header tracks it (v2). */
  creationOrder?: number;
}

export const MSG = {
  NIL: 0x00,
  DATASPACE: 0x01,
  LINK_INFO: 0x02,
  DATATYPE: 0x03,
  FILL_VALUE_OLD: 0x04,
  FILL_VALUE: 0x05,
  LINK: 0x06,
  EXTERNAL_FILES: 0x07,
  LAYOUT: 0x08,
  GROUP_INFO: 0x0a,
  FILTER_PIPELINE: 0x0b,
  ATTRIBUTE: 0x0c,
  CONTINUATION: 0x10,
  SYMBOL_TABLE: 0x11,
  ATTRIBUTE_INFO: 0x15,
} as const;

/** A header with more continuation blocks than this is refused as corrupt (libhdf5 writes a handful). */
const MAX_BLOCKS = 4096;

/** Read every message of the object header at `address` (v1 or v2), following continuation blocks. */
export async function readObjectHeader(ctx: Hdf5Context, address: number, signal?: AbortSignal): Promise<HeaderMessage[]> {
  const head = await ctx.cursor(address, 16, 'object header', ctx.io.options.headerReadAhead, signal).catch(async (error: unknown) => {
    // A header in the last 16 bytes of the file: read what there is.
    if ((error as { code?: string }).code !== 'HDF5_CORRUPT' || ctx.io.eof - ctx.abs(address) >= 16) throw error;
    return ctx.cursor(address, ctx.io.eof - ctx.abs(address), 'object header', 0, signal);
  });
  const messages: HeaderMessage[] = [];
  const pending: { address: number; length: number }[] = [];
  const seen = new Set<number>();
  const first = head.bytes[0];
  let v2 = false;
  if (first === 1) {
    head.u8();
    head.u8();
    head.u16(); // message count
    head.u32(); // reference count
    const size = head.u32();
    const body = await ctx.cursor(address + 16, size, 'object header', 0, signal);
    parseV1Messages(body, messages, pending);
  } else {
    head.signature('OHDR');
    head.version([2], 'object header');
    v2 = true;
    const flags = head.u8();
    const prefix = 6 + (flags & 0x20 ? 16 : 0) + (flags & 0x10 ? 4 : 0) + (1 << (flags & 3));
    const pre = await ctx.cursor(address, prefix, 'object header', 0, signal);
    pre.skip(prefix - (1 << (flags & 3)));
    const size = pre.uint(1 << (flags & 3), 'an object header size');
    const all = await ctx.cursor(address, prefix + size + 4, 'object header', 0, signal);
    all.seek(prefix);
    parseV2Messages(all, prefix + size, flags, messages, pending);
    verifyChecksum(all, 0, prefix + size);
  }
  while (pending.length > 0) {
    const block = pending.shift()!;
    if (seen.has(block.address) || seen.size >= MAX_BLOCKS) {
      throw head.corrupt(`continuation block at ${block.address} ${seen.has(block.address) ? 'is reached twice (a cycle)' : `is one of more than ${MAX_BLOCKS}`}`);
    }
    seen.add(block.address);
    const c = await ctx.cursor(block.address, block.length, 'object header continuation', 0, signal);
    if (v2) {
      c.signature('OCHK');
      parseV2Messages(c, block.length - 4, head.bytes[5], messages, pending);
      verifyChecksum(c, 0, block.length - 4);
    } else {
      parseV1Messages(c, messages, pending);
    }
  }
  return messages;
}

function messageOf(c: Cursor, type: number, flags: number, start: number, size: number, creationOrder?: number): HeaderMessage {
  const { bytes, base, file } = c;
  const m: HeaderMessage = {
    type,
    flags,
    cursor: (what) => new Cursor(bytes.subarray(start, start + size), base + start, file, what),
  };
  if (creationOrder !== undefined) m.creationOrder = creationOrder;
  return m;
}

function parseV1Messages(c: Cursor, out: HeaderMessage[], pending: { address: number; length: number }[]): void {
  while (c.remaining >= 8) {
    const type = c.u16();
    const size = c.u16();
    const flags = c.u8();
    c.skip(3);
    const start = c.pos;
    c.need(size);
    handle(c, messageOf(c, type, flags, start, size), out, pending);
    c.seek(start + size);
  }
}

function parseV2Messages(c: Cursor, end: number, headerFlags: number, out: HeaderMessage[], pending: { address: number; length: number }[]): void {
  const headerSize = headerFlags & 0x04 ? 6 : 4;
  while (end - c.pos >= headerSize) {
    const type = c.u8();
    const size = c.u16();
    const flags = c.u8();
    const order = headerFlags & 0x04 ? c.u16() : undefined;
    const start = c.pos;
    if (start + size > end) throw c.corrupt(`message of type ${type} runs ${start + size - end} bytes past its block`);
    handle(c, messageOf(c, type, flags, start, size, order), out, pending);
    c.seek(start + size);
  }
}

function handle(c: Cursor, m: HeaderMessage, out: HeaderMessage[], pending: { address: number; length: number }[]): void {
  if (m.type === MSG.CONTINUATION) {
    const mc = m.cursor('continuation message');
    const address = mc.address();
    const length = mc.length();
    if (address === UNDEFINED_ADDRESS || length < 4) throw c.corrupt(`continuation to ${address} of ${length} bytes`);
    pending.push({ address, length });
  } else if (m.type !== MSG.NIL) {
    out.push(m);
  }
}
