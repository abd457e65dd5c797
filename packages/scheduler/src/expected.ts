import { SchedulerError } from './errors.js';
import type { Logger } from './plugins/types.js';

/**
 * Names announced as coming (being restored): `get` waits for them, listing shows them as `restoring`. A name
 * stops being expected when it is published (waiters go on) or abandoned (waiters fail with the reason, which
 * later `get`s of the name still give).
 */
export class ExpectedNames {
  private readonly waiting = new Map<string, Waiting>();
  private readonly abandoned = new Map<string, string>();

  constructor(private readonly log: Logger) {}

  has(name: string): boolean {
    return this.waiting.has(name);
  }

  names(): IterableIterator<string> {
    return this.waiting.keys();
  }

  /** Expect `name`; `onWait` hears when someone waits for it (so it can be restored next). */
  expect(name: string, onWait?: (name: string) => void): void {
    if (this.waiting.has(name)) return;
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Nobody may be waiting; an unobserved rejection must not crash the process.
    promise.catch(() => undefined);
    this.waiting.set(name, { promise, resolve, reject, onWait });
    this.abandoned.delete(name);
  }

  /** `name` was published: whoever waits for it goes on. */
  arrived(name: string): void {
    this.abandoned.delete(name);
    const waiting = this.waiting.get(name);
    if (!waiting) return;
    this.waiting.delete(name);
    waiting.resolve();
  }

  /** `name` will not come: waiters fail with `reason`, and so do later `get`s while `remember` (it is not held). */
  abandon(name: string, reason: string, remember: boolean): void {
    const waiting = this.waiting.get(name);
    this.waiting.delete(name);
    if (remember) this.abandoned.set(name, reason);
    waiting?.reject(abandonedError(name, reason));
  }

  /** PUBLICATION_ABANDONED for a name that was abandoned, else undefined. */
  abandonedError(name: string): SchedulerError | undefined {
    const reason = this.abandoned.get(name);
    return reason === undefined ? undefined : abandonedError(name, reason);
  }

  /** Every waiter fails with `error(name)`; nothing is expected any more. */
  rejectAll(error: (name: string) => Error): void {
    for (const [name, waiting] of this.waiting) waiting.reject(error(name));
    this.waiting.clear();
  }

  /** Waits until `name` arrives, is abandoned, `timeoutMs` passes (PUBLICATION_RESTORING) or `signal` aborts. */
  async wait(name: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const waiting = this.waiting.get(name);
    if (!waiting) return;
    try {
      waiting.onWait?.(name);
    } catch (error) {
      this.log.warn(`bringing '${name}' forward failed: ${(error as Error).message}`);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new SchedulerError('PUBLICATION_RESTORING', `'${name}' is still being restored after ${timeoutMs} ms; try again shortly`, {
              details: { retryAfterSeconds: Math.max(1, Math.ceil(timeoutMs / 1000)) },
            }),
          ),
        timeoutMs,
      );
      timer.unref?.();
    });
    const aborted = new Promise<never>((_, reject) => {
      if (!signal) return;
      if (signal.aborted) reject(signal.reason);
      else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
    try {
      await Promise.race([waiting.promise, timeout, aborted]);
    } finally {
      clearTimeout(timer);
    }
  }
}

interface Waiting {
  promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
  /** The announcing plugin's wish to hear that someone waits (to restore this name next). */
  onWait?: (name: string) => void;
}

function abandonedError(name: string, reason: string): SchedulerError {
  return new SchedulerError('PUBLICATION_ABANDONED', `'${name}' will not be restored: ${reason}`, { details: { reason } });
}
