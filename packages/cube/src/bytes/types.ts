/**
 * The byte-source contract every reader sits on: local files, S3 objects, HTTP(S) resources.
 *
 * Modelled on zarrita's store contract: `get` reads a whole object, `getRange` a byte range; a missing object is
 * `undefined`, anything else throws a `ByteSourceError` naming the URI and range.
 */
export interface RangeOptions {
  /**
   * Abort the read: the promise rejects promptly with a `ByteSourceError` of code `ABORTED` whose `cause` is the
   * signal's reason, and the backend request is cancelled where the backend allows it.
   */
  signal?: AbortSignal;
}

/** Facts about an object that let a restore notice it changed since it was published. */
export interface ObjectStat {
  size: number;
  /** RFC 3339 modification time, when the backend knows it. */
  mtime?: string;
  /** Entity tag (S3/HTTP), when the backend gives one. */
  etag?: string;
}

export interface ByteSource {
  /** The URI this source reads, as the user gave it (relative paths already resolved). */
  readonly uri: string;
  /** Size and change markers, or `undefined` if the object does not exist. */
  stat(options?: RangeOptions): Promise<ObjectStat | undefined>;
  /** The whole object, or `undefined` if it does not exist. */
  get(options?: RangeOptions): Promise<Uint8Array | undefined>;
  /** `length` bytes from `offset` (fewer only at end of object). Rejects if the object does not exist. */
  getRange(offset: number, length: number, options?: RangeOptions): Promise<Uint8Array>;
  /** Release handles (file descriptors, sockets). Idempotent. */
  close(): Promise<void>;
}

/** Counts what a source actually fetched: laziness is asserted by these numbers. */
export interface ByteCounter {
  requests: number;
  bytes: number;
}
