/**
 * End to end: the compiled `cubemark` command (built here with `tsc -b packages/cli`, which builds the scheduler and
 * restore too) serving a temporary store on a free port; publishes over HTTP and with `cubemark publish`, lists,
 * unpublishes, restarts on the same store to see publications come back, and shuts down on SIGTERM.
 */
import { spawn, execFile, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TEST_SOURCES, document, field4d, inlinePublication } from './helpers/publications.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'packages/cli/bin/cubemark.js');
const TOKEN = '0123-e2e';

interface Served {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `cubemark serve` and resolves once it printed its URL. */
function serve(store: string): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--store', store, '--token', TOKEN, ...TEST_SOURCES.roots.flatMap((r) => ['--data-root', r])], { cwd: ROOT, env: { ...process.env, CUBEMARK_TOKEN: '' } });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+) \(restoring in the background\)$/m.exec(out);
      if (m) resolve({ child, url: m[1], stderr: () => err, exited });
    });
    child.stderr.on('data', (d: Buffer) => void (err += d.toString()));
    void exited.then((code) => reject(new Error(`cubemark serve exited (${code}) before listening: ${err}`)));
  });
}

/** Runs the compiled CLI; resolves its exit code and output, whatever the code. */
async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, CUBEMARK_TOKEN: '', CUBEMARK_SERVER: '', ...env } });
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

let store: string;
let server: Served | undefined;

beforeAll(async () => {
  // The CLI runs from compiled JS: build it (and what it depends on) as the user would.
  await run('pnpm', ['exec', 'tsc', '-b', 'packages/cli'], { cwd: ROOT });
  store = mkdtempSync(join(tmpdir(), 'cubemark-e2e-store-'));
  server = await serve(store);
}, 240_000);

afterAll(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
});

describe('cubemark serve, publish, list, unpublish', () => {
  test('publish over HTTP and with the CLI, list, unpublish; the store holds exactly what is published', async () => {
    const { url } = server!;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    const text = document(inlinePublication('over-http'), 'Written over HTTP.');
    const posted = await fetch(`${url}/publications`, { method: 'POST', body: text, headers: { 'content-type': 'text/markdown', authorization: `Bearer ${TOKEN}` } });
    expect(posted.status).toBe(201);
    // Acknowledged means durable: the restore plugin wrote the file before the answer.
    expect(readdirSync(store)).toContain('over-http.cube.md');

    const { path, publication } = await field4d('with-cli');
    const docPath = join(store, '..', `with-cli-${process.pid}.cube.md`);
    writeFileSync(docPath, document(publication));
    const published = await cli(['publish', 'with-cli', docPath, '--server', url, '--token', TOKEN]);
    expect(published).toMatchObject({ code: 0, out: 'published with-cli (2 cubes, ready)\n' });

    const fromSources = await cli(['publish', 'from-sources', path, '--server', url], { CUBEMARK_TOKEN: TOKEN });
    expect(fromSources.code).toBe(0);
    expect(fromSources.out).toMatch(/^published from-sources \(\d+ cubes, ready\)\n$/);

    const again = await cli(['publish', 'with-cli', docPath, '--server', url, '--token', TOKEN]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^cubemark: PUBLICATION_EXISTS a publication named 'with-cli' exists/);
    const replaced = await cli(['publish', 'with-cli', docPath, '--server', url, '--token', TOKEN, '--replace']);
    expect(replaced).toMatchObject({ code: 0, out: 'replaced with-cli (2 cubes, ready)\n' });

    const noToken = await cli(['publish', 'nope', docPath, '--server', url]);
    expect(noToken.code).toBe(1);
    expect(noToken.err).toContain('UNAUTHORIZED');

    expect(await cli(['list', '--server', url])).toMatchObject({ code: 0, out: 'from-sources\nover-http\nwith-cli\n' });
    expect(await cli(['list'], { CUBEMARK_SERVER: url })).toMatchObject({ code: 0, out: 'from-sources\nover-http\nwith-cli\n' });

    expect(await cli(['unpublish', 'over-http', '--server', url, '--token', TOKEN])).toMatchObject({ code: 0, out: 'unpublished over-http\n' });
    const missing = await cli(['unpublish', 'over-http', '--server', url, '--token', TOKEN]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('PUBLICATION_NOT_FOUND');
    expect(existsSync(join(store, 'over-http.cube.md'))).toBe(false);
    expect(await cli(['list', '--server', url])).toMatchObject({ out: 'from-sources\nwith-cli\n' });

    // Data is served from the file the publication points at.
    const values = await fetch(`${url}/publications/with-cli/cubes/0/data?sel=2,3,9,11&format=json`);
    expect(((await values.json()) as { values: number[] }).values).toEqual([2000 + 600 + 108 + 11]);
  });

  test('SIGTERM shuts down gracefully; a new server on the same store restores the publications', async () => {
    server!.child.kill('SIGTERM');
    expect(await server!.exited).toBe(0);
    expect(server!.stderr()).toContain('shutting down (SIGTERM)');

    server = await serve(store);
    const { url } = server;
    // Requests for names still being restored wait for them instead of answering 404.
    const got = await fetch(`${url}/publications/with-cli`);
    expect(got.status).toBe(200);
    expect(await cli(['list', '--server', url])).toMatchObject({ code: 0, out: 'from-sources\nwith-cli\n' });
  });

  test('cubemark reload picks up a file edited by hand, and quarantines a broken one while the old version keeps serving', async () => {
    const { url } = server!;
    const file = join(store, 'with-cli.cube.md');
    const original = readFileSync(file, 'utf8');
    // A reviewer changes the title in git, and the file lands in the store.
    expect(original).toMatch(/^title: .*$/m);
    writeFileSync(file, original.replace(/^title: .*$/m, 'title: Reviewed in git'));
    const reloaded = await cli(['reload', '--server', url, '--token', TOKEN]);
    expect(reloaded.code).toBe(0);
    expect(reloaded.out).toMatch(/^reloaded .*: 1 changed\n$/);
    const meta = (await (await fetch(`${url}/publications/with-cli?format=json`)).json()) as { title?: string };
    expect(meta.title).toBe('Reviewed in git');

    // A bad edit: reported with path:line:col, the file quarantined, the running publication untouched.
    writeFileSync(file, original.replace(/^cubes:$/m, 'cubes:\ncubes:'));
    const bad = await cli(['reload', '--server', url, '--token', TOKEN]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('1 quarantined');
    expect(bad.out).toMatch(/with-cli\.cube\.md:\d+:\d+ DUPLICATE_KEY/);
    expect((await fetch(`${url}/publications/with-cli`)).status).toBe(200);

    const noToken = await cli(['reload', '--server', url]);
    expect(noToken.code).toBe(1);
    expect(noToken.err).toContain('UNAUTHORIZED');
  });

  test('a server that is not there is a clear error and exit 1', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createNetServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const r = await cli(['list', '--server', `http://127.0.0.1:${port}`]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^cubemark: cannot reach http://127\\.0\\.0\\.1:${port}: ECONNREFUSED; is \`cubemark serve\` running there\\?`));
  });
});
