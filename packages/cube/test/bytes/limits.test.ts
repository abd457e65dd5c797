import { afterEach, describe, expect, it } from 'vitest';
import { ByteSourceError } from '../../src/errors.js';
import { createByteCounter } from '../../src/bytes/counting.js';
import { openByteSource } from '../../src/bytes/open.js';
import { startHttpServer, type HttpTestServer, type HttpServerOptions } from '../helpers/http-server.js';
import { BIG_BYTES, BIG_REL, FAST_RETRY, IRIS } from './fixtures.js';
import { rejection } from '../helpers/rejection.js';
import { expectGaveUp } from '../helpers/byte-source-errors.js';

/** Retries, timeouts, aborts and the concurrency bound, observed at a real HTTP server. */
describe('limits: retry, abort, concurrency', () => {
  let server: HttpTestServer | undefined;
  const start = async (options: HttpServerOptions) => (server = await startHttpServer(IRIS, options));
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('retries 503 with backoff, then succeeds', async () => {
    const s = await start({ failFirst: 2 });
    const counter = createByteCounter();
    const src = openByteSource(`${s.url}/${BIG_REL}`, { retry: FAST_RETRY, counter });
    expect(await src.getRange(500, 100)).toEqual(BIG_BYTES.subarray(500, 600));
    expect(s.requests.map((r) => [r.range, r.status])).toEqual([
      ['bytes=500-599', 503],
      ['bytes=500-599', 503],
      ['bytes=500-599', 206],
    ]);
    expect(counter).toEqual({ requests: 3, bytes: 100 });
  });

  it('retries 429 as well, for stat', async () => {
    const s = await start({ failFirst: 1, failStatus: 429 });
    const src = openByteSource(`${s.url}/${BIG_REL}`, { retry: FAST_RETRY });
    expect((await src.stat())?.size).toBe(BIG_BYTES.length);
    expect(s.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('gives up after the configured retries with READ_FAILED naming URI, range and attempts', async () => {
    const s = await start({ failFirst: 100 });
    const uri = `${s.url}/${BIG_REL}`;
    const src = openByteSource(uri, { retry: { ...FAST_RETRY, retries: 2 } });
    await expectGaveUp(src.getRange(0, 8), 3, uri, 'bytes 0-7', '503');
    expect(s.requests).toHaveLength(3);
  });

  it('uses 4 retries by default', async () => {
    const s = await start({ failFirst: 100 });
    const src = openByteSource(`${s.url}/${BIG_REL}`, { retry: { minTimeout: 5, maxTimeout: 5 } });
    expect((await rejection(src.getRange(0, 8))).code).toBe('READ_FAILED');
    expect(s.requests).toHaveLength(5);
  });

  it('does not retry 404', async () => {
    const s = await start({});
    const src = openByteSource(`${s.url}/NetCDF/none.nc`, { retry: FAST_RETRY });
    expect((await rejection(src.getRange(0, 8))).code).toBe('NOT_FOUND');
    expect(s.requests).toHaveLength(1);
  });

  it('retries a refused connection as a network failure', async () => {
    const s = await start({});
    const url = `${s.url}/${BIG_REL}`;
    await s.stop();
    server = undefined;
    const counter = createByteCounter();
    const src = openByteSource(url, { retry: { ...FAST_RETRY, retries: 1 }, counter });
    await expectGaveUp(src.getRange(0, 8), 2, 'network error');
    expect(counter.requests).toBe(2);
  });

  it('times out a stalled attempt and retries it', async () => {
    const s = await start({ delayMs: 2000 });
    const src = openByteSource(`${s.url}/${BIG_REL}`, { timeoutMs: 50, retry: { ...FAST_RETRY, retries: 1 } });
    const error = await rejection(src.getRange(0, 8));
    expect(error.code).toBe('READ_FAILED');
    expect(error.message).toContain('no answer within 50 ms');
    expect(s.requests).toHaveLength(2);
    expect(s.requests.every((r) => r.status === 0)).toBe(true);
  });

  it('does not time out get: a whole object may rightly take long', async () => {
    const s = await start({ delayMs: 300 });
    const src = openByteSource(`${s.url}/${BIG_REL}`, { timeoutMs: 50, retry: { ...FAST_RETRY, retries: 0 } });
    expect((await src.get())?.length).toBe(BIG_BYTES.length);
    expect((await rejection(src.stat())).message).toContain('no answer within 50 ms');
  });

  it('rejects invalid ranges as a rejected promise, not a synchronous throw', async () => {
    const s = await start({});
    const src = openByteSource(`${s.url}/${BIG_REL}`);
    await expect(src.getRange(-1, 8)).rejects.toThrow(/non-negative integers/);
    await expect(src.getRange(0, Number.NaN)).rejects.toThrow(/non-negative integers/);
    expect(s.requests).toHaveLength(0);
  });

  it('rejects with ABORTED as soon as the caller aborts, without waiting for the server', async () => {
    const s = await start({ delayMs: 5000 });
    const src = openByteSource(`${s.url}/${BIG_REL}`);
    const controller = new AbortController();
    const read = src.getRange(0, 8, { signal: controller.signal });
    while (s.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const reason = new Error('user cancelled');
    controller.abort(reason);
    const error = await rejection(read);
    expect(error).toBeInstanceOf(ByteSourceError);
    expect(error.code).toBe('ABORTED');
    expect(error.cause).toBe(reason);
    expect(error.message).toContain('bytes 0-7');
    // The server had not answered yet: the rejection did not wait for it.
    expect(s.requests[0].status).toBe(0);
  });

  it('does not send a request for an already aborted signal', async () => {
    const s = await start({});
    const src = openByteSource(`${s.url}/${BIG_REL}`);
    const signal = AbortSignal.abort();
    expect((await rejection(src.getRange(0, 8, { signal }))).code).toBe('ABORTED');
    expect((await rejection(src.stat({ signal }))).code).toBe('ABORTED');
    expect((await rejection(src.get({ signal }))).code).toBe('ABORTED');
    expect(s.requests).toHaveLength(0);
  });

  it('stops retrying when aborted during backoff', async () => {
    const s = await start({ failFirst: 100 });
    const src = openByteSource(`${s.url}/${BIG_REL}`, { retry: { minTimeout: 60_000, randomize: false } });
    const controller = new AbortController();
    const read = src.getRange(0, 8, { signal: controller.signal });
    while (s.requests.length === 0 || s.requests[0].status === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    expect((await rejection(read)).code).toBe('ABORTED');
    expect(s.requests).toHaveLength(1);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const s = await start({ delayMs: 40 });
    const src = openByteSource(`${s.url}/${BIG_REL}`, { concurrency: 3, coalesce: false });
    const offsets = Array.from({ length: 12 }, (_, i) => i * 100_000);
    const parts = await Promise.all(offsets.map((o) => src.getRange(o, 64)));
    parts.forEach((p, i) => expect(p).toEqual(BIG_BYTES.subarray(offsets[i], offsets[i] + 64)));
    expect(s.requests).toHaveLength(12);
    expect(s.maxInFlight).toBe(3);
  });

  it('bounds concurrency at 8 by default', async () => {
    const s = await start({ delayMs: 40 });
    const src = openByteSource(`${s.url}/${BIG_REL}`, { coalesce: false });
    await Promise.all(Array.from({ length: 16 }, (_, i) => src.getRange(i * 100_000, 64)));
    expect(s.maxInFlight).toBe(8);
  });

  it('does not hold a concurrency slot while waiting to retry', async () => {
    // The first request fails and waits a long backoff; with one slot, the second must still go through.
    const s = await start({ failFirst: 1 });
    const src = openByteSource(`${s.url}/${BIG_REL}`, {
      concurrency: 1,
      coalesce: false,
      retry: { minTimeout: 60_000, randomize: false },
    });
    const controller = new AbortController();
    const stuck = src.getRange(0, 8, { signal: controller.signal });
    while (s.requests.length === 0 || s.requests[0].status === 0) await new Promise((r) => setTimeout(r, 5));
    expect(await src.getRange(1_000_000, 8)).toEqual(BIG_BYTES.subarray(1_000_000, 1_000_008));
    controller.abort();
    expect((await rejection(stuck)).code).toBe('ABORTED');
  });
});
