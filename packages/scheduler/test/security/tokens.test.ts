import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from '@cubemark/format';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Logger, SchedulerPlugin } from '../../src/index.js';
import { inlinePublication } from '../helpers/publications.js';
import { errorOf, startServer, type Running } from '../helpers/server.js';

const WRITE = 'write-token-0123456789abcdef';
const READ = 'read-token-0123456789abcdef';
const ALICE = 'alice-writes-9f8e7d6c5b4a';
const BOB = 'bob-reads-1a2b3c4d5e6f';
const CAROL = 'carol-rotated-in-7777777';

/** Everything logged and everything published, to look for tokens in. */
const logged: string[] = [];
const log: Logger = { info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m) };
const published: string[] = [];
const recorder: SchedulerPlugin = { name: 'recorder', publish: (e) => void published.push(serialize(e.publication, { body: e.body })) };

let dir: string;
let tokensFile: string;
const sha = (t: string) => createHash('sha256').update(t).digest('hex');

async function writeTokens(entries: unknown): Promise<void> {
  await writeFile(tokensFile, JSON.stringify({ tokens: entries }));
}

const doc = (name: string) => serialize(inlinePublication(name));
const publish = (srv: Running, name: string, token?: string) =>
  srv.call('/publications', { method: 'POST', body: doc(name), headers: { 'content-type': 'text/markdown' }, auth: token ?? false });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cubemark-tokens-'));
  tokensFile = join(dir, 'tokens.json');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  const everything = [...logged, ...published].join('\n');
  for (const t of [WRITE, READ, ALICE, BOB, CAROL]) expect(everything).not.toContain(t);
});

describe('read and write scopes', () => {
  let srv: Running;
  beforeAll(async () => {
    srv = await startServer({ token: WRITE, readToken: READ, log, plugins: [recorder] });
  });
  afterAll(() => srv.close());

  test('with a read token configured, reads need a token; health and the OpenAPI document stay open', async () => {
    expect(await publish(srv, 'scoped', WRITE)).toMatchObject({ status: 201 });
    for (const path of ['/publications', '/publications/scoped', '/publications/scoped.md', '/publications/scoped/cubes/0', '/publications/scoped/cubes/0/data?format=json', '/resident']) {
      const none = await srv.call(path);
      expect(none.status, path).toBe(401);
      expect(none.headers.get('www-authenticate')).toContain('Bearer');
      expect((await errorOf(none)).code).toBe('UNAUTHORIZED');
      expect((await srv.call(path, { auth: READ })).status, path).toBe(200);
      expect((await srv.call(path, { auth: WRITE })).status, path).toBe(200);
      expect((await errorOf(await srv.call(path, { auth: 'not-a-token' }))).code).toBe('FORBIDDEN');
    }
    expect((await srv.call('/healthz')).status).toBe(200);
    expect((await srv.call('/openapi.json')).status).toBe(200);
  });

  test('a read token cannot write: 403 INSUFFICIENT_SCOPE naming the token, not showing it', async () => {
    const response = await publish(srv, 'by-reader', READ);
    expect(response.status).toBe(403);
    const body = await errorOf(response);
    expect(body.code).toBe('INSUFFICIENT_SCOPE');
    expect(body.message).toContain('read-token');
    expect(body.message).not.toContain(READ);
    expect((await srv.call('/publications/scoped', { method: 'DELETE', auth: READ })).status).toBe(403);
  });

  test('a write is refused before its body is read', async () => {
    // A body larger than the limit, without a token: 401, not 413.
    const response = await srv.call('/publications', { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024), headers: { 'content-type': 'text/markdown' } });
    expect(response.status).toBe(401);
  });
});

describe('reads are open without a read token', () => {
  test('any client reads, with no token or a stale one; writes still need the write token', async () => {
    const srv = await startServer({ token: WRITE, log });
    try {
      expect(await publish(srv, 'open', WRITE)).toMatchObject({ status: 201 });
      expect((await srv.call('/publications/open')).status).toBe(200);
      expect((await srv.call('/publications/open', { auth: 'stale-token' })).status).toBe(200);
      expect((await publish(srv, 'x', 'stale-token')).status).toBe(403);
    } finally {
      await srv.close();
    }
  });
});

describe('a tokens file', () => {
  test('holds named tokens (plain or as SHA-256), and is re-read on change and on reloadTokens()', async () => {
    await writeTokens([
      { name: 'alice', scope: 'write', sha256: sha(ALICE) },
      { name: 'bob', scope: 'read', token: BOB },
    ]);
    const srv = await startServer({ tokensFile, log });
    try {
      expect(await publish(srv, 'from-alice', ALICE)).toMatchObject({ status: 201 });
      expect((await srv.call('/publications', { auth: BOB })).status).toBe(200);
      expect((await srv.call('/publications')).status).toBe(401);
      expect((await errorOf(await publish(srv, 'from-bob', BOB))).code).toBe('INSUFFICIENT_SCOPE');
      expect(logged.join('\n')).toContain('write: alice; read: bob');

      // Rotation: alice's token replaced by carol's. reloadTokens() is what SIGHUP calls.
      await writeTokens([
        { name: 'carol', scope: 'write', token: CAROL },
        { name: 'bob', scope: 'read', token: BOB },
      ]);
      expect(await srv.server.reloadTokens()).toBe(true);
      expect((await publish(srv, 'late-alice', ALICE)).status).toBe(403);
      expect(await publish(srv, 'from-carol', CAROL)).toMatchObject({ status: 201 });

      // A broken file keeps the tokens in force, and the log says why without quoting the file.
      await writeFile(tokensFile, `{"tokens": [{"name": "eve", "scope": "write", "token": "${ALICE}"`);
      expect(await srv.server.reloadTokens()).toBe(false);
      expect(logged.at(-1)).toMatch(/not reloaded, the previous tokens stay in force: .* is not valid JSON/);
      expect(await publish(srv, 'still-carol', CAROL)).toMatchObject({ status: 201 });

      // Without reloadTokens(): the file is watched, and the change is seen.
      await writeTokens([{ name: 'alice', scope: 'write', token: ALICE }]);
      for (let i = 0; i < 100 && (await publish(srv, `watch-${i}`, ALICE)).status !== 201; i++) await new Promise((r) => setTimeout(r, 100));
      expect((await publish(srv, 'after-watch', CAROL)).status).toBe(403);
    } finally {
      await srv.close();
    }
  });

  test('a tokens file that does not load stops the server from starting', async () => {
    await writeTokens([{ name: 'x', scope: 'admin', token: 'abc' }]);
    await expect(startServer({ tokensFile, log })).rejects.toThrow(/"scope" must be "read" or "write"/);
    await writeTokens([{ name: 'x', scope: 'write', token: 'a', sha256: sha('a') }]);
    await expect(startServer({ tokensFile, log })).rejects.toThrow(/exactly one of "token" or "sha256"/);
    await expect(startServer({ tokensFile: join(dir, 'missing.json'), log })).rejects.toThrow(/cannot read .*ENOENT/);
  });
});
