/**
 * The restore plugin in real scheduler processes over HTTP: a clean restart, and crash consistency under kill -9.
 * Each process is `helpers/serve.ts` (a scheduler, the restore plugin and the HTTP API, as `cubemark serve`).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffPublications, parse, serialize } from '@cubemark/format';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { makePublication } from './helpers/publications.js';
import { startServer, type ServerProcess } from './helpers/process.js';

let store: string;
let running: ServerProcess | undefined;
beforeEach(async () => {
  store = await mkdtemp(join(tmpdir(), 'cubemark-process-'));
});
afterEach(async () => {
  await running?.kill();
  running = undefined;
  await rm(store, { recursive: true, force: true });
});

function document(name: string, version: number): string {
  const pub = makePublication(name, { seed: version, title: `${name} v${version}`, inlineData: true, sources: [] });
  return serialize(pub, { body: `\n# ${name}\n\nVersion ${version}, written by a person.\n` });
}

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

async function names(url: string): Promise<string[]> {
  const res = await fetch(`${url}/publications`);
  const body = (await res.json()) as { publications: { name: string; state: string }[] };
  return body.publications.map((p) => p.name).sort();
}

describe('scheduler processes', () => {
  test('publish N, stop, start: all N come back with identical metadata, prose and readable data', async () => {
    running = await startServer(store);
    const n = 25;
    const sent = new Map<string, string>();
    for (let i = 0; i < n; i++) {
      const name = `pub-${String(i).padStart(2, '0')}`;
      const text = document(name, i);
      const res = await publish(running.url, name, text);
      expect(res.status).toBe(201);
      sent.set(name, text);
    }
    await running.stop();

    running = await startServer(store);
    expect(await running.restored).toMatch(/^restored 25 quarantined 0 /);
    expect(await names(running.url)).toEqual([...sent.keys()].sort());
    for (const [name, text] of sent) {
      const served = await markdown(running.url, name);
      expect(served).toBe(text);
      expect(diffPublications(parse(text).publication!, parse(served!).publication!)).toEqual([]);
    }
    // Data is read lazily after the restore, from the restored model.
    const data = await fetch(`${running.url}/publications/pub-07/cubes/1/data?sel=0,0,:&format=json`);
    expect(data.status).toBe(200);
    const values = (await data.json()) as { values: number[] };
    expect(values.values).toEqual(Array.from({ length: 12 }, (_, i) => i + 1 + 7));
  });

  test('kill -9 at random moments: every acknowledged publication comes back exactly, and no torn file is ever read', async () => {
    const rounds = 20;
    let seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
    const random = () => {
      // mulberry32: a seeded generator, so a failing run can be replayed with CRASH_SEED.
      seed = (seed + 0x6d2b79f5) | 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const firstSeed = seed;
    /** Per name: what must be served (a text, or undefined for unpublished), or any of several when a request was cut. */
    const expected = new Map<string, (string | undefined)[]>();
    let acknowledged = 0;
    let version = 0;

    for (let round = 0; round < rounds; round++) {
      running = await startServer(store);
      const restoredLine = await running.restored;
      // 1. Everything acknowledged before the crash is there, exactly; nothing was quarantined.
      expect(restoredLine, `seed ${firstSeed}, round ${round}`).toMatch(/ quarantined 0 /);
      const listed = new Set(await names(running.url));
      for (const [name, allowed] of expected) {
        const served = listed.has(name) ? await markdown(running.url, name) : undefined;
        expect(allowed, `seed ${firstSeed}, round ${round}, ${name}`).toContain(served);
        expected.set(name, [served]);
      }
      for (const name of listed) expect(expected.has(name), `unexpected ${name}`).toBe(true);

      // 2. Two clients publish, replace and unpublish until the process is killed at a random moment.
      const url = running.url;
      let killed = false;
      const client = async () => {
        while (!killed) {
          const existing = [...expected.entries()].filter(([, a]) => a.length === 1 && a[0] !== undefined).map(([n]) => n);
          const r = random();
          const name = r < 0.6 || existing.length === 0 ? `c-${version}` : existing[Math.floor(random() * existing.length)]!;
          const current = expected.get(name) ?? [undefined];
          if (current.length !== 1) continue; // the other client is changing it
          const del = r > 0.9 && current[0] !== undefined;
          const text = del ? undefined : document(name, version++);
          expected.set(name, [current[0], text]);
          try {
            const res = del
              ? await fetch(`${url}/publications/${name}`, { method: 'DELETE' })
              : await publish(url, name, text!, current[0] !== undefined);
            expect(res.status, await res.clone().text()).toBeLessThan(300);
            expected.set(name, [text]);
            acknowledged += 1;
          } catch (error) {
            if (!killed) throw error;
            // Cut by the kill: either outcome is allowed (it was never acknowledged).
          }
        }
      };
      let failure: unknown;
      const clients = [client(), client()].map((c) => c.catch((error: unknown) => (failure ??= error)));
      await new Promise((resolve) => setTimeout(resolve, 50 + random() * 400));
      killed = true;
      await running.kill();
      await Promise.all(clients);
      if (failure) throw failure;
    }
    running = await startServer(store);
    expect(await running.restored).toMatch(/ quarantined 0 /);
    for (const [name, allowed] of expected) {
      const listed = (await names(running.url)).includes(name);
      expect(allowed).toContain(listed ? await markdown(running.url, name) : undefined);
    }
    expect(acknowledged).toBeGreaterThan(rounds * 5);
    expect(await readdir(store)).not.toContain('.quarantine');
  }, 300_000);
});
