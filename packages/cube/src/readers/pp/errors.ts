import { CubemarkError } from '@cubemark/format';

/**
 * Codes of the PP reader. Every error names the file, and where it concerns one field its number (0-based, in
 * file order) and the header word at fault, so a user can find it with any PP dump tool.
 */
export type PpErrorCode =
  /** A Fortran record is cut short by the end of the file. */
  | 'PP_TRUNCATED'
  /** A record-length word disagrees with the header (LBLREC, LBEXT) or with the record's other length word. */
  | 'PP_RECORD_LENGTH'
  /** A header word holds a value the reader does not support (LBPACK, LBVC, LBREL, LBUSER1, LBROW/LBNPT). */
  | 'PP_UNSUPPORTED'
  /** Packed data that does not decode: a WGDOS row overruns, an RLE run exceeds the field. */
  | 'PP_BAD_PACKING'
  /** A fieldsfile's fixed header or lookup table points outside the file. */
  | 'PP_BAD_LOOKUP'
  /** A data reference's options are not ones this reader wrote. */
  | 'PP_BAD_OPTIONS'
  /** A field's data read from a cube while it is being loaded (open the publication's cubes to read data). */
  | 'PP_NOT_OPEN';

/** Where in a file an error is: the field (0-based) and the header word (a UMDP F3 name) concerned. */
export interface PpErrorPlace {
  field?: number;
  word?: string;
  offset?: number;
}

export class PpError extends CubemarkError {
  readonly uri: string;
  readonly field?: number;
  readonly word?: string;
  readonly offset?: number;
  constructor(code: PpErrorCode, uri: string, place: PpErrorPlace, message: string, options?: { cause?: unknown }) {
    const where = [
      place.field !== undefined ? `field ${place.field}` : undefined,
      place.word !== undefined ? place.word.toUpperCase() : undefined,
      place.offset !== undefined ? `byte ${place.offset}` : undefined,
    ].filter((s) => s !== undefined);
    super(code, `${uri}${where.length > 0 ? ` (${where.join(', ')})` : ''}: ${message}`, options);
    this.uri = uri;
    if (place.field !== undefined) this.field = place.field;
    if (place.word !== undefined) this.word = place.word;
    if (place.offset !== undefined) this.offset = place.offset;
  }
}
