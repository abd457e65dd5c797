import { ByteSourceError } from '../errors.js';
import type { ByteRange } from './failures.js';

/** `Content-Range: bytes first-last/size` of an answer to a ranged GET (`size` unknown for `*`). */
export interface ContentRange {
  first: number;
  last: number;
  size?: number;
}

export function parseContentRange(header: string | null | undefined): ContentRange | undefined {
  const m = header ? /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header) : null;
  if (!m) return undefined;
  return { first: Number(m[1]), last: Number(m[2]), ...(m[3] === '*' ? {} : { size: Number(m[3]) }) };
}

/**
 * The body of an answer to a ranged GET (HTTP or S3), trimmed to the length asked and checked against its
 * `Content-Range` when it has a usable one: it must start at the offset asked (else `READ_FAILED`), and a body
 * shorter than asked must reach the object's end (else `SHORT_READ`), judged by the bytes that arrived, not by
 * the end the header claims.
 */
export function checkRangedBody(uri: string, data: Uint8Array, header: string | null | undefined, range: ByteRange): Uint8Array {
  const answered = parseContentRange(header);
  if (answered && answered.first !== range.offset) {
    throw new ByteSourceError('READ_FAILED', uri, `server answered a different range (${header})`, { range });
  }
  if (answered?.size !== undefined && data.length < range.length && range.offset + data.length < answered.size) {
    throw new ByteSourceError('SHORT_READ', uri, `got ${data.length} bytes, expected ${range.length} (object is ${answered.size} bytes)`, {
      range,
    });
  }
  return data.length > range.length ? data.subarray(0, range.length) : data;
}
