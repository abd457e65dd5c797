/**
 * The probes of issue 12 as a user makes them, with the compiled `cubemark` against `cubemark serve`: sources
 * outside the data roots are refused with no file content in any answer, loopback URLs are not fetched, and a
 * tokens file is rotated with SIGHUP. Tokens appear nowhere: not in the log, not in the store.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFile, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { field4d } from '../helpers/publications.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = join(ROOT, 'packages/cli/bin/cubemark.js');
const ALICE = 'alice-0123456789abcdef';
const BOB = 'bob-fedcba9876543210';

let dir: string;
let store: string;
let tokens: string;
let child: ChildProcessWithoutNullStreams;
let url: string;
let err = '';
let httpRequests = 0;
let httpUrl: string;
const http = createServer((_req, res) => {
  httpRequests++;
  res.writeHead(200).end('CDF\u0001 not really');
});

async function cli(args: string[], token: string): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args, '--server', url], { cwd: ROOT, env: { ...process.env, CUBEMARK_TOKEN: token, CUBEMARK_SERVER: '' } });
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

beforeAll(async () => {
  await run('pnpm', ['exec', 'tsc', '-b', 'packages/cli'], { cwd: ROOT });
  dir = await mkdtemp(join(tmpdir(), 'cubemark-serve-security-'));
  store = join(dir, 'store');
  tokens = join(dir, 'tokens.json');
  const { path } = await field4d();
  await import('node:fs/promises').then((fs) => fs.mkdir(store));
  await copyFile(path, join(store, 'field4d.nc'));
  await copyFile(path, join(dir, 'anything.nc'));
  await writeFile(tokens, JSON.stringify({ tokens: [{ name: 'alice', scope: 'write', token: ALICE }] }));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--store', store, '--tokens', tokens], { cwd: ROOT, env: { ...process.env, CUBEMARK_TOKEN: '' } });
  child.stderr.on('data', (d: Buffer) => void (err += d.toString()));
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`cubemark serve exited (${code}): ${err}`)));
  });
}, 240_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  await new Promise((r) => http.close(r));
});

describe('cubemark serve shared with others', () => {
  test('says what it may read', async () => {
    // Written to stderr just after the URL goes to stdout: wait for it to arrive.
    for (let i = 0; i < 100 && !err.includes('reading sources only under'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(err).toContain(`reading sources only under: ${store}`);
  });

  test('publish p /etc/passwd, /tmp/anything.nc, http://127.0.0.1:PORT/x.nc: refused, no content echoed, nothing fetched', async () => {
    for (const source of ['/etc/passwd', join(dir, 'anything.nc'), `${httpUrl}/x.nc`, 'http://169.254.169.254/latest/meta-data/']) {
      const result = await cli(['publish', 'p', source], ALICE);
      expect(result.code, source).not.toBe(0);
      expect(result.err, source).toContain('SOURCE_NOT_ALLOWED');
      expect(result.err + result.out, source).not.toMatch(/72 6f 6f 74|root:x|CDF/);
    }
    expect(httpRequests).toBe(0);
    // A file under the data base (the default root) publishes.
    expect((await cli(['publish', 'inside', 'field4d.nc'], ALICE)).code).toBe(0);
  });

  test('SIGHUP re-reads the tokens file: the old token stops writing, the new one starts', async () => {
    await writeFile(tokens, JSON.stringify({ tokens: [{ name: 'bob', scope: 'write', token: BOB }] }));
    child.kill('SIGHUP');
    for (let i = 0; i < 100 && !err.includes('tokens reloaded: write: bob'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(err).toContain('tokens reloaded: write: bob; read: none');
    const old = await cli(['publish', 'by-alice', 'field4d.nc'], ALICE);
    expect(old.code).not.toBe(0);
    expect(old.err).toContain('FORBIDDEN');
    expect((await cli(['publish', 'by-bob', 'field4d.nc'], BOB)).code).toBe(0);
  });

  test('no token in the log or the store', async () => {
    const files = await readdir(store, { recursive: true });
    const everything = [err, ...(await Promise.all(files.map((f) => readFile(join(store, String(f))).then((b) => b.toString('latin1')).catch(() => ''))))].join('\n');
    expect(everything).toContain('by-bob');
    for (const t of [ALICE, BOB]) expect(everything).not.toContain(t);
  });
});
