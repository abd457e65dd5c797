/**
 * The restore plugin in real scheduler processes over HTTP: a clean restart, and crash consistency under kill -9.
 * Each process is `helpers/serve.ts` (a scheduler, the restore plugin and the HTTP API, as `cubemark serve`).
 */
import { readdir } from 'node:fs/promises';
import { parse } from '@cubemark/format';
import { describe, expect, test } from 'vitest';
import { crashDocument, crashServer, runCrashRounds } from './helpers/crash.js';
import { folderPerTest } from './helpers/folder.js';
import { startServer, type ServerProcess } from './helpers/process.js';

let store: string;
let running: ServerProcess | undefined;
folderPerTest('cubemark-process-', (dir) => (store = dir), async () => {
  await running?.kill();
  running = undefined;
});

async function publish(url: string, name: string, text: string, replace = false): Promise<Response> {
  return fetch(`${url}/publications?name=${name}${replace ? '&replace=true' : ''}`, {
    method: 'POST',
    headers: { 'content-type': 'text/markdown' },
    body: text,
  });
}

async function markdown(url: string, name: string): Promise<string | undefined> {
  const res = await fetch(`${url}/publications/${name}.md`);
  if (res.status === 404) return undefined;
  expect(res.status).toBe(200);
  return res.text();
}

/** What the HTTP API describes of a publication, less what belongs to the process (state, times, residency). */
async function metadata(url: string, name: string): Promise<unknown> {
  const res = await fetch(`${url}/publications/${name}?format=json`);
  expect(res.status).toBe(200);
  const { title, created, modified, provenance, sources, coord_systems, cubes } = (await res.json()) as Record<string, unknown>;
  return { title, created, modified, provenance, sources, coord_systems, cubes };
}

async function names(url: string): Promise<string[]> {
  const res = await fetch(`${url}/publications`);
  const body = (await res.json()) as { publications: { name: string; state: string }[] };
  return body.publications.map((p) => p.name).sort();
}

describe('scheduler processes', () => {
  test.each([
    { server: 'the restore helper (from source)', cli: false },
    { server: 'the compiled cubemark serve', cli: true },
  ])('publish N, stop, start: all N come back with identical metadata, prose and readable data ($server)', async ({ cli }) => {
    running = await startServer(store, { cli });
    const n = 25;
    const sent = new Map<string, string>();
    for (let i = 0; i < n; i++) {
      const name = `pub-${String(i).padStart(2, '0')}`;
      const text = crashDocument(name, i);
      const res = await publish(running.url, name, text);
      expect(res.status).toBe(201);
      sent.set(name, text);
    }
    const described = new Map<string, unknown>();
    for (const [name, text] of sent) {
      const meta = (await metadata(running.url, name)) as { cubes: unknown[] };
      expect(meta.cubes).toHaveLength(parse(text).publication!.cubes.length);
      described.set(name, meta);
    }
    await running.stop();

    running = await startServer(store, { cli });
    expect(await running.restored).toMatch(/^restored 25 quarantined 0 /);
    expect(await names(running.url)).toEqual([...sent.keys()].sort());
    for (const [name, text] of sent) {
      const served = await markdown(running.url, name);
      expect(served).toBe(text);
      // The restored publication is described as the published one was (cubes, coordinates, sources).
      expect(await metadata(running.url, name)).toEqual(described.get(name));
    }
    // Data is read lazily after the restore, from the restored model.
    const data = await fetch(`${running.url}/publications/pub-07/cubes/1/data?sel=0,0,:&format=json`);
    expect(data.status).toBe(200);
    const values = (await data.json()) as { values: number[] };
    expect(values.values).toEqual(Array.from({ length: 12 }, (_, i) => i + 1 + 7));
  });

  test('kill -9 at random moments: every acknowledged publication comes back exactly, and no torn file is ever read', async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
    const stats = await runCrashRounds({
      rounds: 20,
      seed,
      minAcknowledgedPerRound: 5,
      start: async () => {
        running = await startServer(store);
        return crashServer(running);
      },
    });
    // Enough happened for the rounds to mean something: writes were acknowledged, and restores read them back.
    expect(stats.acknowledged, `seed ${seed}`).toBeGreaterThanOrEqual(20 * 5);
    expect(stats.restoredFiles, `seed ${seed}`).toBeGreaterThan(20);
    expect(await readdir(store)).not.toContain('.quarantine');
  }, 300_000);
});
