import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keysFor } from '@cubemark/cluster';
import { IRIS_DATA, documentAs, names, publish, request, titleOn } from './helpers/cluster.js';
import { eventually, startRedis, startReplica, type RedisProc, type ReplicaProc } from './helpers/processes.js';

const keys = keysFor();
const COUNT = 40;
const nameOf = (i: number) => `pub-${String(i).padStart(3, '0')}`;

interface Snapshot {
  fingerprint: string;
  files: Record<string, { size: number; mtime?: string; meta: { hash: string; id: string } }>;
}

describe('a cold refresh from the store’s snapshot of the registry (a real redis-server, replicas restarted over an empty Redis)', { timeout: 180_000 }, () => {
  let redis: RedisProc;
  let client: Redis;
  let store: string;
  let replicas: ReplicaProc[] = [];
  const snapshotPath = () => join(store, '.cubemark', 'cluster-index.json.br');
  const readSnapshot = async () => JSON.parse(brotliDecompressSync(await readFile(snapshotPath())).toString('utf8')) as Snapshot;

  beforeAll(async () => {
    store = await mkdtemp(join(tmpdir(), 'cubemark-cluster-snapshot-'));
    for (let i = 0; i < COUNT; i++) await writeFile(join(store, `${nameOf(i)}.cube.md`), await documentAs('small_theta_colpex', nameOf(i), `title ${i}`));
    redis = await startRedis();
    client = new Redis(redis.url);
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    client?.disconnect();
    await redis?.stop();
    await rm(store, { recursive: true, force: true });
  });

  const start = async (n: number, count = COUNT) => {
    replicas = await Promise.all(Array.from({ length: n }, () => startReplica(redis.url, store, ['--data-base', IRIS_DATA])));
    for (const r of replicas) {
      await eventually(async () => ((await names(r.url)).length === count ? true : undefined), 60_000, `${r.url} listing all ${count}`);
    }
    // The replica that refreshed says what it did (another may have refreshed after it, finding it all unchanged).
    await Promise.any(replicas.map((r) => r.seen(/refreshed the registry from /)));
    const lines = replicas.flatMap((r) => r.output().match(/refreshed the registry from .*/g) ?? []);
    return lines.find((line) => !/: 0 added/.test(line)) ?? lines.join('\n');
  };

  /** Everything stops; Redis loses its data. */
  const coldStop = async () => {
    await Promise.all(replicas.map((r) => r.kill()));
    replicas = [];
    await client.flushall();
  };

  /** What the replicas logged, for a failure's message. */
  const logs = () => replicas.map((r) => r.output().slice(-3000)).join('\n----\n');

  const served = async (base: string, name: string) => ({
    text: (await request(`${base}/publications/${name}.md`)).text,
    description: (await request(`${base}/publications/${name}`)).body,
    data: (await request(`${base}/publications/${name}/cubes/0/data?sel=0,0,0,0:3&format=json`)).text,
  });

  test('refreshed once, the snapshot is written; after Redis lost its data, the refresh takes every unchanged file from it without reading it, and reads the one changed behind its back', async () => {
    const first = await start(2);
    expect(first, logs()).toContain(`${COUNT} added`);
    expect(first).not.toContain("from the store's snapshot");
    // The first refresh read every file: every text is in Redis.
    expect(await client.hlen(keys.text), logs()).toBe(COUNT);
    const snapshot = await eventually(async () => {
      const s = await readSnapshot();
      return Object.keys(s.files).length === COUNT ? s : undefined;
    }, 30_000, 'the snapshot with every publication');
    expect(snapshot.fingerprint).toMatch(/^cubemark-cluster /);
    const before = await served(replicas[0]!.url, 'pub-007');
    expect(before.description).toMatchObject({ name: 'pub-007', title: 'title 7' });
    expect(JSON.parse(before.data)).toBeTruthy();

    await coldStop();
    // Changed behind the snapshot's back: another size, another date.
    await writeFile(join(store, 'pub-003.cube.md'), await documentAs('small_theta_colpex', 'pub-003', 'changed behind the snapshot'));
    const second = await start(2);
    expect(second, logs()).toContain(`${COUNT} added (${COUNT - 1} from the store's snapshot, not read)`);
    // Only the changed file was read (its text is in Redis); the others' records came without their text.
    expect(await client.hkeys(keys.text), logs()).toEqual(['pub-003']);
    for (const r of replicas) expect(await titleOn(r.url, 'pub-003')).toBe('changed behind the snapshot');

    // Served equal to before, from either replica: the text is read from the store on first use, and kept in Redis.
    for (const r of replicas) expect(await served(r.url, 'pub-007'), logs()).toEqual(before);
    expect(await client.hexists(keys.text, 'pub-007')).toBe(1);
    // The snapshot was rewritten with the changed file.
    await eventually(async () => ((await readSnapshot()).files['pub-003']?.size === (await stat(join(store, 'pub-003.cube.md'))).size ? true : undefined), 30_000, 'the snapshot with pub-003 as changed');
  });

  test('a publish by a client reaches the snapshot (in the background); a file changed without a change in its listing is served as the store has it', async () => {
    expect((await publish(replicas[1]!.url, await documentAs('small_theta_colpex', 'late', 'published late'))).status).toBe(201);
    await eventually(async () => ((await readSnapshot()).files['late'] ? true : undefined), 30_000, "'late' in the snapshot");

    await coldStop();
    // Same size, same date, other bytes: the listing cannot tell; the hash of what is read does.
    const file = join(store, 'pub-010.cube.md');
    const { mtime } = await stat(file);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('title 10', 'title XY'));
    await utimes(file, mtime, mtime);
    const cold = await start(1, COUNT + 1);
    expect(cold).toContain(`${COUNT + 1} added (${COUNT + 1} from the store's snapshot, not read)`);
    expect(await client.hlen(keys.text)).toBe(0);
    expect((await request(`${replicas[0]!.url}/publications/late.md`)).text).toContain('published late');
    expect((await request(`${replicas[0]!.url}/publications/pub-010.md`)).text).toContain('title XY');
    await replicas[0]!.seen(/pub-010\.cube\.md is not the file the registry recorded/);
    // The store's file is not put in Redis under the record it does not match.
    expect(await client.hexists(keys.text, 'pub-010')).toBe(0);

    // A file taken from the snapshot (its text never read) broken by hand, then reloaded: no good version to write
    // back, so it is quarantined and its record removed.
    await writeFile(join(store, 'pub-020.cube.md'), '---\nname: pub-020\nnot: [valid\n');
    const reload = await request(`${replicas[0]!.url}/reload`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(reload.status).toBe(200);
    const report = (reload.body as { report: { removed: string[]; quarantined: { name: string }[] } }).report;
    expect(report.quarantined.map((q) => q.name)).toEqual(['pub-020']);
    expect(report.removed).toEqual(['pub-020']);
    expect(await client.hexists(keys.meta, 'pub-020')).toBe(0);
    expect((await readdir(join(store, '.quarantine'))).some((f) => f.startsWith('pub-020.'))).toBe(true);
    await writeFile(join(store, 'pub-020.cube.md'), await documentAs('small_theta_colpex', 'pub-020', 'title 20'));
  });

  test('a snapshot written by another version is ignored with a warning: every file is read, and the snapshot rewritten', async () => {
    await coldStop();
    const snapshot = await readSnapshot();
    await writeFile(snapshotPath(), brotliCompressSync(JSON.stringify({ ...snapshot, fingerprint: 'cubemark-cluster 0.0.0 format 0.9 layout 1' })));
    const cold = await start(1, COUNT + 1);
    await replicas[0]!.seen(/snapshot .* was written by another version \(cubemark-cluster 0\.0\.0/);
    expect(cold).toContain(`${COUNT + 1} added`);
    expect(cold).not.toContain('from the store');
    expect(await client.hlen(keys.text)).toBe(COUNT + 1);
    await eventually(async () => ((await readSnapshot()).fingerprint === snapshot.fingerprint ? true : undefined), 30_000, 'the snapshot rewritten');
  });
});
