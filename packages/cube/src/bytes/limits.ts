import pLimit, { type LimitFunction } from 'p-limit';
import pRetry, { AbortError } from 'p-retry';
import { ByteSourceError } from '../errors.js';
import { anySignal, raceAbort } from './abort.js';
import {
  abortedError,
  asByteSourceError,
  checkRange,
  errorDetail,
  isTransient,
  TransientByteSourceError,
  type ByteRange,
} from './failures.js';
import type { ByteSource, ObjectStat, RangeOptions, RangeReadOptions } from './types.js';

/** Backoff for transient failures (network errors, 5xx, 429, timeouts). */
export interface RetryOptions {
  /** Retries after the first attempt (default: 4). */
  retries?: number;
  /** Milliseconds before the first retry (default: 200). */
  minTimeout?: number;
  /** Longest wait between retries, in milliseconds (default: 5000). */
  maxTimeout?: number;
  /** Growth of the wait per retry (default: 2). */
  factor?: number;
  /** Multiply each wait by a random 1–2 so many clients do not retry in step (default: true). */
  randomize?: boolean;
}

export interface LimitOptions {
  /** Backend requests in flight at once for this source (default: 8). */
  concurrency?: number;
  retry?: RetryOptions;
  /**
   * Milliseconds one `stat` or `getRange` attempt may take, body included, before it is cancelled and retried as a
   * transient failure (default: none; `openByteSource` uses 30000 for S3 and HTTP). `get` has no timeout: a whole
   * object may rightly take long.
   */
  timeoutMs?: number;
}

export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_RETRY: Required<RetryOptions> = {
  retries: 4,
  minTimeout: 200,
  maxTimeout: 5000,
  factor: 2,
  randomize: true,
};

/**
 * Wrap `source` so that at most `concurrency` backend requests run at once, transient failures are retried with
 * exponential backoff (a wait does not hold a concurrency slot), `NOT_FOUND`/`ACCESS_DENIED` and other definite
 * answers are not retried, an aborted signal rejects at once with `ABORTED`, and every failure is a
 * `ByteSourceError` naming the URI and range.
 */
export function withLimits(source: ByteSource, options: LimitOptions = {}): ByteSource {
  return new LimitedSource(source, options);
}

class LimitedSource implements ByteSource {
  readonly uri: string;
  private readonly limit: LimitFunction;
  private readonly retry: Required<RetryOptions>;
  private readonly timeoutMs?: number;

  constructor(
    private readonly inner: ByteSource,
    options: LimitOptions,
  ) {
    this.uri = inner.uri;
    this.limit = pLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.timeoutMs = options.timeoutMs || undefined;
    if (inner.readSync) this.readSync = (offset, length, options) => this.readNow(inner.readSync!.bind(inner), offset, length, options?.signal);
  }

  readonly readSync?: (offset: number, length: number, options?: RangeOptions) => Uint8Array | undefined;

  /**
   * A synchronous read takes no concurrency slot (it holds the thread, not a request) and is not retried: a
   * transient failure answers `undefined`, so the caller's `getRange` retries it.
   */
  private readNow(
    read: (offset: number, length: number) => Uint8Array | undefined,
    offset: number,
    length: number,
    signal: AbortSignal | undefined,
  ): Uint8Array | undefined {
    checkRange(this.uri, offset, length);
    const range = { offset, length };
    if (signal?.aborted) throw abortedError(this.uri, range, signal.reason);
    if (length === 0) return new Uint8Array(0);
    try {
      return read(offset, length);
    } catch (error) {
      const failure = asByteSourceError(error, this.uri, range);
      if (isTransient(failure)) return undefined;
      throw failure;
    }
  }

  stat(options?: RangeOptions): Promise<ObjectStat | undefined> {
    return this.run((signal) => this.inner.stat({ signal }), undefined, options?.signal, this.timeoutMs);
  }

  get(options?: RangeOptions): Promise<Uint8Array | undefined> {
    return this.run((signal) => this.inner.get({ signal }), undefined, options?.signal, undefined);
  }

  async getRange(offset: number, length: number, options?: RangeReadOptions): Promise<Uint8Array> {
    checkRange(this.uri, offset, length);
    if (length === 0) return new Uint8Array(0);
    const range = { offset, length };
    // Every attempt reads into the same buffer: an abandoned attempt still writing there writes the same bytes.
    const into = options?.into;
    const read = (signal: AbortSignal | undefined) => this.inner.getRange(offset, length, { signal, into });
    return this.run(read, range, options?.signal, this.timeoutMs);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async run<T>(
    operation: (signal: AbortSignal | undefined) => Promise<T>,
    range: ByteRange | undefined,
    signal: AbortSignal | undefined,
    timeoutMs: number | undefined,
  ): Promise<T> {
    const aborted = () => abortedError(this.uri, range, signal?.reason);
    if (signal?.aborted) throw aborted();
    let attempts = 0;

    const attempt = () =>
      this.limit(async () => {
        // The caller may have given up while this attempt waited for a slot.
        if (signal?.aborted) throw new AbortError(aborted());
        attempts += 1;
        const timeout = timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined;
        const attemptSignal = anySignal(signal, timeout);
        try {
          return await raceAbort(operation(attemptSignal), attemptSignal, () => new Error('attempt cancelled'));
        } catch (error) {
          if (signal?.aborted) throw new AbortError(aborted());
          if (timeout?.aborted) {
            throw new TransientByteSourceError(this.uri, `no answer within ${timeoutMs} ms`, {
              range,
              cause: error,
            });
          }
          const failure = asByteSourceError(error, this.uri, range);
          if (isTransient(failure)) throw failure;
          throw new AbortError(failure);
        }
      });

    try {
      return await raceAbort(pRetry(attempt, { ...this.retry, signal }), signal, aborted);
    } catch (error) {
      if (signal?.aborted) throw aborted();
      if (isTransient(error)) {
        const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
        throw new ByteSourceError('READ_FAILED', this.uri, `${errorDetail(error)} (gave up after ${tries})`, {
          range,
          cause: error,
        });
      }
      throw asByteSourceError(error, this.uri, range);
    }
  }
}
