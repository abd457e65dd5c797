import { ByteSourceError } from '../errors.js';
import { checkRangedBody, parseContentRange } from './content-range.js';
import { countFetch } from './counting.js';
import { checkRange, isTransientStatus, isTransientSystemError, TransientByteSourceError, type ByteRange } from './failures.js';
import type { FetchLike } from './policy.js';
import type { ByteCounter, ByteSource, ObjectStat, RangeOptions } from './types.js';

/**
 * HTTP(S) resources through the global `fetch`, with `Range` requests and `HEAD` for stat.
 *
 * Quirks handled here:
 * - `Accept-Encoding: identity` is sent: a compressed body would make byte offsets meaningless.
 * - A server that ignores `Range` (answers 200 with the whole body) is detected on the first ranged read. Bodies up
 *   to `maxFullBodyBytes` are then kept and sliced for every later read (and a warning is reported once); larger
 *   ones are refused without being downloaded, since every chunk read would fetch the whole object again.
 * - A server that does not answer `HEAD` (405/501) or gives no `Content-Length` is asked for `bytes=0-0` instead.
 */

export interface HttpOptions {
  /** Extra request headers, e.g. `Authorization` (default: none). */
  headers?: Record<string, string>;
  /**
   * Largest whole body accepted from a server that ignores `Range`, in bytes (default: 8 MiB). Above it a ranged
   * read fails with `READ_FAILED` rather than downloading the whole object.
   */
  maxFullBodyBytes?: number;
  /** The `fetch` requests are made with: a `SourcePolicy`'s, to confine where they go (default: the global one). */
  fetch?: FetchLike;
}

/** Something worth telling a user that is not an error (e.g. a server ignoring `Range`). */
export interface ByteSourceWarning {
  code: 'HTTP_RANGE_IGNORED';
  uri: string;
  message: string;
}

export interface HttpSourceOptions {
  http?: HttpOptions;
  /** Counts every request this source makes and every byte that arrives. */
  counter?: ByteCounter;
  /** Receives warnings (default: `process.emitWarning`). */
  onWarning?: (warning: ByteSourceWarning) => void;
}

export const DEFAULT_MAX_FULL_BODY_BYTES = 8 * 1024 * 1024;

export class HttpByteSource implements ByteSource {
  readonly uri: string;
  /** `undefined` until a ranged read was answered; `false` once the server answered one with the whole body. */
  rangeSupported?: boolean;
  private readonly headers: Record<string, string>;
  private readonly maxFullBodyBytes: number;
  private readonly fetch: FetchLike;
  private readonly counter?: ByteCounter;
  private readonly onWarning: (warning: ByteSourceWarning) => void;
  /** The whole object, kept once the server was seen to ignore `Range`. */
  private whole?: Uint8Array;

  constructor(uri: string, options: HttpSourceOptions = {}) {
    if (!URL.canParse(uri)) throw new ByteSourceError('BAD_URI', uri, 'not a valid http(s) URL');
    this.uri = uri;
    this.headers = { ...options.http?.headers, 'accept-encoding': 'identity' };
    this.maxFullBodyBytes = options.http?.maxFullBodyBytes ?? DEFAULT_MAX_FULL_BODY_BYTES;
    this.fetch = options.http?.fetch ?? ((url, init) => fetch(url, init));
    this.counter = options.counter;
    this.onWarning =
      options.onWarning ?? ((w) => process.emitWarning(`${w.uri}: ${w.message}`, { code: `CUBEMARK_${w.code}` }));
  }

  async stat(options?: RangeOptions): Promise<ObjectStat | undefined> {
    const res = await this.request('HEAD', options?.signal);
    countFetch(this.counter, 0);
    if (res.status === 404 || res.status === 410) return undefined;
    const length = res.headers.get('content-length');
    if (res.ok && length !== null) return { size: Number(length), ...changeMarkers(res) };
    if (!res.ok && res.status !== 405 && res.status !== 501) throw this.statusFailure(res);
    return this.statByRange(options?.signal);
  }

  async get(options?: RangeOptions): Promise<Uint8Array | undefined> {
    if (this.whole) return this.whole.slice();
    const res = await this.request('GET', options?.signal);
    if (res.status === 404 || res.status === 410) {
      countFetch(this.counter, 0);
      await discard(res);
      return undefined;
    }
    if (!res.ok) {
      countFetch(this.counter, 0);
      throw this.statusFailure(res);
    }
    const data = await this.body(res);
    countFetch(this.counter, data.length);
    return data;
  }

  async getRange(offset: number, length: number, options?: RangeOptions): Promise<Uint8Array> {
    checkRange(this.uri, offset, length);
    if (length === 0) return new Uint8Array(0);
    const range = { offset, length };
    if (this.whole) return this.whole.slice(offset, offset + length);
    const res = await this.request('GET', options?.signal, range);
    if (res.status === 206) {
      const data = await this.body(res, range);
      countFetch(this.counter, data.length);
      this.rangeSupported = true;
      return this.checkPartial(res, data, range);
    }
    if (res.status === 200) return this.keepWhole(res, range);
    countFetch(this.counter, 0);
    // 416: the object exists but ends at or before `offset`.
    if (res.status === 416) {
      await discard(res);
      return new Uint8Array(0);
    }
    throw this.statusFailure(res, range);
  }

  async close(): Promise<void> {
    this.whole = undefined;
  }

  private async request(method: 'GET' | 'HEAD', signal?: AbortSignal, range?: ByteRange): Promise<Response> {
    const headers = range
      ? { ...this.headers, range: `bytes=${range.offset}-${range.offset + range.length - 1}` }
      : this.headers;
    try {
      return await this.fetch(this.uri, { method, headers, signal });
    } catch (error) {
      countFetch(this.counter, 0);
      if (signal?.aborted) throw error;
      // A refusal of the source policy (or its check of a redirect): final, not a network failure.
      if (error instanceof ByteSourceError) throw error;
      throw this.networkFailure(error, range);
    }
  }

  private async body(res: Response, range?: ByteRange): Promise<Uint8Array> {
    try {
      return new Uint8Array(await res.arrayBuffer());
    } catch (error) {
      throw this.networkFailure(error, range);
    }
  }

  /**
   * A 200 to a ranged GET. A whole body no longer than what was asked (offset 0) is simply the answer; otherwise the
   * server ignores `Range`: keep the body if small enough, else refuse before downloading it.
   */
  private async keepWhole(res: Response, range: ByteRange): Promise<Uint8Array> {
    const asked = range.offset === 0 ? range.length : 0;
    const limit = Math.max(this.maxFullBodyBytes, asked);
    const refuse = (size: string) => {
      this.rangeSupported = false;
      countFetch(this.counter, 0);
      return new ByteSourceError(
        'READ_FAILED',
        this.uri,
        `the server ignores Range requests and would send the whole object (${size}) for every read; ` +
          `serve it from a server that supports Range, or raise http.maxFullBodyBytes (${this.maxFullBodyBytes})`,
        { range },
      );
    };
    const declared = res.headers.get('content-length');
    if (declared !== null && Number(declared) > limit) {
      await discard(res);
      throw refuse(`${declared} bytes`);
    }
    const data = await readAtMost(res, limit).catch((error: unknown) => {
      throw this.networkFailure(error, range);
    });
    if (data === undefined) throw refuse(`more than ${limit} bytes`);
    countFetch(this.counter, data.length);
    if (data.length <= asked) return data;
    this.rangeSupported = false;
    this.whole = data;
    this.onWarning({
      code: 'HTTP_RANGE_IGNORED',
      uri: this.uri,
      message:
        `the server ignores Range requests; the whole object (${data.length} bytes) was fetched ` +
        'and is kept in memory',
    });
    return data.slice(range.offset, range.offset + range.length);
  }

  /** A 206 must say which bytes it holds; `checkRangedBody` checks them. */
  private checkPartial(res: Response, data: Uint8Array, range: ByteRange): Uint8Array {
    const header = res.headers.get('content-range');
    if (!parseContentRange(header)) {
      throw new ByteSourceError('READ_FAILED', this.uri, `206 answer without a usable Content-Range (${header})`, {
        range,
      });
    }
    return checkRangedBody(this.uri, data, header, range);
  }

  /** Size from a one-byte ranged GET, for servers whose HEAD is unusable. */
  private async statByRange(signal?: AbortSignal): Promise<ObjectStat | undefined> {
    const res = await this.request('GET', signal, { offset: 0, length: 1 });
    countFetch(this.counter, 0);
    if (res.status === 404 || res.status === 410) {
      await discard(res);
      return undefined;
    }
    const markers = changeMarkers(res);
    if (res.status === 206) {
      const total = /\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1];
      await discard(res);
      if (total !== undefined) return { size: Number(total), ...markers };
    } else if (res.status === 200 && res.headers.get('content-length') !== null) {
      await discard(res);
      return { size: Number(res.headers.get('content-length')), ...markers };
    } else if (res.status === 416) {
      await discard(res);
      return { size: 0, ...markers };
    } else if (!res.ok) {
      throw this.statusFailure(res);
    } else {
      await discard(res);
    }
    throw new ByteSourceError('READ_FAILED', this.uri, 'the server tells neither Content-Length nor Content-Range');
  }

  private statusFailure(res: Response, range?: ByteRange): ByteSourceError {
    void discard(res);
    const status = res.status;
    const what = `HTTP ${status} ${res.statusText}`.trim();
    const options = { range };
    if (status === 404 || status === 410) {
      return new ByteSourceError('NOT_FOUND', this.uri, `no such object (${what})`, options);
    }
    if (status === 401 || status === 403) {
      return new ByteSourceError(
        'ACCESS_DENIED',
        this.uri,
        `access denied (${what}); pass credentials in http.headers if the server needs them`,
        options,
      );
    }
    if (isTransientStatus(status)) return new TransientByteSourceError(this.uri, what, { range, status });
    return new ByteSourceError('READ_FAILED', this.uri, `unexpected answer ${what}`, options);
  }

  private networkFailure(error: unknown, range?: ByteRange): ByteSourceError {
    const cause = (error as { cause?: unknown }).cause;
    const reason = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
    const options = { range, cause: error };
    if (isTransientSystemError(error)) {
      return new TransientByteSourceError(this.uri, `network error: ${reason}`, options);
    }
    return new ByteSourceError('READ_FAILED', this.uri, `request failed: ${reason}`, options);
  }
}

function changeMarkers(res: Response): { mtime?: string; etag?: string } {
  const lastModified = res.headers.get('last-modified');
  const time = lastModified ? Date.parse(lastModified) : NaN;
  return {
    mtime: Number.isNaN(time) ? undefined : new Date(time).toISOString(),
    etag: res.headers.get('etag') ?? undefined,
  };
}

/** Release the connection of a response whose body is not wanted. */
async function discard(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    // Already consumed or the connection is gone: nothing to release.
  }
}

/** The body, or `undefined` (and the download cancelled) once it exceeds `limit` bytes. */
async function readAtMost(res: Response, limit: number): Promise<Uint8Array | undefined> {
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      return undefined;
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
