import { chmod, chown, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from '@cubemark/format';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makePublication } from './helpers/publications.js';
import { startServer, type ServerProcess } from './helpers/process.js';

/**
 * A store made unwritable mid-run (EACCES): the server runs as an unprivileged user (`nobody`, through setpriv;
 * root ignores permission bits), and the store folder loses its write permission while it serves. Needs root,
 * as the tests have in CI; skipped otherwise.
 */

const NOBODY = { uid: 65534, gid: 65534 };
const asRoot = process.getuid?.() === 0;

let dir: string;
let store: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cubemark-eacces-'));
  store = join(dir, 'publications');
  if (!asRoot) return;
  await chmod(dir, 0o755);
  await import('node:fs/promises').then((fs) => fs.mkdir(store));
  await chown(store, NOBODY.uid, NOBODY.gid);
});
afterAll(async () => {
  await chmod(store, 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

const documentOf = (name: string, version = 0) => serialize(makePublication(name, { inlineData: true, sources: [], seed: version, title: `${name} v${version}` }));
const publish = (s: ServerProcess, name: string, version = 0) =>
  fetch(`${s.url}/publications?replace=true`, { method: 'POST', headers: { 'content-type': 'text/markdown' }, body: documentOf(name, version) });

describe.runIf(asRoot)('a store folder that loses its write permission mid-run (EACCES)', () => {
  test('publishes are refused 503 with EACCES, reads go on, nothing acknowledged is lost, the next start is clean', async () => {
    const server = await startServer(store, { as: NOBODY });
    const acknowledged = new Map<string, string>();
    try {
      await server.restored;
      for (const name of ['a', 'b', 'c']) {
        expect((await publish(server, name)).status).toBe(201);
        acknowledged.set(name, documentOf(name));
      }
      await chmod(store, 0o555);
      const refused = await publish(server, 'd');
      expect(refused.status).toBe(503);
      const body = (await refused.json()) as { code: string; message: string; details?: { cause?: string } };
      expect(body.details?.cause).toBe('STORE_WRITE_FAILED');
      expect(body.message).toMatch(/cannot be written \(read-only or permission denied\): EACCES/);
      // A replace is refused too, and the acknowledged version stays.
      expect((await publish(server, 'a', 1)).status).toBe(503);
      for (const name of acknowledged.keys()) expect((await fetch(`${server.url}/publications/${name}`)).status).toBe(200);
      expect(await (await fetch(`${server.url}/publications/a.md`)).text()).toBe(documentOf('a'));
      // Writable again: the server takes writes again, without a restart.
      await chmod(store, 0o755);
      expect((await publish(server, 'e')).status).toBe(201);
      acknowledged.set('e', documentOf('e'));
      process.stderr.write(`figures: EACCES: 2 publishes refused 503 while the store was unwritable, ${acknowledged.size} acknowledged in all, all on disk\n`);
    } finally {
      await server.stop();
    }
    expect((await readdir(store)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const [name, text] of acknowledged) expect(await readFile(join(store, `${name}.cube.md`), 'utf8')).toBe(text);
    const again = await startServer(store, { as: NOBODY });
    try {
      expect(await again.restored).toMatch(new RegExp(`^restored ${acknowledged.size} quarantined 0`));
      expect((await fetch(`${again.url}/publications/d`)).status).toBe(404);
    } finally {
      await again.stop();
    }
  });
});
