/**
 * The root of every error cubemark raises. `code` is stable (scripts match on it; the spec lists them);
 * `message` says what to do about it.
 */
export class CubemarkError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
