import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ByteSourceError } from '../../src/errors.js';
import { createByteCounter } from '../../src/bytes/counting.js';
import { openByteSource } from '../../src/bytes/open.js';
import { createSourcePool } from '../../src/bytes/pool.js';
import { createSourcePolicy, credentialsIn, isNonPublicAddress } from '../../src/bytes/policy.js';
import { loadPublication } from '../../src/cf/load.js';
import { startHttpServer, type HttpTestServer } from '../helpers/http-server.js';
import { rejection } from '../helpers/rejection.js';
import { IRIS, SMALL, SMALL_BYTES, SMALL_REL } from './fixtures.js';

async function refusal(promise: Promise<unknown>): Promise<ByteSourceError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(ByteSourceError);
  return error as ByteSourceError;
}

describe('source policy: local data roots', () => {
  let dir: string;
  let root: string;
  let outside: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cubemark-policy-'));
    root = join(dir, 'root');
    outside = join(dir, 'outside');
    await mkdir(join(root, 'sub'), { recursive: true });
    await mkdir(outside);
    await writeFile(join(root, 'sub', 'in.txt'), 'inside');
    await writeFile(join(outside, 'secret.txt'), 'root:x:0:0:secret');
    await symlink(join(outside, 'secret.txt'), join(root, 'escape.txt'));
    await symlink(join(root, 'sub', 'in.txt'), join(root, 'alias.txt'));
    await symlink(IRIS, join(root, 'iris'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads a file under a root, by path and by file: URI', async () => {
    const policy = createSourcePolicy({ roots: [root] });
    expect(new TextDecoder().decode(await openByteSource(join(root, 'sub', 'in.txt'), { policy }).getRange(0, 100))).toBe('inside');
    expect(await openByteSource(pathToFileURL(join(root, 'sub', 'in.txt')).href, { policy }).stat()).toMatchObject({ size: 6 });
  });

  it('refuses /etc/passwd, reading not one byte of it', async () => {
    const counter = createByteCounter();
    const pool = createSourcePool({ policy: createSourcePolicy({ roots: [root] }), counter });
    const error = await refusal(pool.open('/etc/passwd').getRange(0, 1024));
    expect(error.code).toBe('SOURCE_NOT_ALLOWED');
    expect(error.message).toContain('/etc/passwd');
    expect(error.message).toContain('outside the server');
    expect(error.message).not.toMatch(/root:x/);
    expect((await refusal(pool.open('/etc/passwd').stat())).code).toBe('SOURCE_NOT_ALLOWED');
    expect((await refusal(pool.open('/etc/passwd').get())).code).toBe('SOURCE_NOT_ALLOWED');
    expect(counter.bytes).toBe(0);
  });

  it('refuses .. that climbs out of a root, and a symlink pointing out of it', async () => {
    const policy = createSourcePolicy({ roots: [root] });
    const climb = await refusal(openByteSource(`${root}/sub/../../outside/secret.txt`, { policy }).getRange(0, 10));
    expect(climb.code).toBe('SOURCE_NOT_ALLOWED');
    const link = await refusal(openByteSource(join(root, 'escape.txt'), { policy }).getRange(0, 10));
    expect(link.code).toBe('SOURCE_NOT_ALLOWED');
    // Relative URIs resolve against a pool's base first.
    const pool = createSourcePool({ base: root, policy });
    expect((await refusal(pool.open('../outside/secret.txt').getRange(0, 10))).code).toBe('SOURCE_NOT_ALLOWED');
    expect(new TextDecoder().decode(await pool.open('sub/in.txt').getRange(0, 10))).toBe('inside');
  });

  it('follows a symlink that stays inside a root, and one into another root', async () => {
    const policy = createSourcePolicy({ roots: [root, IRIS] });
    expect(new TextDecoder().decode(await openByteSource(join(root, 'alias.txt'), { policy }).getRange(0, 10))).toBe('inside');
    expect(await openByteSource(join(root, 'iris', SMALL_REL), { policy }).getRange(0, 16)).toEqual(SMALL_BYTES.subarray(0, 16));
    // The same link without IRIS as a root points outside.
    const only = createSourcePolicy({ roots: [root] });
    expect((await refusal(openByteSource(join(root, 'iris', SMALL_REL), { policy: only }).getRange(0, 16))).code).toBe('SOURCE_NOT_ALLOWED');
  });

  it('says the same of a missing file outside the roots as of an existing one, and NOT_FOUND inside', async () => {
    const policy = createSourcePolicy({ roots: [root] });
    const missing = await refusal(openByteSource('/etc/no-such-file-here', { policy }).getRange(0, 10));
    const present = await refusal(openByteSource('/etc/hostname', { policy }).getRange(0, 10));
    expect(missing.code).toBe('SOURCE_NOT_ALLOWED');
    expect(present.message.replace('/etc/hostname', 'X')).toBe(missing.message.replace('/etc/no-such-file-here', 'X'));
    expect((await refusal(openByteSource(join(root, 'nope.nc'), { policy }).getRange(0, 10))).code).toBe('NOT_FOUND');
  });

  it('with no roots, refuses every local file and says how to allow some', async () => {
    const error = await refusal(openByteSource(SMALL, { policy: createSourcePolicy() }).getRange(0, 10));
    expect(error.message).toContain('--data-root');
  });

  it("makes loadPublication refuse a file outside the roots with the policy's error, not a detection failure", async () => {
    const pool = createSourcePool({ policy: createSourcePolicy({ roots: [root] }) });
    const error = await rejection(loadPublication(['/etc/passwd'], { pool }));
    expect((error as ByteSourceError).code).toBe('SOURCE_NOT_ALLOWED');
    expect((error as Error).message).not.toMatch(/72 6f 6f 74|root:x/);
    const zarr = await rejection(loadPublication([join(outside, 'x.zarr')], { pool }));
    expect((zarr as ByteSourceError).code).toBe('SOURCE_NOT_ALLOWED');
  });
});

describe('source policy: URLs', () => {
  let server: HttpTestServer;
  /** A second server that redirects wherever `target` says. */
  let redirector: Server;
  let redirectUrl: string;
  let target = '';
  beforeAll(async () => {
    server = await startHttpServer(IRIS);
    redirector = createServer((req, res) => {
      res.writeHead(302, { location: target });
      res.end();
    });
    await new Promise<void>((done) => redirector.listen(0, '127.0.0.1', done));
    redirectUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await server.stop();
    await new Promise((done) => redirector.close(done));
  });
  beforeEach(() => server.reset());

  const port = () => new URL(server.url).port;

  it('reads from a loopback server that an allowed URL names by address', async () => {
    const policy = createSourcePolicy({ allowUrls: [`${server.url}/NetCDF/`] });
    expect(await openByteSource(`${server.url}/${SMALL_REL}`, { policy }).getRange(0, 16)).toEqual(SMALL_BYTES.subarray(0, 16));
    await policy.close();
  });

  it('reads through localhost when the allowed URL says localhost', async () => {
    const policy = createSourcePolicy({ allowUrls: [`http://localhost:${port()}/`] });
    expect(await openByteSource(`http://localhost:${port()}/${SMALL_REL}`, { policy }).getRange(0, 16)).toEqual(SMALL_BYTES.subarray(0, 16));
    await policy.close();
  });

  it('refuses a URL under no allowed prefix, and one that climbs out of it with %2e%2e, before any request', async () => {
    const policy = createSourcePolicy({ allowUrls: [`${server.url}/NetCDF/testing/`] });
    const other = await refusal(openByteSource(`${server.url}/NetCDF/label_and_climate/x.nc`, { policy }).getRange(0, 16));
    expect(other.code).toBe('SOURCE_NOT_ALLOWED');
    const climb = await refusal(openByteSource(`${server.url}/NetCDF/testing/%2e%2e/label_and_climate/x.nc`, { policy }).getRange(0, 16));
    expect(climb.code).toBe('SOURCE_NOT_ALLOWED');
    const prefixTrick = createSourcePolicy({ allowUrls: [`${server.url}/NetCDF/test`] });
    expect((await refusal(openByteSource(`${server.url}/NetCDF/testing/units.nc`, { policy: prefixTrick }).stat())).code).toBe('SOURCE_NOT_ALLOWED');
    expect(server.requests).toEqual([]);
    await policy.close();
  });

  it('refuses a host whose name resolves to a loopback address (DNS rebinding), without connecting', async () => {
    const policy = createSourcePolicy({
      allowUrls: [`http://data.example.test:${port()}/`],
      lookup: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    const error = await refusal(openByteSource(`http://data.example.test:${port()}/${SMALL_REL}`, { policy, retry: { retries: 0 } }).getRange(0, 16));
    expect(error.code).toBe('SOURCE_NOT_ALLOWED');
    expect(error.message).toContain('127.0.0.1');
    expect(server.requests).toEqual([]);
    await policy.close();
  });

  it('refuses a name whose every address is private or link-local, asking DNS once', async () => {
    const seen: string[] = [];
    const policy = createSourcePolicy({
      allowUrls: [`http://mixed.example.test:${port()}/`],
      lookup: async (host) => {
        seen.push(host);
        return [{ address: '10.0.0.7', family: 4 }, { address: '169.254.169.254', family: 4 }];
      },
    });
    const error = await refusal(openByteSource(`http://mixed.example.test:${port()}/${SMALL_REL}`, { policy, retry: { retries: 0 } }).stat());
    expect(error.code).toBe('SOURCE_NOT_ALLOWED');
    expect(seen).toEqual(['mixed.example.test']);
    await policy.close();
  });

  it('refuses the metadata address and private literals unless named, without connecting', async () => {
    const policy = createSourcePolicy({ allowUrls: ['http://169.254.169.254/', 'http://10.1.2.3/'] });
    // Named explicitly: allowed by the policy (the fetch itself would then go out; only the decision is tested).
    expect(policy.addressAllowed(new URL('http://169.254.169.254/latest'), '169.254.169.254')).toBe(true);
    const broad = createSourcePolicy({ allowUrls: [`http://metadata.example.test/`] });
    expect(broad.addressAllowed(new URL('http://metadata.example.test/'), '169.254.169.254')).toBe(false);
    expect(broad.addressAllowed(new URL('http://metadata.example.test/'), '::ffff:127.0.0.1')).toBe(false);
    expect(broad.addressAllowed(new URL('http://metadata.example.test/'), 'fd00:ec2::254')).toBe(false);
    expect(broad.addressAllowed(new URL('http://metadata.example.test/'), '93.184.215.14')).toBe(true);
    await policy.close();
  });

  it('checks every redirect: off the allowed prefixes, or to an address not named, is refused', async () => {
    const policy = createSourcePolicy({ allowUrls: [`${redirectUrl}/`, `${server.url}/NetCDF/testing/`] });
    // Allowed: a redirect to the data server under its allowed prefix.
    target = `${server.url}/${SMALL_REL}`;
    expect(await openByteSource(`${redirectUrl}/x`, { policy }).getRange(0, 16)).toEqual(SMALL_BYTES.subarray(0, 16));
    // Refused: off the prefix.
    target = `${server.url}/NetCDF/label_and_climate/small_FC_167_mon_19601101.nc`;
    expect((await refusal(openByteSource(`${redirectUrl}/y`, { policy }).getRange(0, 16))).code).toBe('SOURCE_NOT_ALLOWED');
    // Refused: to the loopback through a name (rebinding by redirect).
    target = `http://localhost:${port()}/${SMALL_REL}`;
    expect((await refusal(openByteSource(`${redirectUrl}/z`, { policy }).getRange(0, 16))).code).toBe('SOURCE_NOT_ALLOWED');
    // Refused: to the metadata address.
    target = 'http://169.254.169.254/latest/meta-data/';
    expect((await refusal(openByteSource(`${redirectUrl}/m`, { policy }).getRange(0, 16))).code).toBe('SOURCE_NOT_ALLOWED');
    expect(server.requests.map((r) => r.path)).toEqual([`/${SMALL_REL}`]);
    await policy.close();
  });

  it('holds s3:// URIs to their bucket and prefix', async () => {
    const policy = createSourcePolicy({ allowUrls: ['s3://bucket/pub/'] });
    expect(() => policy.checkRemote('s3://bucket/pub/a.nc')).not.toThrow();
    expect(() => policy.checkRemote('s3://BUCKET/pub/a.nc')).not.toThrow();
    for (const uri of ['s3://bucket/private/a.nc', 's3://bucket/pub/../private/a.nc', 's3://other/pub/a.nc', 's3://bucket/pubx/a.nc']) {
      expect(() => policy.checkRemote(uri), uri).toThrow(expect.objectContaining({ code: 'SOURCE_NOT_ALLOWED' }));
    }
    const whole = createSourcePolicy({ allowUrls: ['s3://bucket'] });
    expect(() => whole.checkRemote('s3://bucket/any/key.nc')).not.toThrow();
    expect(() => whole.checkRemote('s3://bucket2/key.nc')).toThrow();
  });

  it('refuses URIs that carry credentials, without echoing them', async () => {
    const policy = createSourcePolicy({ allowUrls: [`${server.url}/`] });
    const error = await refusal(openByteSource(`http://alice:hunter2@127.0.0.1:${port()}/${SMALL_REL}`, { policy }).stat());
    expect(error.code).toBe('CREDENTIALS_IN_URI');
    expect(error.message).not.toContain('hunter2');
    expect(credentialsIn('https://h/x.nc?X-Amz-Signature=abc&X-Amz-Credential=k')).toContain('X-Amz-Signature');
    expect(credentialsIn('s3://AKIA:secret@bucket/x.nc')).toBeDefined();
    expect(credentialsIn('https://h/x.nc?time=3')).toBeUndefined();
    expect(credentialsIn('/data/user@host/x.nc')).toBeUndefined();
  });

  it('classifies addresses', () => {
    for (const a of ['127.0.0.1', '10.0.0.1', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.100.100.200', '::1', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1', '0.0.0.0', 'not-an-ip']) {
      expect(isNonPublicAddress(a), a).toBe(true);
    }
    for (const a of ['93.184.215.14', '2606:2800:220:1::1']) expect(isNonPublicAddress(a), a).toBe(false);
  });
});
