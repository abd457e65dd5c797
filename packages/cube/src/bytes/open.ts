import { resolve } from 'node:path';
import { UnknownPluginError } from '../errors.js';
import { withCoalescing } from './coalesce.js';
import { HttpByteSource } from './http.js';
import { withLimits } from './limits.js';
import { LocalByteSource } from './local.js';
import type { ByteSourceOptions } from './options.js';
import { S3ByteSource } from './s3.js';
import type { ByteSource, ObjectStat } from './types.js';
import { resolveUri, uriScheme } from './uri.js';

export const DEFAULT_REMOTE_TIMEOUT_MS = 30_000;

/**
 * Open a byte source for `uri`, chosen by scheme: a plain path or `file:` → local file, `s3:` → S3,
 * `http:`/`https:` → HTTP. A relative `uri` is resolved against `options.base` (else the working directory).
 *
 * The source is wrapped so that nearby concurrent ranges are merged, requests are bounded and retried, aborts
 * reject at once with `ABORTED`, and every failure is a `ByteSourceError` naming the URI and range. Nothing is
 * opened or fetched until the first read, and a zero-length `getRange` answers an empty array without a request
 * (so it does not check that the object exists). Throws `UnknownPluginError` for another scheme and `ByteSourceError`
 * `BAD_URI` for a malformed URI.
 */
export function openByteSource(uri: string, options: ByteSourceOptions = {}): ByteSource {
  const resolved = resolveUri(uri, options.base);
  const scheme = uriScheme(resolved);
  const { counter, policy } = options;
  let backend: ByteSource;
  let remote = true;
  // Under a policy, local files are checked (and their real path opened) before the first read; remote URIs at once.
  const admit = policy && ((path: string) => policy.admitLocal(path));
  const refusal = policy && scheme !== undefined && scheme !== 'file' ? refusalOf(() => policy.checkRemote(resolved)) : undefined;
  if (refusal) return new RefusedSource(resolved, refusal);
  switch (scheme) {
    case undefined:
      backend = new LocalByteSource(resolve(resolved), { counter, admit });
      remote = false;
      break;
    case 'file':
      backend = new LocalByteSource(resolved, { counter, admit });
      remote = false;
      break;
    case 's3':
      backend = new S3ByteSource(resolved, { counter, s3: options.s3 });
      break;
    case 'http':
    case 'https':
      backend = new HttpByteSource(resolved, {
        counter,
        http: policy ? { ...options.http, fetch: policy.fetch } : options.http,
        onWarning: options.onWarning,
      });
      break;
    default:
      throw new UnknownPluginError(scheme, 'scheme');
  }
  const limited = withLimits(backend, {
    concurrency: options.concurrency,
    retry: options.retry,
    // A local read has nothing to time out against: it is not cancellable and does not hang on a network.
    timeoutMs: remote ? (options.timeoutMs ?? DEFAULT_REMOTE_TIMEOUT_MS) : undefined,
  });
  return options.coalesce === false ? limited : withCoalescing(limited, options.coalesce);
}

function refusalOf(check: () => void): Error | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

/** A source its policy refused: every read rejects with the refusal, and nothing is ever fetched. */
class RefusedSource implements ByteSource {
  constructor(
    readonly uri: string,
    private readonly refusal: Error,
  ) {}
  stat(): Promise<ObjectStat | undefined> {
    return Promise.reject(this.refusal);
  }
  get(): Promise<Uint8Array | undefined> {
    return Promise.reject(this.refusal);
  }
  getRange(): Promise<Uint8Array> {
    return Promise.reject(this.refusal);
  }
  async close(): Promise<void> {}
}
