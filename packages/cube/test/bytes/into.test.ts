import { describe, expect, it } from 'vitest';
import { withCoalescing } from '../../src/bytes/coalesce.js';
import { withLimits } from '../../src/bytes/limits.js';
import { LocalByteSource } from '../../src/bytes/local.js';
import { openByteSource } from '../../src/bytes/open.js';
import { TransientByteSourceError } from '../../src/bytes/failures.js';
import type { ByteSource, RangeReadOptions } from '../../src/bytes/types.js';
import { BIG, BIG_BYTES, FAST_RETRY } from './fixtures.js';

/** True when `bytes` is the start of `into`'s memory (what a source returns when it read into the caller's buffer). */
const inBuffer = (bytes: Uint8Array, into: Uint8Array) => bytes.buffer === into.buffer && bytes.byteOffset === into.byteOffset;

/**
 * An in-memory source that records the `into` of each request and reads into it when it fits, as a local file does;
 * its first `failures` range reads fail as a network error would (transient: retried).
 */
function recordingSource(data: Uint8Array, failures = 0): ByteSource & { intos: (Uint8Array | undefined)[] } {
  const intos: (Uint8Array | undefined)[] = [];
  return {
    uri: 'mem://recording',
    intos,
    stat: async () => ({ size: data.length }),
    get: async () => data.slice(),
    async getRange(offset: number, length: number, options?: RangeReadOptions) {
      intos.push(options?.into);
      if (intos.length <= failures) throw new TransientByteSourceError('mem://recording', 'network error (test)', { range: { offset, length } });
      const bytes = data.subarray(offset, offset + length);
      const into = options?.into;
      if (into && into.byteLength >= length) {
        into.set(bytes);
        return into.subarray(0, bytes.length);
      }
      return bytes.slice();
    },
    close: async () => {},
  };
}

describe('reading into a caller-supplied buffer (RangeReadOptions.into)', () => {
  it('a local file is read into the buffer given, when it is large enough', async () => {
    const src = new LocalByteSource(BIG);
    const into = new Uint8Array(5000).fill(7);
    const got = await src.getRange(1_000_000, 4000, { into });
    expect(inBuffer(got, into)).toBe(true);
    expect(got.length).toBe(4000);
    expect(got).toEqual(BIG_BYTES.subarray(1_000_000, 1_004_000));
    // Bytes past the range are left alone.
    expect(into[4000]).toBe(7);

    const small = new Uint8Array(100);
    const fresh = await src.getRange(0, 4000, { into: small });
    expect(fresh.buffer).not.toBe(small.buffer);
    expect(fresh).toEqual(BIG_BYTES.subarray(0, 4000));
    await src.close();
  });

  it('a read past the end of the file comes back as a shorter view of the buffer given', async () => {
    const src = new LocalByteSource(BIG);
    const into = new Uint8Array(1000);
    const got = await src.getRange(BIG_BYTES.length - 300, 1000, { into });
    expect(inBuffer(got, into)).toBe(true);
    expect(got).toEqual(BIG_BYTES.subarray(BIG_BYTES.length - 300));
    await src.close();
  });

  it('goes through the limits and coalescing layers of an opened source', async () => {
    const src = openByteSource(BIG);
    const into = new Uint8Array(1 << 16);
    const got = await src.getRange(123_456, 60_000, { into });
    expect(inBuffer(got, into)).toBe(true);
    expect(got).toEqual(BIG_BYTES.subarray(123_456, 183_456));
    await src.close();
  });

  it('withLimits hands the buffer to every attempt', async () => {
    // The first attempt fails: the retry must get the same buffer.
    const inner = recordingSource(BIG_BYTES, 1);
    const into = new Uint8Array(10);
    const got = await withLimits(inner, { retry: FAST_RETRY }).getRange(5, 10, { into });
    expect(inner.intos).toHaveLength(2);
    expect(inner.intos.every((i) => i === into)).toBe(true);
    expect(inBuffer(got, into)).toBe(true);
    expect(got).toEqual(BIG_BYTES.subarray(5, 15));
  });

  it('a range merged with others is copied into its caller’s buffer; the merged request gets no caller’s buffer', async () => {
    const inner = recordingSource(BIG_BYTES);
    const src = withCoalescing(inner);
    const a = new Uint8Array(1000);
    const b = new Uint8Array(1000);
    const [ga, gb] = await Promise.all([src.getRange(0, 1000, { into: a }), src.getRange(1000, 1000, { into: b })]);
    expect(inner.intos).toEqual([undefined]);
    expect(inBuffer(ga, a) && inBuffer(gb, b)).toBe(true);
    expect(ga).toEqual(BIG_BYTES.subarray(0, 1000));
    expect(gb).toEqual(BIG_BYTES.subarray(1000, 2000));
  });

  it('a range fetched alone is read straight into its caller’s buffer', async () => {
    const inner = recordingSource(BIG_BYTES);
    const into = new Uint8Array(1000);
    const got = await withCoalescing(inner).getRange(40, 1000, { into });
    expect(inner.intos).toEqual([into]);
    expect(inBuffer(got, into)).toBe(true);
  });

  it('without a buffer, a large share of a merged request is a view of it, a small one a copy', async () => {
    const inner = recordingSource(BIG_BYTES);
    const src = withCoalescing(inner);
    const [big, small] = await Promise.all([src.getRange(0, 9000), src.getRange(9000, 1000)]);
    expect(big).toEqual(BIG_BYTES.subarray(0, 9000));
    expect(small).toEqual(BIG_BYTES.subarray(9000, 10_000));
    // The view shares the merged request's memory; the copy holds only its own bytes.
    expect(big.buffer.byteLength).toBe(10_000);
    expect(small.buffer.byteLength).toBe(1000);
  });
});
