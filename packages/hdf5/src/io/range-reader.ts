/**
 * What the reader reads through: any object that answers byte ranges. cubemark's `ByteSource` (local files, S3,
 * HTTP) satisfies it as it is; so does a wrapper around a `Uint8Array` (`bufferReader`).
 */
export interface RangeReader {
  /** Names the file in errors. */
  readonly uri: string;
  /**
   * `length` bytes from `offset`; fewer only at the end of the object. The bytes may be shared with other callers:
   * this package never writes into them.
   */
  getRange(offset: number, length: number, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
}

/** A `RangeReader` over bytes in memory (tests, small embedded files). */
export function bufferReader(bytes: Uint8Array, uri = 'memory'): RangeReader {
  return {
    uri,
    async getRange(offset, length) {
      return bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + length, bytes.length));
    },
  };
}
