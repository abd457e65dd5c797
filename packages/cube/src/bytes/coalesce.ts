import { abortedError, asByteSourceError, checkRange } from './failures.js';
import type { ByteSource, ObjectStat, RangeOptions, RangeReadOptions } from './types.js';

export interface CoalesceOptions {
  /**
   * Two ranges closer than this many bytes are fetched as one request (default: 65536). Reading a small gap costs
   * less than a round trip to S3 or an HTTP server.
   */
  maxGap?: number;
  /**
   * A merged request never grows beyond this many bytes, unless one caller's range alone is larger
   * (default: 16 MiB).
   */
  maxMergedBytes?: number;
}

export const DEFAULT_MAX_GAP = 64 * 1024;
export const DEFAULT_MAX_MERGED_BYTES = 16 * 1024 * 1024;

/**
 * Wrap `source` so `getRange` calls made in the same event-loop turn that overlap or lie within `maxGap` of each
 * other become one backend request, whose bytes are split back to each caller.
 *
 * Written here rather than taken from zarrita's `withRangeCoalescing` because that one treats a read that ends at
 * end of object as an error, aborts the whole merged request when any one caller aborts, and has no size cap.
 * Here a caller that aborts is rejected at once while the others still get their bytes; the merged request is
 * cancelled only when every caller in it has gone.
 */
export function withCoalescing(source: ByteSource, options: CoalesceOptions = {}): ByteSource {
  return new CoalescingSource(source, options);
}

interface Waiter {
  offset: number;
  end: number;
  signal?: AbortSignal;
  into?: Uint8Array;
  settled: boolean;
  group?: Group;
  resolve(data: Uint8Array): void;
  reject(error: unknown): void;
}

interface Group {
  offset: number;
  end: number;
  members: Waiter[];
  controller: AbortController;
}

class CoalescingSource implements ByteSource {
  readonly uri: string;
  private readonly maxGap: number;
  private readonly maxMergedBytes: number;
  private pending: Waiter[] = [];
  private scheduled = false;
  /** The reads waiting under each abort signal, and the one listener that abandons them. */
  private readonly watched = new Map<AbortSignal, { waiters: Set<Waiter>; onAbort: () => void }>();

  constructor(
    private readonly inner: ByteSource,
    options: CoalesceOptions,
  ) {
    this.uri = inner.uri;
    this.maxGap = options.maxGap ?? DEFAULT_MAX_GAP;
    this.maxMergedBytes = options.maxMergedBytes ?? DEFAULT_MAX_MERGED_BYTES;
    // Synchronous reads are not merged (nothing waits beside them): passed through when the source has them.
    if (inner.readSync) this.readSync = inner.readSync.bind(inner);
  }

  readonly readSync?: (offset: number, length: number, options?: RangeOptions) => Uint8Array | undefined;

  stat(options?: RangeOptions): Promise<ObjectStat | undefined> {
    return this.inner.stat(options);
  }

  get(options?: RangeOptions): Promise<Uint8Array | undefined> {
    return this.inner.get(options);
  }

  getRange(offset: number, length: number, options?: RangeReadOptions): Promise<Uint8Array> {
    try {
      checkRange(this.uri, offset, length);
    } catch (error) {
      return Promise.reject(error);
    }
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(abortedError(this.uri, { offset, length }, signal.reason));
    if (length === 0) return Promise.resolve(new Uint8Array(0));
    return new Promise<Uint8Array>((resolve, reject) => {
      const waiter: Waiter = { offset, end: offset + length, signal, into: options?.into, settled: false, resolve, reject };
      if (signal) this.watch(signal, waiter);
      this.pending.push(waiter);
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate rather than a microtask: callers that await a little (a header, a decode) before asking
        // for their range still land in the same batch.
        setImmediate(() => this.flush());
      }
    });
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private abandon(waiter: Waiter): void {
    if (waiter.settled) return;
    this.settle(waiter);
    waiter.reject(abortedError(this.uri, rangeOf(waiter), waiter.signal?.reason));
    const group = waiter.group;
    if (group && group.members.every((m) => m.settled)) group.controller.abort(waiter.signal?.reason);
  }

  /**
   * One abort listener per signal, however many reads it covers: a request reading hundreds of ranges under one
   * signal would otherwise pass Node's listener limit (MaxListenersExceededWarning).
   */
  private watch(signal: AbortSignal, waiter: Waiter): void {
    let watched = this.watched.get(signal);
    if (!watched) {
      const waiters = new Set<Waiter>();
      const onAbort = () => {
        this.watched.delete(signal);
        for (const w of waiters) this.abandon(w);
      };
      watched = { waiters, onAbort };
      this.watched.set(signal, watched);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    watched.waiters.add(waiter);
  }

  private settle(waiter: Waiter): void {
    waiter.settled = true;
    const signal = waiter.signal;
    const watched = signal && this.watched.get(signal);
    if (!watched) return;
    watched.waiters.delete(waiter);
    if (watched.waiters.size === 0) {
      this.watched.delete(signal);
      signal.removeEventListener('abort', watched.onAbort);
    }
  }

  private flush(): void {
    const batch = this.pending.filter((w) => !w.settled).sort((a, b) => a.offset - b.offset || a.end - b.end);
    this.pending = [];
    this.scheduled = false;
    for (const group of this.group(batch)) this.fetch(group);
  }

  private group(sorted: Waiter[]): Group[] {
    const groups: Group[] = [];
    let current: Group | undefined;
    for (const waiter of sorted) {
      const fits =
        current &&
        waiter.offset <= current.end + this.maxGap &&
        (waiter.end <= current.end || Math.max(current.end, waiter.end) - current.offset <= this.maxMergedBytes);
      if (current && fits) {
        current.members.push(waiter);
        current.end = Math.max(current.end, waiter.end);
      } else {
        current = { offset: waiter.offset, end: waiter.end, members: [waiter], controller: new AbortController() };
        groups.push(current);
      }
      waiter.group = current;
    }
    return groups;
  }

  private fetch(group: Group): void {
    const { offset, end, members, controller } = group;
    // A range fetched for one caller alone goes into that caller's buffer, if it gave one.
    const into = members.length === 1 ? members[0].into : undefined;
    this.inner.getRange(offset, end - offset, { signal: controller.signal, into }).then(
      (data) => {
        for (const m of members) {
          if (m.settled) continue;
          this.settle(m);
          m.resolve(members.length === 1 ? data : part(data, m.offset - offset, m.end - offset, end - offset, m.into));
        }
      },
      (error: unknown) => {
        for (const m of members) {
          if (m.settled) continue;
          this.settle(m);
          m.reject(asByteSourceError(error, this.uri, rangeOf(m)));
        }
      },
    );
  }
}

/**
 * One caller's bytes `[from, to)` of a merged request of `total` bytes (`data` is shorter at end of object): copied
 * into the caller's own buffer when it gave one that fits; otherwise a view when the caller's range is at least
 * half the request (holding on to it keeps at most twice its bytes alive, and copying megabytes costs more than
 * that), a copy when it is smaller, so a caller holding a small slice does not keep the whole merged buffer alive.
 */
function part(data: Uint8Array, from: number, to: number, total: number, into: Uint8Array | undefined): Uint8Array {
  const bytes = data.subarray(Math.min(from, data.length), Math.min(to, data.length));
  if (into !== undefined && into.byteLength >= to - from) {
    into.set(bytes);
    return into.subarray(0, bytes.length);
  }
  return 2 * (to - from) >= total ? bytes : bytes.slice();
}

function rangeOf(waiter: Waiter): { offset: number; length: number } {
  return { offset: waiter.offset, length: waiter.end - waiter.offset };
}
