import { mkdtemp, readdir, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ByteSourceError, IndexError } from '../../src/errors.js';
import { createByteCounter } from '../../src/bytes/counting.js';
import { LocalByteSource } from '../../src/bytes/local.js';
import { openByteSource } from '../../src/bytes/open.js';
import { BIG, BIG_BYTES, IRIS, SMALL, SMALL_BYTES } from './fixtures.js';
import { rejection } from '../helpers/rejection.js';
import { expectAbsent } from '../helpers/byte-source-errors.js';

/** File descriptors of this process open on `path` (Linux /proc). */
async function openDescriptors(path: string): Promise<number> {
  let n = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target === path) n += 1;
  }
  return n;
}

describe('LocalByteSource', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cubemark-local-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a range by position and fetches only those bytes from a 1.7 MB file', async () => {
    const counter = createByteCounter();
    const src = new LocalByteSource(BIG, { counter });
    const got = await src.getRange(1_000_000, 100);
    expect(got).toEqual(BIG_BYTES.subarray(1_000_000, 1_000_100));
    expect(counter).toEqual({ requests: 1, bytes: 100 });
    await src.close();
  });

  it('reads the whole object with get', async () => {
    const counter = createByteCounter();
    const src = new LocalByteSource(SMALL, { counter });
    expect(await src.get()).toEqual(SMALL_BYTES);
    expect(counter.bytes).toBe(SMALL_BYTES.length);
    await src.close();
  });

  it('stats size and an RFC 3339 mtime', async () => {
    const src = new LocalByteSource(SMALL);
    const s = await src.stat();
    const fsStat = await stat(SMALL);
    expect(s).toEqual({ size: SMALL_BYTES.length, mtime: fsStat.mtime.toISOString() });
    expect(s?.mtime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });

  it('accepts file: URIs', async () => {
    const uri = pathToFileURL(SMALL).href;
    const src = new LocalByteSource(uri);
    expect(src.uri).toBe(uri);
    expect(src.path).toBe(SMALL);
    expect(await src.getRange(0, 4)).toEqual(SMALL_BYTES.subarray(0, 4));
    await src.close();
  });

  it('rejects a file: URI with a remote host as BAD_URI', () => {
    const error = (() => {
      try {
        new LocalByteSource('file://otherhost/data/x.nc');
      } catch (e) {
        return e as ByteSourceError;
      }
    })();
    expect(error).toBeInstanceOf(ByteSourceError);
    expect(error?.code).toBe('BAD_URI');
  });

  it('treats a missing file as absent: get/stat undefined, getRange NOT_FOUND naming the path', async () => {
    const missing = join(dir, 'nope.nc');
    const src = new LocalByteSource(missing);
    await expectAbsent(src, missing, 0, 10);
  });

  it('does not cache a failed open: a file that appears later is read', async () => {
    const later = join(dir, 'later.bin');
    const src = new LocalByteSource(later);
    expect((await rejection(src.getRange(0, 3))).code).toBe('NOT_FOUND');
    await writeFile(later, new Uint8Array([1, 2, 3, 4]));
    expect(await src.getRange(1, 2)).toEqual(new Uint8Array([2, 3]));
    await src.close();
  });

  it('treats a directory as no object', async () => {
    const src = new LocalByteSource(IRIS);
    expect(await src.stat()).toBeUndefined();
    expect(await src.get()).toBeUndefined();
    const error = await rejection(src.getRange(0, 1));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('directory');
    await src.close();
  });

  it('returns fewer bytes only at end of file, and none past it', async () => {
    const src = new LocalByteSource(SMALL);
    const n = SMALL_BYTES.length;
    expect(await src.getRange(n - 10, 100)).toEqual(SMALL_BYTES.subarray(n - 10));
    expect((await src.getRange(n + 5, 10)).length).toBe(0);
    expect((await src.getRange(n, 1)).length).toBe(0);
    await src.close();
  });

  it('rejects negative or fractional ranges', async () => {
    const src = new LocalByteSource(SMALL);
    await expect(src.getRange(-1, 4)).rejects.toBeInstanceOf(IndexError);
    await expect(src.getRange(0, 1.5)).rejects.toBeInstanceOf(IndexError);
  });

  it('shares one lazily opened handle across concurrent reads, and close releases it', async () => {
    const src = new LocalByteSource(BIG);
    expect(await openDescriptors(BIG)).toBe(0);
    const offsets = Array.from({ length: 20 }, (_, i) => i * 50_000);
    const parts = await Promise.all(offsets.map((o) => src.getRange(o, 1000)));
    parts.forEach((p, i) => expect(p).toEqual(BIG_BYTES.subarray(offsets[i], offsets[i] + 1000)));
    expect(await openDescriptors(BIG)).toBe(1);
    await src.close();
    expect(await openDescriptors(BIG)).toBe(0);
    await src.close();
    // Usable again after close: the handle reopens on demand.
    expect(await src.getRange(0, 4)).toEqual(BIG_BYTES.subarray(0, 4));
    await src.close();
  });

  it('close waits for reads in flight rather than breaking them', async () => {
    const src = new LocalByteSource(BIG);
    await src.getRange(0, 1); // the handle is open
    // get() is two calls on the handle (fstat, then read): closing between them would fail the read with EBADF.
    const reads = Array.from({ length: 10 }, () => src.get());
    const closing = src.close();
    const results = await Promise.allSettled(reads);
    await closing;
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
  });
});

describe('openByteSource on local files', () => {
  it('honours an aborted signal: ABORTED, nothing read', async () => {
    const counter = createByteCounter();
    const src = openByteSource(BIG, { counter });
    const controller = new AbortController();
    controller.abort(new Error('user gave up'));
    const error = await rejection(src.getRange(0, 100, { signal: controller.signal }));
    expect(error).toBeInstanceOf(ByteSourceError);
    expect(error.code).toBe('ABORTED');
    expect(error.message).toContain(BIG);
    expect(counter).toEqual({ requests: 0, bytes: 0 });
    expect((await rejection(src.get({ signal: controller.signal }))).code).toBe('ABORTED');
    expect((await rejection(src.stat({ signal: controller.signal }))).code).toBe('ABORTED');
  });
});
