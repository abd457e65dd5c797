import { ByteSourceError, IndexError } from '../errors.js';

/** A byte range as `ByteSourceError` reports it. */
export interface ByteRange {
  offset: number;
  length: number;
}

/**
 * A failure worth retrying (network error, 5xx, 429, timeout). Backends throw it; the limits layer retries it and,
 * once retries are exhausted, replaces it with a plain `READ_FAILED` `ByteSourceError` saying how many attempts were
 * made. Callers never see this class unless they call a backend directly.
 */
export class TransientByteSourceError extends ByteSourceError {
  readonly transient = true;
  /** HTTP status, when the failure was an HTTP answer. */
  readonly status?: number;
  constructor(uri: string, message: string, options?: { range?: ByteRange; cause?: unknown; status?: number }) {
    super('READ_FAILED', uri, message, options);
    this.status = options?.status;
  }
}

export function isTransient(error: unknown): error is TransientByteSourceError {
  return error instanceof TransientByteSourceError;
}

export function abortedError(uri: string, range: ByteRange | undefined, reason: unknown): ByteSourceError {
  return new ByteSourceError('ABORTED', uri, 'read aborted by the caller', { range, cause: reason });
}

/**
 * The part of a `ByteSourceError` message after its `uri (bytes a-b): ` prefix, so an error can be re-issued for
 * another range (a caller's slice of a merged read) without repeating the URI.
 */
export function errorDetail(error: ByteSourceError): string {
  const where = error.range ? ` (bytes ${error.range.offset}-${error.range.offset + error.range.length - 1})` : '';
  const prefix = `${error.uri}${where}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

/** Any failure as a `ByteSourceError` naming `uri` and `range`; one that already names them is returned as is. */
export function asByteSourceError(error: unknown, uri: string, range?: ByteRange): ByteSourceError {
  if (error instanceof ByteSourceError) {
    if (error.uri === uri && sameRange(error.range, range)) return error;
    const options = { range, cause: error };
    return isTransient(error)
      ? new TransientByteSourceError(uri, errorDetail(error), { ...options, status: error.status })
      : new ByteSourceError(
          error.code as ConstructorParameters<typeof ByteSourceError>[0],
          uri,
          errorDetail(error),
          options,
        );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ByteSourceError('READ_FAILED', uri, message, { range, cause: error });
}

function sameRange(a: ByteRange | undefined, b: ByteRange | undefined): boolean {
  return a?.offset === b?.offset && a?.length === b?.length;
}

/** Offsets and lengths must be whole, non-negative and exactly representable. */
export function checkRange(uri: string, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new IndexError(`${uri}: byte range offset=${offset} length=${length} must be non-negative integers`);
  }
}

/** Node system-call error codes that usually clear up on their own. */
const TRANSIENT_ERRNO = new Set([
  'EAGAIN',
  'EBUSY',
  'EINTR',
  'EMFILE',
  'ENFILE',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** Whether an error (or one in its `cause` chain) is a network or OS failure that a retry may cure. */
export function isTransientSystemError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSIENT_ERRNO.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** HTTP statuses worth retrying: request timeout, too early, throttling, and server-side failures. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

export function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
