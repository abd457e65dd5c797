import { CubemarkError } from '@cubemark/format';

/**
 * Why an export or import could not be done. Stable: scripts and tests match on these.
 *
 * - `EXPORT_UNKNOWN_TARGET`: the target is not one of kerchunk, stac, cdl, ncml.
 * - `EXPORT_CANNOT_EXPRESS`: the publication holds something the target cannot express (the message names it);
 *   nothing is written rather than a silently lossy file.
 * - `EXPORT_INVALID`: the document made does not validate against the target's schema (a cubemark bug: report it).
 * - `IMPORT_INVALID`: a reference file or STAC Item is malformed; `file`, `line`, `column`, `pointer` say where.
 * - `IMPORT_UNKNOWN_KIND`: a JSON document that is neither a kerchunk reference file nor a STAC Item.
 */
export type InteropErrorCode = 'EXPORT_UNKNOWN_TARGET' | 'EXPORT_CANNOT_EXPRESS' | 'EXPORT_INVALID' | 'IMPORT_INVALID' | 'IMPORT_UNKNOWN_KIND';

export class InteropError extends CubemarkError {
  declare readonly code: InteropErrorCode;
  constructor(code: InteropErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** `target` cannot express `what`: the message says which target and what. */
export function cannotExpress(target: string, what: string): InteropError {
  return new InteropError('EXPORT_CANNOT_EXPRESS', `${target} cannot express ${what}; nothing was exported`);
}

/** A problem at a position in an imported document, formatted as the format's errors are (`file:line:col CODE`). */
export class ImportError extends InteropError {
  readonly file?: string;
  readonly line: number;
  readonly column: number;
  readonly pointer: string;
  constructor(message: string, where: { file?: string; line: number; column: number; pointer: string; code?: InteropErrorCode }) {
    super(where.code ?? 'IMPORT_INVALID', message);
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.pointer = where.pointer;
  }

  /** `path:line:col CODE message`, the form editors and CI logs understand. */
  format(): string {
    return `${this.file ?? '<input>'}:${this.line}:${this.column} ${this.code} ${this.message}`;
  }
}
