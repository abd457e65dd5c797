import { fileURLToPath } from 'node:url';
import type { S3Options } from '@cubemark/cube';
import { RestoreError } from '../errors.js';
import { LocalStore } from './local.js';
import { S3Store } from './s3.js';
import type { StoreRetryOptions } from './retry.js';
import type { PublicationStore } from './types.js';

export interface OpenStoreOptions {
  /** S3 endpoint, region and addressing (default: from the environment, as @cubemark/cube's byte sources). */
  s3?: S3Options;
  /** Timeouts and deadline of an S3 store's calls (default: 10 s per attempt, 30 s in all). */
  retry?: StoreRetryOptions;
}

/**
 * The store at `location`: `s3://bucket/prefix/` is an S3 store, a path or `file:` URI a local folder. Other
 * schemes are `BAD_STORE_URI`. Nothing is touched until the first call.
 */
export function openStore(location: string, options: OpenStoreOptions = {}): PublicationStore {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]+):/.exec(location)?.[1]?.toLowerCase();
  if (scheme === 's3') return new S3Store(location, options);
  if (scheme === 'file') return new LocalStore(fileURLToPath(location));
  if (scheme !== undefined) {
    throw new RestoreError('BAD_STORE_URI', `no store for '${scheme}:' locations: use a folder path or s3://bucket/prefix/`);
  }
  return new LocalStore(location);
}
