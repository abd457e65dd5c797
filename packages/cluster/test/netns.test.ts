import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { documentAs, names, publish, request, titleOn } from './helpers/cluster.js';
import { eventually, spawnProc, startRedis, type Proc, type RedisProc } from './helpers/processes.js';

/**
 * Replicas on separate network hosts: one network namespace each, joined to this one (where Redis runs) by a veth
 * pair, each on its own subnet. Needs root and `ip netns`; skipped otherwise.
 */
function netnsWorks(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = `cm-probe-${process.pid}`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'ignore' });
    execFileSync('ip', ['netns', 'del', probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
const CUBEMARK = fileURLToPath(new URL('./helpers/cubemark.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe.skipIf(!netnsWorks())('replicas on separate network namespaces joined by veth pairs', { timeout: 120_000 }, () => {
  const tag = (process.pid % 10_000).toString(36);
  const hosts = [1, 2].map((i) => ({ ns: `cm-${tag}-${i}`, outer: `cmv${tag}${i}o`, inner: `cmv${tag}${i}i`, gateway: `10.213.${i}.1`, address: `10.213.${i}.2` }));
  let redis: RedisProc;
  let store: string;
  const replicas: (Proc & { url: string })[] = [];

  beforeAll(async () => {
    for (const h of hosts) {
      ip('netns', 'add', h.ns);
      ip('link', 'add', h.outer, 'type', 'veth', 'peer', 'name', h.inner);
      ip('link', 'set', h.inner, 'netns', h.ns);
      ip('addr', 'add', `${h.gateway}/24`, 'dev', h.outer);
      ip('link', 'set', h.outer, 'up');
      ip('netns', 'exec', h.ns, 'ip', 'addr', 'add', `${h.address}/24`, 'dev', h.inner);
      ip('netns', 'exec', h.ns, 'ip', 'link', 'set', h.inner, 'up');
      ip('netns', 'exec', h.ns, 'ip', 'link', 'set', 'lo', 'up');
    }
    store = await mkdtemp(join(tmpdir(), 'cubemark-cluster-netns-'));
    redis = await startRedis(undefined, ['--bind', ...hosts.map((h) => h.gateway), '--protected-mode', 'no']);
    for (const h of hosts) {
      const args = ['netns', 'exec', h.ns, process.execPath, '--conditions=source', '--import', 'tsx', CUBEMARK, 'serve', '--redis', `redis://${h.gateway}:${redis.port}`, '--store', store, '--host', h.address, '--port', '8787', '--insecure-writes'];
      const proc = spawnProc('ip', args, {}, ROOT);
      const match = await proc.seen(/listening on (http:\/\/\S+)/);
      replicas.push({ ...proc, url: match[1]! });
    }
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await redis?.stop();
    for (const h of hosts) {
      try {
        ip('link', 'del', h.outer);
      } catch {
        // Gone with its namespace.
      }
      try {
        ip('netns', 'del', h.ns);
      } catch {
        // Never made.
      }
    }
    if (store) await rm(store, { recursive: true, force: true });
  });

  test('a publish on one host is served by the other, across the veth links and Redis', async () => {
    const [a, b] = replicas as [Proc & { url: string }, Proc & { url: string }];
    expect(a.url).toBe('http://10.213.1.2:8787');
    expect((await publish(a.url, await documentAs('units', 'across', 'from host 1'))).status).toBe(201);
    expect(await eventually(async () => titleOn(b.url, 'across'))).toBe('from host 1');
    expect((await request(`${b.url}/publications/across`, { method: 'DELETE' })).status).toBe(200);
    expect(await eventually(async () => ((await names(a.url)).includes('across') ? undefined : true))).toBe(true);
  });
});
