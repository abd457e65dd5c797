import { afterEach, describe, expect, it } from 'vitest';
import { ByteSourceError } from '../../src/errors.js';
import { createByteCounter, withCounter } from '../../src/bytes/counting.js';
import { TransientByteSourceError } from '../../src/bytes/failures.js';
import { withLimits } from '../../src/bytes/limits.js';
import { LocalByteSource } from '../../src/bytes/local.js';
import { openByteSource } from '../../src/bytes/open.js';
import type { ByteSource } from '../../src/bytes/types.js';
import { startHttpServer, type HttpTestServer } from '../helpers/http-server.js';
import { BIG, BIG_BYTES, BIG_REL, IRIS, SMALL, SMALL_BYTES } from './fixtures.js';
import { rejection } from '../helpers/rejection.js';

/** `readSync`: synchronous reads on an open local file, passed through the wrappers that can pass them. */
describe('readSync', () => {
  let server: HttpTestServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('on a local file: undefined until the handle is open, then the bytes, counted like getRange', async () => {
    const counter = createByteCounter();
    const src = new LocalByteSource(BIG, { counter });
    expect(src.readSync(1000, 10)).toBeUndefined();
    expect(counter).toEqual({ requests: 0, bytes: 0 });
    await src.getRange(0, 4);
    expect(src.readSync(1_000_000, 100)).toEqual(BIG_BYTES.subarray(1_000_000, 1_000_100));
    expect(counter).toEqual({ requests: 2, bytes: 104 });
    // Fewer bytes only at end of file, none past it.
    const n = BIG_BYTES.length;
    expect(src.readSync(n - 10, 100)).toEqual(BIG_BYTES.subarray(n - 10));
    expect(src.readSync(n + 5, 10)?.length).toBe(0);
    await src.close();
    // Closed: undefined again until a getRange reopens the file.
    expect(src.readSync(0, 4)).toBeUndefined();
    await src.getRange(0, 1);
    expect(src.readSync(0, 4)).toEqual(BIG_BYTES.subarray(0, 4));
    await src.close();
  });

  it('checks the range and the signal as getRange does', async () => {
    const src = new LocalByteSource(SMALL);
    await src.getRange(0, 1);
    expect(() => src.readSync(-1, 4)).toThrow(/offset/);
    const controller = new AbortController();
    controller.abort(new Error('gave up'));
    expect(() => src.readSync(0, 4, { signal: controller.signal })).toThrow('gave up');
    await src.close();
  });

  it('a directory read synchronously is NOT_FOUND, as by getRange', async () => {
    const src = new LocalByteSource(IRIS);
    // Linux opens a directory for reading; the read then fails (EISDIR).
    expect((await rejection(src.getRange(0, 1))).code).toBe('NOT_FOUND');
    expect(() => src.readSync(0, 1)).toThrow(/directory/);
    await src.close();
  });

  it('passes through the limits and coalescing layers of an opened local source, aborts as ABORTED', async () => {
    const counter = createByteCounter();
    const src = openByteSource(SMALL, { counter });
    expect(src.readSync).toBeTypeOf('function');
    expect(src.readSync?.(0, 8)).toBeUndefined();
    await src.getRange(0, 8);
    expect(src.readSync?.(8, 8)).toEqual(SMALL_BYTES.subarray(8, 16));
    expect(counter).toEqual({ requests: 2, bytes: 16 });
    const controller = new AbortController();
    controller.abort(new Error('gave up'));
    const error = (() => {
      try {
        src.readSync?.(0, 8, { signal: controller.signal });
      } catch (e) {
        return e as ByteSourceError;
      }
    })();
    expect(error).toBeInstanceOf(ByteSourceError);
    expect(error?.code).toBe('ABORTED');
    expect(counter.requests).toBe(2);
    await src.close();
  });

  it('is absent on HTTP sources, so callers use getRange', async () => {
    server = await startHttpServer(IRIS);
    const src = openByteSource(`${server.url}/${BIG_REL}`);
    expect(src.readSync).toBeUndefined();
    expect(new LocalByteSource(BIG).readSync).toBeTypeOf('function');
    await src.close();
  });

  it('limits: a transient failure answers undefined (getRange retries it), a definite one throws', () => {
    let failure: Error = new TransientByteSourceError('mem://x', 'EAGAIN');
    const inner: ByteSource = {
      uri: 'mem://x',
      stat: async () => ({ size: 10 }),
      get: async () => new Uint8Array(10),
      getRange: async (offset, length) => new Uint8Array(length),
      readSync: () => {
        throw failure;
      },
      close: async () => undefined,
    };
    const limited = withLimits(inner);
    expect(limited.readSync?.(0, 4)).toBeUndefined();
    failure = new ByteSourceError('ACCESS_DENIED', 'mem://x', 'permission denied');
    expect(() => limited.readSync?.(0, 4)).toThrow(/permission denied/);
    // A source without readSync gives a wrapper without it.
    expect(withLimits({ ...inner, readSync: undefined }).readSync).toBeUndefined();
  });

  it('withCounter counts each synchronous read and passes it only when the source has one', async () => {
    const local = new LocalByteSource(SMALL);
    await local.getRange(0, 1);
    const counted = withCounter(local);
    expect(counted.readSync?.(0, 6)).toEqual(SMALL_BYTES.subarray(0, 6));
    expect(counted.counter).toEqual({ requests: 1, bytes: 6 });
    server = await startHttpServer(IRIS);
    expect(withCounter(openByteSource(`${server.url}/${BIG_REL}`)).readSync).toBeUndefined();
    await local.close();
  });
});
