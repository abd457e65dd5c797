import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { keysFor } from '@cubemark/cluster';
import { parse, serialize } from '@cubemark/format';
import { documentAs, names, publish, request, sha256, titleOn, unpublish } from './helpers/cluster.js';
import { eventually } from './helpers/processes.js';
import { clusterForTests } from './helpers/test-cluster.js';

const keys = keysFor();

describe('a registry shared through Redis (a real redis-server, three cubemark serve replicas)', { timeout: 120_000 }, () => {
  const cluster = clusterForTests('cubemark-cluster-', { replicas: 3 });

  /** Every replica gives `title` for `name` (undefined: it is not there). */
  const agreeOn = (name: string, title: string | undefined) =>
    eventually(async () => {
      const titles = await Promise.all(cluster.replicas.map((r) => titleOn(r.url, name)));
      return titles.every((t) => t === title) ? titles : undefined;
    }, 10_000, `every replica showing '${name}' as ${title}`);

  /** The store's file, the registry's record and every replica hold the same version of `name`. */
  const agreeWithStore = async (name: string) => {
    const file = await readFile(join(cluster.store, `${name}.cube.md`), 'utf8');
    const title = parse(file).publication!.title;
    await agreeOn(name, title);
    const meta = JSON.parse((await cluster.client.hget(keys.meta, name))!) as { hash: string };
    expect(meta.hash).toBe(sha256(file));
    // Every replica serves the same text: the store's own when a replica wrote it (files written by hand are
    // served in canonical form).
    const texts = await Promise.all(cluster.replicas.map(async (r) => (await request(`${r.url}/publications/${name}.md`)).text));
    expect(new Set(texts).size).toBe(1);
    expect(texts[0]).toBe(serialize(parse(file).publication!, { body: parse(file).body }));
    return title;
  };

  test('a publish acknowledged by one replica is listed and served by every replica; an unpublish disappears everywhere', async () => {
    const [a, b, c] = cluster.replicas;
    const text = await documentAs('small_theta_colpex', 'colpex', 'theta v1');
    expect((await publish(a!.url, text)).status).toBe(201);
    await agreeOn('colpex', 'theta v1');
    // Served, not only listed: the values come from the data on every replica.
    const values = await Promise.all(cluster.replicas.map((r) => request(`${r.url}/publications/colpex/cubes/0/data?sel=0,0,0,0:3&format=json`)));
    for (const v of values) expect(v.status).toBe(200);
    expect(new Set(values.map((v) => v.text)).size).toBe(1);
    await agreeWithStore('colpex');

    // Replaced on another replica: every one serves the new version (and drops the model it built of the old).
    expect((await publish(c!.url, text.replace('theta v1', 'theta v2'), true)).status).toBe(200);
    await agreeOn('colpex', 'theta v2');
    await agreeWithStore('colpex');

    expect((await unpublish(b!.url, 'colpex')).status).toBe(200);
    await agreeOn('colpex', undefined);
    for (const r of cluster.replicas) expect(await names(r.url)).not.toContain('colpex');
    await expect(readFile(join(cluster.store, 'colpex.cube.md'))).rejects.toThrow();
    expect(await cluster.client.hget(keys.meta, 'colpex')).toBeNull();
  });

  test('a reload of the store (files edited, added and removed by hand) reaches every replica', async () => {
    const [a, b] = cluster.replicas;
    expect((await publish(a!.url, await documentAs('units', 'edited', 'before'))).status).toBe(201);
    expect((await publish(a!.url, await documentAs('units', 'removed', 'removed'))).status).toBe(201);
    await agreeOn('removed', 'removed');
    await writeFile(join(cluster.store, 'edited.cube.md'), await documentAs('units', 'edited', 'after'));
    await writeFile(join(cluster.store, 'added.cube.md'), await documentAs('units', 'added', 'added'));
    await writeFile(join(cluster.store, 'broken.cube.md'), '---\ncubemark: 1\nname: broken\n---\n');
    await unlink(join(cluster.store, 'removed.cube.md'));
    const reload = await request(`${b!.url}/reload`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(reload.status).toBe(200);
    const report = (reload.body as { report: { added: string[]; replaced: string[]; removed: string[]; quarantined: { name: string }[] } }).report;
    expect(report.added).toEqual(['added']);
    expect(report.replaced).toEqual(['edited']);
    expect(report.removed).toEqual(['removed']);
    expect(report.quarantined.map((q) => q.name)).toEqual(['broken']);
    await agreeOn('edited', 'after');
    await agreeOn('added', 'added');
    await agreeOn('removed', undefined);
    await agreeOn('broken', undefined);
    await agreeWithStore('edited');
  });

  test('two replicas publishing one name at once: one wins, the other gets 409; with replace both succeed; store, registry and replicas agree', async () => {
    const [a, b] = cluster.replicas;
    for (let round = 0; round < 8; round++) {
      const name = `race-${round}`;
      const [ta, tb] = [`${name} from a`, `${name} from b`];
      const answers = await Promise.all([publish(a!.url, await documentAs('units', name, ta)), publish(b!.url, await documentAs('units', name, tb))]);
      expect(answers.map((x) => x.status).sort()).toEqual([201, 409]);
      const loser = answers.find((x) => x.status === 409)!;
      expect((loser.body as { code: string }).code).toBe('PUBLICATION_EXISTS');
      const winner = answers[0]!.status === 201 ? ta : tb;
      expect(await agreeWithStore(name)).toBe(winner);

      const replaced = await Promise.all([publish(a!.url, await documentAs('units', name, `${ta} again`), true), publish(b!.url, await documentAs('units', name, `${tb} again`), true)]);
      expect(replaced.map((x) => x.status)).toEqual([200, 200]);
      expect([`${ta} again`, `${tb} again`]).toContain(await agreeWithStore(name));
    }
  });

  test('a write a replica left half done (store written, registry not) is repaired from the store by the next holder of the name', async () => {
    const [a, b] = cluster.replicas;
    expect((await publish(a!.url, await documentAs('units', 'halfway', 'acknowledged'))).status).toBe(201);
    await agreeOn('halfway', 'acknowledged');
    // What a replica that died between the store and the registry leaves: its fencing token, a pending mark, the
    // new file in the store, and a lock that expires.
    const token = await cluster.client.hincrby(keys.fence, 'halfway', 1);
    await cluster.client.hset(keys.pending, 'halfway', JSON.stringify({ token, op: 'publish' }));
    await writeFile(join(cluster.store, 'halfway.cube.md'), await documentAs('units', 'halfway', 'written, never acknowledged'));
    await cluster.client.set(keys.lock('halfway'), `${token}:dead-replica`, 'PX', 300);
    // The next publish of the name (on another replica) first makes the registry agree with the store: the name
    // exists, so a publish without replace is refused, and every replica serves the store's version.
    const again = await publish(b!.url, await documentAs('units', 'halfway', 'another'));
    expect(again.status).toBe(409);
    expect(await agreeWithStore('halfway')).toBe('written, never acknowledged');
    expect(await cluster.client.hget(keys.pending, 'halfway')).toBeNull();

    // A removal left half done: the file is gone from the store, the registry still has the record.
    const token2 = await cluster.client.hincrby(keys.fence, 'halfway', 1);
    await cluster.client.hset(keys.pending, 'halfway', JSON.stringify({ token: token2, op: 'unpublish' }));
    await unlink(join(cluster.store, 'halfway.cube.md'));
    expect((await publish(a!.url, await documentAs('units', 'halfway', 'new again'))).status).toBe(201);
    expect(await agreeWithStore('halfway')).toBe('new again');
  });

  test('a write whose lock expired and was taken by another replica is refused by its fencing token', async () => {
    // A stale token: Redis refuses the write, and nothing changes.
    const [a] = cluster.replicas;
    expect((await publish(a!.url, await documentAs('units', 'fenced', 'current'))).status).toBe(201);
    const stale = Number(await cluster.client.hget(keys.fence, 'fenced'));
    await cluster.client.hincrby(keys.fence, 'fenced', 1);
    const script = (await import('../src/redis/scripts.js')).FENCED_SET;
    await expect(
      cluster.client.eval(script, 8, ...keys.record('fenced'), 'fenced', stale, '{}', 'x', 'id', 1000, JSON.stringify({ hash: 'x' })),
    ).rejects.toThrow(/FENCED/);
    expect(await titleOn(a!.url, 'fenced')).toBe('current');
  });
});
