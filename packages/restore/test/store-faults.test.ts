import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, serialize } from '@cubemark/format';
import { createScheduler, createServer, type SchedulerServer } from '@cubemark/scheduler';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRestorePlugin, type RestorePlugin } from '@cubemark/restore';
import { makePublication } from './helpers/publications.js';

/**
 * A local store that fills up (ENOSPC) and then turns read-only (EROFS), on a real file system: a 384 KiB tmpfs
 * mounted for the test (the tests run as root, as CI does; without `mount` they are skipped).
 */

const mountPoint = mkdtempSync(join(tmpdir(), 'cubemark-full-'));
function mount(options: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', mountPoint], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const mounted = mount('size=384k,mode=0755');

const TOKEN = 'store-faults-token-123456';
const quiet = { info() {}, warn() {}, error() {} };

interface Served {
  server: SchedulerServer;
  url: string;
  plugin: RestorePlugin;
  call(path: string, init?: RequestInit): Promise<Response>;
}

async function serve(store: string): Promise<Served> {
  const plugin = createRestorePlugin({ store, threads: 0, progress: false });
  const scheduler = createScheduler({ plugins: [plugin], dataBase: store, log: quiet });
  const server = await createServer(scheduler, { token: TOKEN });
  const url = await server.listen({ port: 0, host: '127.0.0.1' });
  return { server, url, plugin, call: (path, init) => fetch(url + path, init) };
}

/** A document of about 10 KB (a publication with inline data), different for each name and version. */
function documentOf(name: string, version = 0): string {
  return serialize(makePublication(name, { inlineData: true, sources: [], seed: version, cubes: 3, title: `${name} v${version}` }));
}

const publish = (s: Served, name: string, version = 0, replace = false) =>
  s.call(`/publications${replace ? '?replace=true' : ''}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/markdown' },
    body: documentOf(name, version),
  });

afterAll(() => {
  if (mounted) execFileSync('umount', ['-l', mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

describe.runIf(mounted)('a local store on a file system that fills, then turns read-only', () => {
  const store = join(mountPoint, 'publications');
  /** What each acknowledged publish said the name holds now. */
  const acknowledged = new Map<string, string>();
  let served: Served;
  beforeAll(async () => {
    served = await serve(store);
  });

  test('publishes fill the store; the one that does not fit is refused 507, nothing acknowledged is lost, the server keeps serving', async () => {
    let refused: Response | undefined;
    for (let i = 0; i < 200 && !refused; i++) {
      const name = `p${String(i).padStart(3, '0')}`;
      const response = await publish(served, name);
      if (response.status === 201) acknowledged.set(name, documentOf(name));
      else refused = response;
    }
    expect(acknowledged.size).toBeGreaterThan(5);
    expect(refused?.status).toBe(507);
    process.stderr.write(`figures: ENOSPC: ${acknowledged.size} publishes acknowledged on a 384 KiB tmpfs, then ${refused?.status} STORE_WRITE_FAILED\n`);
    const body = (await refused!.json()) as { code: string; message: string; details?: { cause?: string } };
    expect(body.code).toBe('PLUGIN_REJECTED');
    expect(body.details?.cause).toBe('STORE_WRITE_FAILED');
    expect(body.message).toMatch(/the store is full .*ENOSPC/);
    // The refused name is not served; every acknowledged one is.
    const list = (await (await served.call('/publications')).json()) as { publications: { name: string }[] };
    expect(list.publications.map((p) => p.name).sort()).toEqual([...acknowledged.keys()].sort());

    // Replacing an acknowledged publication on the full store: refused, and the old version stays, served and on disk.
    const replaced = await publish(served, 'p000', 1, true);
    expect([507, 200]).toContain(replaced.status);
    if (replaced.status === 200) acknowledged.set('p000', documentOf('p000', 1));
    const md = await (await served.call('/publications/p000.md')).text();
    expect(parse(md).publication?.title).toBe(parse(acknowledged.get('p000')!).publication?.title);
    expect((await served.call('/healthz')).status).toBe(200);
  });

  test('made read-only mid-run: publishes are refused 503 (EROFS), reads go on', async () => {
    execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
    const refused = await publish(served, 'while-readonly');
    expect(refused.status).toBe(503);
    const body = (await refused.json()) as { code: string; message: string };
    expect(body.message).toMatch(/cannot be written .*EROFS/);
    for (const name of acknowledged.keys()) expect((await served.call(`/publications/${name}`)).status).toBe(200);
    // An unpublish is applied in memory and says its file could not be moved; the file stays (and comes back).
    const removed = await served.call('/publications/p001', { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(removed.status).toBe(200);
    const warnings = ((await removed.json()) as { warnings: string[] }).warnings.join('\n');
    expect(warnings).toMatch(/plugin .restore. failed in its unpublish hook .*STORE_MOVE_FAILED: cannot trash/);
    await served.server.close();
  });

  test('the next start is clean: every acknowledged publication comes back as acknowledged, nothing torn, no leftovers', async () => {
    execFileSync('mount', ['-o', 'remount,rw', mountPoint]);
    const files = await readdir(store);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const [name, text] of acknowledged) expect(await readFile(join(store, `${name}.cube.md`), 'utf8')).toBe(text);
    const again = await serve(store);
    try {
      const report = await again.plugin.restored();
      expect(report.quarantined).toEqual([]);
      expect(report.restored).toBe(acknowledged.size);
      process.stderr.write(`figures: restart after ENOSPC and EROFS: ${report.restored} of ${acknowledged.size} acknowledged restored, ${report.quarantined.length} quarantined, 0 temporary files left\n`);
      for (const name of acknowledged.keys()) expect((await again.call(`/publications/${name}`)).status).toBe(200);
      expect((await again.call('/publications/while-readonly')).status).toBe(404);
    } finally {
      await again.server.close();
    }
  });
});
