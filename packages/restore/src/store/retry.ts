import pRetry, { AbortError } from 'p-retry';

/** How long a store call may take: each attempt, and all attempts together (default: 10 s and 30 s). */
export interface StoreRetryOptions {
  /** Milliseconds one attempt may take before it is cancelled and tried again (default: 10000). */
  attemptTimeoutMs?: number;
  /** Milliseconds after which no new attempt starts and the call fails (default: 30000). */
  deadlineMs?: number;
  /** Milliseconds before the first retry, doubled each time (default: 100). */
  minDelayMs?: number;
}

export const DEFAULT_STORE_RETRY: Required<StoreRetryOptions> = { attemptTimeoutMs: 10_000, deadlineMs: 30_000, minDelayMs: 100 };

/** Network errors and statuses worth another attempt: the store may answer next time. */
export function isTransientStoreError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const x = e as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
    const status = x.$metadata?.httpStatusCode;
    if (status !== undefined && (status >= 500 || status === 429 || status === 408)) return true;
    if (x.$retryable) return true;
    if (x.name === 'TimeoutError' || x.name === 'AbortError' || x.name === 'TruncatedBody') return true;
    if (typeof x.code === 'string' && /^(ECONNRESET|ECONNREFUSED|ECONNABORTED|EPIPE|ETIMEDOUT|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_.*|ERR_STREAM_PREMATURE_CLOSE)$/.test(x.code)) return true;
    if (typeof (x as { message?: unknown }).message === 'string' && /socket hang up|aborted|premature close|timed? ?out/i.test((x as { message: string }).message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Run `attempt` until it succeeds, a failure is not transient, `signal` aborts, or the deadline passes. Each attempt
 * gets a signal that aborts after `attemptTimeoutMs` (a hung connection, a body that trickles). The last failure is
 * thrown, with the number of attempts in `attempts`.
 */
export async function withStoreRetries<T>(attempt: (signal: AbortSignal) => Promise<T>, options: StoreRetryOptions & { signal?: AbortSignal } = {}): Promise<T> {
  const { attemptTimeoutMs, deadlineMs, minDelayMs } = { ...DEFAULT_STORE_RETRY, ...options };
  const deadline = Date.now() + deadlineMs;
  let attempts = 0;
  try {
    return await pRetry(
      async () => {
        attempts += 1;
        const timeout = AbortSignal.timeout(Math.max(1, Math.min(attemptTimeoutMs, deadline - Date.now())));
        const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
        try {
          return await attempt(signal);
        } catch (error) {
          if (options.signal?.aborted || !isTransientStoreError(error) || Date.now() >= deadline) throw new AbortError(error as Error);
          throw error;
        }
      },
      {
        retries: 1000,
        minTimeout: minDelayMs,
        maxTimeout: 2000,
        factor: 2,
        randomize: true,
        signal: options.signal,
        maxRetryTime: deadlineMs,
      },
    );
  } catch (error) {
    if (error instanceof Error) Object.assign(error, { attempts });
    throw error;
  }
}
