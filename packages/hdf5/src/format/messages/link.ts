import { UNDEFINED_ADDRESS, utf8, type Cursor } from '../../io/cursor.js';

export type Link =
  | { name: string; kind: 'hard'; address: number; creationOrder?: number }
  | { name: string; kind: 'soft'; target: string; creationOrder?: number }
  | { name: string; kind: 'external'; file: string; target: string; creationOrder?: number };

/** Parse a link message (type 6), as stored in object headers and in a dense group's fractal heap. */
export function parseLink(c: Cursor): Link {
  c.version([1], 'link message');
  const flags = c.u8();
  const type = flags & 0x08 ? c.u8() : 0;
  const creationOrder = flags & 0x04 ? c.u64('a creation order') : undefined;
  if (flags & 0x10) c.u8(); // character set
  const nameLength = c.uint(1 << (flags & 3), 'a link name length');
  const name = utf8(c.take(nameLength));
  const order = creationOrder === undefined ? {} : { creationOrder };
  switch (type) {
    case 0:
      return { name, kind: 'hard', address: c.address(), ...order };
    case 1: {
      const n = c.u16();
      return { name, kind: 'soft', target: utf8(c.take(n)), ...order };
    }
    case 64: {
      const n = c.u16();
      const data = c.take(n);
      const [file = '', target = ''] = utf8(data.subarray(1)).split('\0');
      return { name, kind: 'external', file, target, ...order };
    }
    default:
      throw c.corrupt(`link type ${type}`);
  }
}

/** Link info message (type 2): where a dense group keeps its links. */
export interface LinkInfo {
  heap: number;
  nameIndex: number;
  orderIndex: number;
}

export function parseLinkInfo(c: Cursor): LinkInfo {
  c.version([0], 'link info message');
  const flags = c.u8();
  if (flags & 1) c.skip(8);
  const heap = c.address();
  const nameIndex = c.address();
  const orderIndex = flags & 2 ? c.address() : UNDEFINED_ADDRESS;
  return { heap, nameIndex, orderIndex };
}

/** Attribute info message (type 0x15): where an object keeps dense attributes. */
export function parseAttributeInfo(c: Cursor): LinkInfo {
  c.version([0], 'attribute info message');
  const flags = c.u8();
  if (flags & 1) c.u16();
  const heap = c.address();
  const nameIndex = c.address();
  const orderIndex = flags & 2 ? c.address() : UNDEFINED_ADDRESS;
  return { heap, nameIndex, orderIndex };
}

/** Symbol table message (type 0x11): an old-style group's B-tree and local heap. */
export function parseSymbolTable(c: Cursor): { btree: number; heap: number } {
  return { btree: c.address(), heap: c.address() };
}
