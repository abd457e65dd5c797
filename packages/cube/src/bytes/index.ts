export type { ByteCounter, ByteSource, ObjectStat, RangeOptions, RangeReadOptions } from './types.js';
export type { ByteSourceOptions } from './options.js';
export { openByteSource, DEFAULT_REMOTE_TIMEOUT_MS } from './open.js';
export { createSourcePool, type SourcePool } from './pool.js';
export { resolveUri, uriScheme } from './uri.js';
export { createByteCounter, withCounter, type CountedSource } from './counting.js';
export {
  withCoalescing,
  DEFAULT_MAX_GAP,
  DEFAULT_MAX_MERGED_BYTES,
  type CoalesceOptions,
} from './coalesce.js';
export { withLimits, DEFAULT_CONCURRENCY, DEFAULT_RETRY, type LimitOptions, type RetryOptions } from './limits.js';
export { LocalByteSource, type LocalSourceOptions } from './local.js';
export {
  S3ByteSource,
  buildS3Client,
  parseS3Uri,
  resolveS3Config,
  type S3ClientConfig,
  type S3Location,
  type S3Options,
  type S3SourceOptions,
} from './s3.js';
export {
  HttpByteSource,
  DEFAULT_MAX_FULL_BODY_BYTES,
  type ByteSourceWarning,
  type HttpOptions,
  type HttpSourceOptions,
} from './http.js';
export { TransientByteSourceError, type ByteRange } from './failures.js';
export {
  createSourcePolicy,
  isSourcePolicy,
  type SourcePolicy,
  credentialsIn,
  isNonPublicAddress,
  type FetchLike,
  type SourcePolicyOptions,
} from './policy.js';
