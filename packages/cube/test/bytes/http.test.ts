import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ByteSourceError } from '../../src/errors.js';
import { createByteCounter } from '../../src/bytes/counting.js';
import { HttpByteSource, type ByteSourceWarning } from '../../src/bytes/http.js';
import { openByteSource } from '../../src/bytes/open.js';
import { startHttpServer } from '../helpers/http-server.js';
import { httpServerForSuite } from '../helpers/http-suite.js';
import { BIG, BIG_BYTES, BIG_REL, FAST_RETRY, IRIS, SMALL_BYTES, SMALL_REL } from './fixtures.js';
import { rejection } from '../helpers/rejection.js';
import { expectAbsent } from '../helpers/byte-source-errors.js';

describe('HTTP byte source against a Range-capable server', () => {
  const server = httpServerForSuite(IRIS);

  it('reads a range with one bytes=a-b request and fetches only those bytes', async () => {
    const counter = createByteCounter();
    const src = openByteSource(`${server.url}/${BIG_REL}`, { counter });
    expect(await src.getRange(1_000_000, 4096)).toEqual(BIG_BYTES.subarray(1_000_000, 1_004_096));
    expect(server.requests).toEqual([
      { method: 'GET', path: `/${BIG_REL}`, range: 'bytes=1000000-1004095', status: 206, bytes: 4096 },
    ]);
    expect(counter).toEqual({ requests: 1, bytes: 4096 });
  });

  it('gets a whole object', async () => {
    const src = openByteSource(`${server.url}/${SMALL_REL}`);
    expect(await src.get()).toEqual(SMALL_BYTES);
    expect(server.requests.map((r) => [r.method, r.range, r.status])).toEqual([['GET', undefined, 200]]);
  });

  it('stats with HEAD: size, RFC 3339 mtime, ETag', async () => {
    const src = openByteSource(`${server.url}/${BIG_REL}`);
    const s = await src.stat();
    const fsStat = await stat(BIG);
    expect(s?.size).toBe(BIG_BYTES.length);
    // Last-Modified has whole seconds.
    expect(s?.mtime).toBe(new Date(Math.floor(fsStat.mtimeMs / 1000) * 1000).toISOString());
    expect(s?.etag).toMatch(/^".+"$/);
    expect(server.requests.map((r) => r.method)).toEqual(['HEAD']);
  });

  it('falls back to a one-byte GET when HEAD is refused', async () => {
    const noHead = await startHttpServer(IRIS, { noHead: true });
    try {
      const src = openByteSource(`${noHead.url}/${SMALL_REL}`);
      const s = await src.stat();
      expect(s?.size).toBe(SMALL_BYTES.length);
      expect(s?.etag).toBeDefined();
      expect(noHead.requests.map((r) => [r.method, r.range, r.status])).toEqual([
        ['HEAD', undefined, 405],
        ['GET', 'bytes=0-0', 206],
      ]);
    } finally {
      await noHead.stop();
    }
  });

  it('treats 404 as absent without retrying: stat/get undefined, getRange NOT_FOUND', async () => {
    const uri = `${server.url}/NetCDF/missing.nc`;
    const src = openByteSource(uri, { retry: FAST_RETRY });
    await expectAbsent(src, uri, 10, 20);
    expect(server.requests.map((r) => r.status)).toEqual([404, 404, 404]);
  });

  it('maps 403 to ACCESS_DENIED without retrying', async () => {
    const guarded = await startHttpServer(IRIS, { respond: (r) => (r.path.includes('units') ? 403 : undefined) });
    try {
      const src = openByteSource(`${guarded.url}/${SMALL_REL}`, { retry: FAST_RETRY });
      const error = await rejection(src.getRange(0, 10));
      expect(error.code).toBe('ACCESS_DENIED');
      expect(error.message).toContain('403');
      expect(guarded.requests).toHaveLength(1);
    } finally {
      await guarded.stop();
    }
  });

  it('returns fewer bytes only at the end of the object, and none past it (416)', async () => {
    const src = openByteSource(`${server.url}/${SMALL_REL}`);
    const n = SMALL_BYTES.length;
    expect(await src.getRange(n - 10, 100)).toEqual(SMALL_BYTES.subarray(n - 10));
    expect((await src.getRange(n + 100, 10)).length).toBe(0);
    expect(server.requests.map((r) => r.status)).toEqual([206, 416]);
  });

  it('rejects a malformed URL as BAD_URI', () => {
    expect(() => new HttpByteSource('http://[bad')).toThrow(ByteSourceError);
  });
});

describe('HTTP byte source against a server that ignores Range', () => {
  const server = httpServerForSuite(IRIS, { ignoreRange: true });

  it('slices a small whole body, warns once, and serves later reads from it', async () => {
    const warnings: ByteSourceWarning[] = [];
    const counter = createByteCounter();
    const uri = `${server.url}/${SMALL_REL}`;
    const backend = new HttpByteSource(uri, { counter, onWarning: (w) => warnings.push(w) });
    expect(await backend.getRange(100, 50)).toEqual(SMALL_BYTES.subarray(100, 150));
    expect(backend.rangeSupported).toBe(false);
    expect(await backend.getRange(1000, 10)).toEqual(SMALL_BYTES.subarray(1000, 1010));
    expect(server.requests.map((r) => [r.range, r.status])).toEqual([['bytes=100-149', 200]]);
    // What really crossed the network: the whole object, once.
    expect(counter).toEqual({ requests: 1, bytes: SMALL_BYTES.length });
    expect(warnings).toEqual([expect.objectContaining({ code: 'HTTP_RANGE_IGNORED', uri })]);
  });

  it('refuses a whole body larger than maxFullBodyBytes', async () => {
    const src = openByteSource(`${server.url}/${BIG_REL}`, { http: { maxFullBodyBytes: 100_000 } });
    const error = await rejection(src.getRange(0, 10));
    expect(error.code).toBe('READ_FAILED');
    expect(error.message).toMatch(/ignores Range/);
    expect(error.message).toContain(`${BIG_BYTES.length} bytes`);
    expect(server.requests).toHaveLength(1);
  });

  it('does not call a full answer to a range covering the whole object a Range problem', async () => {
    const warnings: ByteSourceWarning[] = [];
    const backend = new HttpByteSource(`${server.url}/${SMALL_REL}`, { onWarning: (w) => warnings.push(w) });
    expect(await backend.getRange(0, SMALL_BYTES.length + 10)).toEqual(SMALL_BYTES);
    expect(warnings).toEqual([]);
    expect(backend.rangeSupported).toBeUndefined();
  });
});
