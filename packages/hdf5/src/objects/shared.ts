import { Hdf5UnsupportedError } from '../errors.js';
import { parseDatatype, type Datatype } from '../format/datatype.js';
import { MSG, readObjectHeader, type HeaderMessage } from '../format/object-header.js';
import type { Hdf5Context } from '../format/context.js';
import type { Cursor } from '../io/cursor.js';

/** Message flag: the message is shared (stored elsewhere, this is a reference to it). */
export const SHARED = 0x02;

/**
 * The datatype a (possibly shared) datatype encoding gives: inline, or a committed datatype's object header.
 * Shared messages in the shared-object-header-message heap are not supported.
 */
export async function datatypeOf(ctx: Hdf5Context, c: Cursor, shared: boolean, depth = 0, signal?: AbortSignal): Promise<Datatype> {
  if (!shared) return parseDatatype(c);
  const at = c.offset;
  const version = c.version([1, 2, 3], 'shared message');
  const type = c.u8();
  if (version === 1) c.skip(6);
  if (version === 3 && type === 1) {
    throw new Hdf5UnsupportedError('HDF5_UNSUPPORTED', ctx.uri, at, `${c.what}: datatypes in the shared object header message heap are not supported`);
  }
  const address = c.address();
  if (depth > 8) throw c.corrupt('committed datatypes refer to each other more than 8 deep');
  const messages = await readObjectHeader(ctx, address, signal);
  const m = messages.find((x) => x.type === MSG.DATATYPE);
  if (!m) throw c.corrupt(`the committed datatype at ${address} has no datatype message`, at);
  return datatypeOf(ctx, m.cursor('committed datatype'), (m.flags & SHARED) !== 0, depth + 1, signal);
}

/** The datatype message of an object header, resolved. */
export async function headerDatatype(ctx: Hdf5Context, messages: HeaderMessage[], signal?: AbortSignal): Promise<Datatype | undefined> {
  const m = messages.find((x) => x.type === MSG.DATATYPE);
  return m ? datatypeOf(ctx, m.cursor('datatype message'), (m.flags & SHARED) !== 0, 0, signal) : undefined;
}
