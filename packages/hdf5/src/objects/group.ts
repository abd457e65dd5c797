import type { Link } from '../format/messages/link.js';
import type { Hdf5Attribute } from './attributes.js';

/** A group: its links are read at open; objects are opened on `get`. */
export class Hdf5Group {
  readonly kind = 'group';

  constructor(
    readonly name: string,
    readonly path: string,
    /** Absolute address of the object header. */
    readonly address: number,
    /** Links in netCDF-C's order (creation order where tracked, else by name). */
    readonly links: readonly Link[],
    private readonly loadAttributes: () => Promise<Hdf5Attribute[]>,
  ) {}

  attributes(): Promise<Hdf5Attribute[]> {
    return this.loadAttributes();
  }
}

/** A committed (named) datatype: an object holding only a datatype. */
export class Hdf5NamedDatatype {
  readonly kind = 'datatype';
  constructor(
    readonly name: string,
    readonly path: string,
    readonly address: number,
  ) {}
}
