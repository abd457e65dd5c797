import { readdir, readlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ByteSourceError, UnknownPluginError } from '../../src/errors.js';
import { createByteCounter } from '../../src/bytes/counting.js';
import { openByteSource } from '../../src/bytes/open.js';
import { createSourcePool } from '../../src/bytes/pool.js';
import { resolveUri, uriScheme } from '../../src/bytes/uri.js';
import type { PluginContext } from '../../src/readers/types.js';
import { startHttpServer, type HttpTestServer } from '../helpers/http-server.js';
import { BIG, BIG_BYTES, IRIS, SMALL, SMALL_BYTES, SMALL_REL } from './fixtures.js';
import { rejection } from '../helpers/rejection.js';

describe('resolveUri', () => {
  it.each([
    // absolute URIs and paths are kept
    ['s3://b/k.nc', '/data', 's3://b/k.nc'],
    ['https://h/x.nc', 's3://b/p/', 'https://h/x.nc'],
    ['/abs/x.nc', 's3://b/p/', '/abs/x.nc'],
    ['x.nc', undefined, 'x.nc'],
    // directory paths
    ['x.nc', '/data/store', '/data/store/x.nc'],
    ['../y/x.nc', '/data/store/', '/data/y/x.nc'],
    ['./a/./b.nc', 'rel/dir', 'rel/dir/a/b.nc'],
    // file: URIs
    ['sub/x y.nc', 'file:///data/store/', 'file:///data/store/sub/x%20y.nc'],
    // S3 prefixes, with or without trailing slash
    ['x.nc', 's3://bucket/prefix/', 's3://bucket/prefix/x.nc'],
    ['x.nc', 's3://bucket/prefix', 's3://bucket/prefix/x.nc'],
    ['../other/x.nc', 's3://bucket/a/b/', 's3://bucket/a/other/x.nc'],
    ['x.nc', 's3://bucket', 's3://bucket/x.nc'],
    ['store.zarr/', 's3://bucket/p/', 's3://bucket/p/store.zarr/'],
    // HTTP by URL rules
    ['x.nc', 'https://host/data', 'https://host/data/x.nc'],
    ['../x.nc?v=1', 'https://host/data/sub/', 'https://host/data/x.nc?v=1'],
  ])('%s against %s → %s', (uri, base, expected) => {
    expect(resolveUri(uri, base)).toBe(expected);
  });

  it('refuses to climb above an S3 bucket', () => {
    expect(() => resolveUri('../../x.nc', 's3://bucket/p/')).toThrow(ByteSourceError);
  });

  it('tells schemes from Windows drive letters', () => {
    expect(uriScheme('S3://b/k')).toBe('s3');
    expect(uriScheme('C:\\data\\x.nc')).toBeUndefined();
    expect(uriScheme('relative/x.nc')).toBeUndefined();
  });
});

describe('openByteSource', () => {
  let server: HttpTestServer;
  beforeAll(async () => {
    server = await startHttpServer(IRIS);
  });
  afterAll(() => server.stop());

  it('opens local paths, file: URIs and http URLs to the same bytes', async () => {
    for (const uri of [SMALL, pathToFileURL(SMALL).href, `${server.url}/${SMALL_REL}`]) {
      const src = openByteSource(uri);
      expect(src.uri).toBe(uri);
      expect(await src.getRange(16, 32)).toEqual(SMALL_BYTES.subarray(16, 48));
      await src.close();
    }
  });

  it('resolves a relative path against base, or else the working directory', async () => {
    const src = openByteSource(SMALL_REL, { base: IRIS });
    expect(src.uri).toBe(SMALL);
    expect(await src.get()).toEqual(SMALL_BYTES);
    await src.close();
    // Nothing is opened until the first read, so a source for a file that does not exist costs nothing.
    expect(openByteSource('x.nc').uri).toBe(join(process.cwd(), 'x.nc'));
  });

  it('resolves a relative path against an http base', async () => {
    const src = openByteSource(SMALL_REL, { base: `${server.url}/` });
    expect(src.uri).toBe(`${server.url}/${SMALL_REL}`);
    expect(await src.getRange(0, 4)).toEqual(SMALL_BYTES.subarray(0, 4));
  });

  it('throws UnknownPluginError for an unknown scheme', () => {
    let error: unknown;
    try {
      openByteSource('ftp://host/x.nc');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownPluginError);
    expect((error as UnknownPluginError).code).toBe('UNKNOWN_PLUGIN');
    expect((error as Error).message).toContain("'ftp'");
  });

  it('throws BAD_URI for an S3 URI without a key', () => {
    expect(() => openByteSource('s3://bucket-only')).toThrow(expect.objectContaining({ code: 'BAD_URI' }));
  });

  it('loads the AWS SDK only when an S3 source is used', async () => {
    const cache = createRequire(import.meta.url).cache;
    const sdkLoaded = () => Object.keys(cache).some((k) => k.includes('@aws-sdk/client-s3'));
    const local = openByteSource(SMALL);
    await local.getRange(0, 1);
    await local.close();
    await openByteSource(`${server.url}/${SMALL_REL}`).getRange(0, 1);
    expect(sdkLoaded()).toBe(false);
    const s3 = openByteSource('s3://bucket/x.nc', { s3: { endpoint: 'http://127.0.0.1:1' }, retry: { retries: 0 } });
    await rejection(s3.stat());
    expect(sdkLoaded()).toBe(true);
    await s3.close();
  });
});

describe('createSourcePool', () => {
  async function descriptorsOn(path: string): Promise<number> {
    let n = 0;
    for (const fd of await readdir('/proc/self/fd')) {
      if ((await readlink(`/proc/self/fd/${fd}`).catch(() => '')) === path) n += 1;
    }
    return n;
  }

  it('shares one source per resolved URI, counts every backend fetch, and closes handles', async () => {
    const pool = createSourcePool({ base: dirname(SMALL) });
    const a = pool.open('units.nc');
    expect(pool.open(SMALL)).toBe(a);
    expect(pool.open('./units.nc')).toBe(a);
    const big = pool.open(BIG);
    expect(big).not.toBe(a);

    await a.getRange(0, 100);
    await big.getRange(10_000, 500);
    await a.stat();
    expect(pool.counter).toEqual({ requests: 3, bytes: 600 });
    expect(await descriptorsOn(BIG)).toBe(1);

    await pool.close();
    expect(await descriptorsOn(BIG)).toBe(0);
    expect(await descriptorsOn(SMALL)).toBe(0);
    // A later open starts afresh.
    expect(pool.open(SMALL)).not.toBe(a);
    await pool.close();
  });

  it('serves as a PluginContext, counting into a given counter', async () => {
    const counter = createByteCounter();
    const pool = createSourcePool({ counter });
    const ctx: PluginContext = pool;
    const src = ctx.openSource(BIG);
    expect(await src.getRange(0, 8)).toEqual(BIG_BYTES.subarray(0, 8));
    expect(counter).toEqual({ requests: 1, bytes: 8 });
    expect(pool.counter).toBe(counter);
    await pool.close();
  });
});
