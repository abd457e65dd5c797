/** Packed data that does not decode; the caller adds the file and field (`PpError` `PP_BAD_PACKING`). */
export class UnpackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnpackError';
  }
}
