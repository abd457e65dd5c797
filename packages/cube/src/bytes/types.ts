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

/**
 * Options of `getRange`. `into` lets a caller that reads the same sizes over and over (a streaming reduction's
 * tiles) reuse its buffers instead of having a fresh one allocated, zeroed and collected for every read.
 */
export interface RangeReadOptions extends RangeOptions {
  /**
   * A buffer the bytes may be read into, when it holds at least `length` bytes. A hint: a source that can read into
   * it (a local file) returns a view of its start; any other source, or a read it cannot place there (bytes it
   * already had, a range merged with other callers'), returns bytes elsewhere, so check
   * `result.buffer === into.buffer && result.byteOffset === into.byteOffset` before relying on it. After an abort
   * or a failure the buffer may still be written to until the backend's read ends: do not start another read into
   * it then.
   */
  into?: Uint8Array;
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
  /**
   * `length` bytes from `offset` (fewer only at end of object). Rejects if the object does not exist. The bytes
   * returned may be shared with other callers (a cached header, a request merged with theirs): only bytes read into
   * the caller's own `options.into` may be modified.
   */
  getRange(offset: number, length: number, options?: RangeReadOptions): Promise<Uint8Array>;
  /**
   * Optional, for backends whose reads are cheap system calls (local files): the bytes `getRange` would answer,
   * read synchronously, or `undefined` when that cannot be done now (the file is not open yet, a transient
   * failure): the caller then uses `getRange`, which opens, retries and waits as usual —
   * `source.readSync?.(o, n) ?? (await source.getRange(o, n))`. It blocks the thread for the read: it is for
   * callers that make many small reads one after another (a header walk), while those reads are fast, yielding
   * to the event loop between slices of them. The bytes may be shared, as `getRange`'s.
   */
  readSync?(offset: number, length: number, options?: RangeOptions): Uint8Array | undefined;
  /** Release handles (file descriptors, sockets). Idempotent. */
  close(): Promise<void>;
}

/** Counts what a source actually fetched: laziness is asserted by these numbers. */
export interface ByteCounter {
  requests: number;
  bytes: number;
}
