import { CubemarkError } from './base.js';
import type { ErrorCode } from './codes.js';

/** Where a problem is: 1-based line and column in the file, and a JSON pointer into the frontmatter. */
export interface Position {
  line: number;
  column: number;
}

/**
 * A problem found in a `.cube.md` file. Collected on a parse result (never thrown by `parse`); the `format`
 * method gives the `path:line:col CODE message` form the CLI prints.
 */
export class FormatError extends CubemarkError {
  declare readonly code: ErrorCode;
  readonly file?: string;
  readonly line: number;
  readonly column: number;
  /** JSON pointer (RFC 6901) of the value at fault, `''` for the whole document. */
  readonly pointer: string;
  readonly severity: 'error' | 'warning';
  constructor(
    code: ErrorCode,
    message: string,
    where: { file?: string; line?: number; column?: number; pointer?: string; severity?: 'error' | 'warning'; cause?: unknown },
  ) {
    super(code, message, { cause: where.cause });
    this.file = where.file;
    this.line = where.line ?? 1;
    this.column = where.column ?? 1;
    this.pointer = where.pointer ?? '';
    this.severity = where.severity ?? 'error';
  }

  /** `path:line:col CODE message`, the form editors and CI logs understand. */
  format(): string {
    return `${this.file ?? '<input>'}:${this.line}:${this.column} ${this.code} ${this.message}`;
  }

  toJSON(): { code: ErrorCode; message: string; file?: string; line: number; column: number; pointer: string; severity: string } {
    return {
      code: this.code,
      message: this.message,
      file: this.file,
      line: this.line,
      column: this.column,
      pointer: this.pointer,
      severity: this.severity,
    };
  }
}

/** Thrown by the convenience wrappers (`parseOrThrow`) when a file has errors. */
export class InvalidDocumentError extends CubemarkError {
  readonly errors: readonly FormatError[];
  constructor(errors: readonly FormatError[]) {
    const first = errors[0];
    super(
      first?.code ?? 'SCHEMA',
      `${errors.length} problem${errors.length === 1 ? '' : 's'}; first: ${first ? first.format() : 'unknown'}`,
    );
    this.errors = errors;
  }
}

/** JSON pointer from path segments (RFC 6901 escaping). */
export function pointerOf(path: readonly (string | number)[]): string {
  return path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Path segments from a JSON pointer. */
export function pathOf(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
