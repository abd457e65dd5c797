import type { CoalesceOptions } from './coalesce.js';
import type { ByteSourceWarning, HttpOptions } from './http.js';
import type { RetryOptions } from './limits.js';
import type { SourcePolicy } from './policy.js';
import type { S3Options } from './s3.js';
import type { ByteCounter } from './types.js';

/** How `openByteSource` and `createSourcePool` open and wrap sources. Every field is optional. */
export interface ByteSourceOptions {
  /**
   * Directory that relative URIs are resolved against: a path, a `file:` URI, or a URI prefix such as
   * `s3://bucket/prefix/` or `https://host/data/` (default: relative paths are local, from the working directory).
   */
  base?: string;
  /** Counts what backends really fetch: requests (stat included) and bytes (default: not counted). */
  counter?: ByteCounter;
  /** Backend requests in flight at once, per source (default: 8). */
  concurrency?: number;
  /** Retries of transient failures: network errors, 5xx, 429, timeouts (default: 4 retries from 200 ms, ×2). */
  retry?: RetryOptions;
  /**
   * Milliseconds an S3 or HTTP `stat`/`getRange` attempt may take before it is retried (default: 30000; 0 turns
   * it off). `get` of a whole object has no timeout.
   */
  timeoutMs?: number;
  /** Merging of nearby `getRange` calls, or `false` to send each as it comes (default: 64 KiB gap, 16 MiB cap). */
  coalesce?: CoalesceOptions | false;
  /** S3 endpoint, region and addressing. */
  s3?: S3Options;
  /** HTTP headers and the whole-body limit for servers that ignore `Range`. */
  http?: HttpOptions;
  /** Receives warnings such as a server ignoring `Range` (default: `process.emitWarning`). */
  onWarning?: (warning: ByteSourceWarning) => void;
  /**
   * Where sources may be read from (data roots, allowed URL prefixes, public addresses only): every source opened
   * is checked before its first read, and refused with `SOURCE_NOT_ALLOWED` (default: none: anything the process
   * can read, as a library should).
   */
  policy?: SourcePolicy;
}
