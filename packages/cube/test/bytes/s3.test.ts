import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ByteSourceError } from '../../src/errors.js';
import { createByteCounter } from '../../src/bytes/counting.js';
import { openByteSource } from '../../src/bytes/open.js';
import { createSourcePool } from '../../src/bytes/pool.js';
import { activeS3Clients, parseS3Uri, resolveS3Config, S3ByteSource } from '../../src/bytes/s3.js';
import type { S3TestServer } from '../helpers/s3-server.js';
import { s3ServerForTests } from '../helpers/s3-suite.js';
import { BIG, BIG_BYTES, FAST_RETRY, SMALL, SMALL_BYTES } from './fixtures.js';
import { rejection } from '../helpers/rejection.js';
import { expectAbsent, expectGaveUp } from '../helpers/byte-source-errors.js';

describe('S3 byte source against s3rver', () => {
  let s3: S3TestServer;
  s3ServerForTests((started) => void (s3 = started));

  // First in this file (one process per file): the SDK warns once per process, so only the first client shows it.
  it('builds its client without the SDK Node-version warning and leaves the environment alone', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const src = new S3ByteSource(s3.uri('absent/object.nc'));
      expect(await src.stat()).toBeUndefined();
      await src.close();
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((m) => m.includes('NodeVersionSupportWarning'))).toEqual([]);
    expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBeUndefined();
  });

  describe('with objects', () => {
    beforeAll(async () => {
      await s3.put('iris/units.nc', SMALL);
      await s3.put('iris/big.nc', BIG);
    });

    it('reads a range and fetches only those bytes', async () => {
      const counter = createByteCounter();
      const src = openByteSource(s3.uri('iris/big.nc'), { counter });
      expect(await src.getRange(1_500_000, 2048)).toEqual(BIG_BYTES.subarray(1_500_000, 1_502_048));
      expect(counter).toEqual({ requests: 1, bytes: 2048 });
      await src.close();
    });

    it('gets a whole object', async () => {
      const src = openByteSource(s3.uri('iris/units.nc'));
      expect(await src.get()).toEqual(SMALL_BYTES);
      await src.close();
    });

    it('stats size, LastModified as RFC 3339 and the ETag', async () => {
      const before = Date.now();
      await s3.put('iris/fresh.nc', SMALL_BYTES);
      const src = openByteSource(s3.uri('iris/fresh.nc'));
      const s = await src.stat();
      expect(s?.size).toBe(SMALL_BYTES.length);
      expect(s?.etag).toBe(`"${createHash('md5').update(SMALL_BYTES).digest('hex')}"`);
      expect(s?.mtime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      expect(Date.parse(s!.mtime!)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      await src.close();
    });

    it('treats a missing key as absent: stat/get undefined, getRange NOT_FOUND naming URI and range', async () => {
      const uri = s3.uri('iris/none.nc');
      const counter = createByteCounter();
      const src = openByteSource(uri, { counter, retry: FAST_RETRY });
      const error = await expectAbsent(src, uri, 0, 16);
      expect(error.message).toContain(`${uri} (bytes 0-15)`);
      // Not retried: one request each.
      expect(counter.requests).toBe(3);
      await src.close();
    });

    it('reports a missing bucket as NOT_FOUND naming the bucket', async () => {
      const src = openByteSource('s3://no-such-bucket/x.nc', { retry: FAST_RETRY });
      const error = await rejection(src.getRange(0, 4));
      expect(error.code).toBe('NOT_FOUND');
      expect(error.message).toContain("bucket 'no-such-bucket' does not exist");
      await src.close();
    });

    it('returns fewer bytes only at the end of the object, and none past it', async () => {
      const src = openByteSource(s3.uri('iris/units.nc'), { coalesce: false });
      const n = SMALL_BYTES.length;
      expect(await src.getRange(n - 10, 100)).toEqual(SMALL_BYTES.subarray(n - 10));
      expect((await src.getRange(n + 100, 10)).length).toBe(0);
      await src.close();
    });

    it('merges adjacent ranges asked together into one GetObject', async () => {
      const counter = createByteCounter();
      const src = openByteSource(s3.uri('iris/big.nc'), { counter });
      const offsets = [0, 4096, 8192, 12288, 16384];
      const parts = await Promise.all(offsets.map((o) => src.getRange(o, 4096)));
      parts.forEach((p, i) => expect(p).toEqual(BIG_BYTES.subarray(offsets[i], offsets[i] + 4096)));
      expect(counter).toEqual({ requests: 1, bytes: 5 * 4096 });
      await src.close();
    });

    it('resolves keys relative to an s3:// base', async () => {
      const pool = createSourcePool({ base: `s3://${s3.bucket}/iris/sub/` });
      const src = pool.open('../units.nc');
      expect(src.uri).toBe(s3.uri('iris/units.nc'));
      expect(await src.getRange(0, 8)).toEqual(SMALL_BYTES.subarray(0, 8));
      await pool.close();
    });

    it('shares one client per endpoint configuration and destroys it with the last source', async () => {
      expect(activeS3Clients()).toBe(0);
      const pool = createSourcePool();
      await Promise.all([pool.open(s3.uri('iris/units.nc')).stat(), pool.open(s3.uri('iris/big.nc')).stat()]);
      expect(activeS3Clients()).toBe(1);
      const other = openByteSource(s3.uri('iris/units.nc'), { s3: { region: 'eu-west-1' } });
      await other.stat();
      expect(activeS3Clients()).toBe(2);
      await pool.close();
      expect(activeS3Clients()).toBe(1);
      await other.close();
      expect(activeS3Clients()).toBe(0);
    });

    // s3rver does not verify SigV4 signatures, only that the access key exists.
    it('maps unknown credentials to ACCESS_DENIED without retrying', async () => {
      const keyId = process.env.AWS_ACCESS_KEY_ID;
      process.env.AWS_ACCESS_KEY_ID = 'NOT-A-KEY';
      const counter = createByteCounter();
      // A region of its own gives a fresh client, which reads the credentials anew.
      const src = openByteSource(s3.uri('iris/units.nc'), {
        s3: { region: 'ap-south-1' },
        counter,
        retry: FAST_RETRY,
      });
      try {
        const error = await rejection(src.getRange(0, 8));
        expect(error.code).toBe('ACCESS_DENIED');
        expect(error.message).toContain(s3.uri('iris/units.nc'));
        expect(error.message).toContain('InvalidAccessKeyId');
        expect(counter.requests).toBe(1);
      } finally {
        process.env.AWS_ACCESS_KEY_ID = keyId;
        await src.close();
      }
    });

    it('honours abort: ABORTED, nothing fetched', async () => {
      const counter = createByteCounter();
      const src = openByteSource(s3.uri('iris/big.nc'), { counter });
      const error = await rejection(src.getRange(0, 8, { signal: AbortSignal.abort() }));
      expect(error.code).toBe('ABORTED');
      expect(counter.requests).toBe(0);
      await src.close();
    });
  });

  it('retries a refused connection, then fails with READ_FAILED', async () => {
    const counter = createByteCounter();
    const src = openByteSource(s3.uri('iris/units.nc'), {
      s3: { endpoint: 'http://127.0.0.1:1' },
      retry: { ...FAST_RETRY, retries: 2 },
      counter,
    });
    await expectGaveUp(src.getRange(0, 8), 3);
    expect(counter.requests).toBe(3);
    await src.close();
  });
});

describe('S3 configuration', () => {
  it('parses s3://bucket/key literally and rejects URIs without a key', () => {
    expect(parseS3Uri('s3://bkt/a/b%20c.nc')).toEqual({ bucket: 'bkt', key: 'a/b%20c.nc' });
    expect(() => parseS3Uri('s3://bkt')).toThrow(ByteSourceError);
    expect(() => parseS3Uri('s3://bkt/')).toThrow(/s3:\/\/bucket\/key/);
  });

  it('takes the endpoint from options, CUBEMARK_S3_ENDPOINT, then AWS_ENDPOINT_URL_S3', () => {
    expect(resolveS3Config({}, {})).toEqual({ endpoint: undefined, region: 'us-east-1', forcePathStyle: false });
    expect(resolveS3Config({}, { AWS_ENDPOINT_URL_S3: 'http://b', AWS_REGION: 'eu-west-2' })).toEqual({
      endpoint: 'http://b',
      region: 'eu-west-2',
      forcePathStyle: true,
    });
    expect(resolveS3Config({}, { CUBEMARK_S3_ENDPOINT: 'http://a', AWS_ENDPOINT_URL_S3: 'http://b' }).endpoint).toBe(
      'http://a',
    );
    const explicit = { endpoint: 'http://c', forcePathStyle: false, region: 'x' };
    expect(resolveS3Config(explicit, { CUBEMARK_S3_ENDPOINT: 'http://a' })).toEqual(explicit);
  });
});
