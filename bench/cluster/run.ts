/**
 * Numbers for @cubemark/cluster, with real processes: redis-server, compiled `cubemark serve --redis` replicas and
 * `cubemark worker`s, s3rver behind a proxy that adds a round-trip time.
 *
 *   npm run bench:cluster                     # everything
 *   npm run bench:cluster -- latency compute  # some sections: latency, compute, refresh
 *   COUNT=2000 npm run bench:cluster -- refresh
 *
 * Prints one block per section; bench/cluster/README.md keeps the latest.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentAs, publish } from '../../packages/cluster/test/helpers/cluster.js';
import { startRedis, startReplica, startWorker, type Proc, type ReplicaProc } from '../../packages/cluster/test/helpers/processes.js';
import { startS3Server } from '../../packages/cube/test/helpers/s3-server.js';

const IRIS_DATA = '/work/shared/data/iris-test-data';
const sections = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const wants = (s: string) => sections.length === 0 || sections.includes(s);
const compiled = { compiled: true };

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
const ms = (v: number) => `${v.toFixed(1)} ms`;
const line = (s: string) => process.stdout.write(`${s}\n`);

/** Runs functions given to the returned `limit` at most `n` at a time. */
function pLimit(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async (fn) => {
    if (active >= n) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

/** SIGTERM, then SIGKILL for a process still there after 15 s (said on stderr). */
async function stopAll(procs: (Proc | undefined)[]): Promise<void> {
  await Promise.all(
    procs
      .filter((p): p is Proc => p !== undefined)
      .map(async (p) => {
        const timer = setTimeout(() => {
          process.stderr.write(`bench: ${p.child.spawnargs.slice(0, 4).join(' ')} did not stop in 15 s: killed\n${p.output().slice(-1500)}\n`);
          void p.kill();
        }, 15_000);
        await p.stop();
        clearTimeout(timer);
      }),
  );
}

/** Publish on one replica, poll the others until they serve it: how long after the acknowledgement. */
async function latency(): Promise<void> {
  const store = await mkdtemp(join(tmpdir(), 'bench-cluster-latency-'));
  const redis = await startRedis();
  const replicas = await Promise.all([0, 1, 2].map(() => startReplica(redis.url, store, [], compiled)));
  try {
    const lags: number[] = [];
    const acks: number[] = [];
    const n = Number(process.env.ROUNDS ?? 200);
    for (let i = 0; i < n; i++) {
      const name = `lat-${i}`;
      const from = replicas[i % 3]!;
      const others = replicas.filter((r) => r !== from);
      const text = await documentAs('units', name);
      const t0 = performance.now();
      const answer = await publish(from.url, text);
      if (answer.status !== 201) throw new Error(`publish answered ${answer.status}`);
      const acked = performance.now();
      acks.push(acked - t0);
      await Promise.all(
        others.map(async (r) => {
          for (;;) {
            const response = await fetch(`${r.url}/publications/${name}`);
            await response.arrayBuffer();
            if (response.status === 200) return;
            await new Promise((resolve) => setTimeout(resolve, 1));
          }
        }),
      );
      lags.push(performance.now() - acked);
    }
    line(`## publish → visible on every replica (3 replicas, ${n} publishes of a 2-cube document, one at a time)`);
    line(`acknowledged: p50 ${ms(quantile(acks, 0.5))}, p99 ${ms(quantile(acks, 0.99))}`);
    line(`served by the 2 other replicas, after the acknowledgement: p50 ${ms(quantile(lags, 0.5))}, p99 ${ms(quantile(lags, 0.99))}, max ${ms(Math.max(...lags))}`);
  } finally {
    await stopAll([...replicas, redis]);
    await rm(store, { recursive: true, force: true });
  }
}

/** Distinct maps and reductions (no cache hits) at a fixed concurrency: requests/s and p99, then the cache hits. */
async function compute(): Promise<void> {
  const store = await mkdtemp(join(tmpdir(), 'bench-cluster-compute-'));
  const redis = await startRedis();
  const replica = await startReplica(redis.url, store, ['--data-base', IRIS_DATA, '--compute', 'local'], compiled);
  const workerReplica = await startReplica(redis.url, store, ['--data-base', IRIS_DATA, '--compute', 'workers'], compiled);
  const workers: Proc[] = [];
  const text = await documentAs('small_theta_colpex', 'colpex');
  const concurrency = 4;
  // MAP=2000: maps 2000 pixels wide (default: the route's 800), where drawing outweighs a job's overhead.
  const size = process.env.MAP ? `&width=${process.env.MAP}` : '';
  const requests = (): string[] => {
    const urls: string[] = [];
    for (let t = 0; t < 6; t++) for (let l = 0; l < 10; l++) urls.push(`/publications/colpex/cubes/0/plot.png?sel=${t},${l},:,:${size}`);
    for (let l = 0; l < 10; l++) urls.push(`/publications/colpex/cubes/0/collapsed?coords=time&op=mean&sel=:,${l},:,:`);
    return urls;
  };
  const run = async (base: string, urls: string[]) => {
    const limit = pLimit(concurrency);
    const times: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      urls.map((u) =>
        limit(async () => {
          const s = performance.now();
          const r = await fetch(`${base}${u}`);
          await r.arrayBuffer();
          if (r.status !== 200) throw new Error(`${u}: ${r.status}`);
          times.push(performance.now() - s);
        }),
      ),
    );
    const seconds = (performance.now() - t0) / 1000;
    return `${(urls.length / seconds).toFixed(1)} req/s, p50 ${ms(quantile(times, 0.5))}, p99 ${ms(quantile(times, 0.99))}`;
  };
  try {
    line(`## maps and reductions (${requests().length} distinct requests: 60 PNG maps (83×83 cells, ${process.env.MAP ?? 800} pixels wide) of small_theta_colpex, 10 means over time; ${concurrency} clients; ${cpus().length} cores)`);
    // Each configuration publishes anew: a new version, so nothing comes from the cache.
    await publish(replica.url, text, true);
    await run(replica.url, requests().slice(0, 4)); // warm-up: code compiled, model built
    await publish(replica.url, text, true);
    line(`in the replica (--compute local): ${await run(replica.url, requests())}`);
    line(`cache hits (the same requests again): ${await run(replica.url, requests())}`);
    for (const count of [1, 2]) {
      while (workers.length < count) workers.push(await startWorker(redis.url, ['--store', store, '--data-base', IRIS_DATA, '--concurrency', '1'], compiled));
      await publish(replica.url, text, true);
      await run(workerReplica.url, requests().slice(0, 4));
      await publish(replica.url, text, true);
      line(`${count} worker${count > 1 ? 's' : ''} (concurrency 1 each): ${await run(workerReplica.url, requests())}`);
    }
  } finally {
    await stopAll([replica, workerReplica, ...workers, redis]);
    await rm(store, { recursive: true, force: true });
  }
}

/** A TCP proxy to `port` that delays every chunk by `delayMs` in each direction (a round trip of twice that). */
async function delayProxy(port: number, delayMs: number): Promise<{ port: number; close(): void }> {
  const sockets = new Set<NodeJS.ReadableStream & { destroy(): void }>();
  const server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    const relay = (from: NodeJS.ReadableStream, to: NodeJS.WritableStream & { destroyed?: boolean }) =>
      from.on('data', (chunk: Buffer) => setTimeout(() => !to.destroyed && to.write(chunk), delayMs));
    relay(client, upstream);
    relay(upstream, client);
    const end = () => setTimeout(() => (client.destroy(), upstream.destroy()), delayMs);
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => {
    server.close();
    for (const s of sockets) s.destroy();
  };
  return { port: (server.address() as { port: number }).port, close };
}

/** 10,000 publications in S3 behind a 20 ms round trip, an empty Redis, 3 replicas: until all list everything. */
async function refresh(): Promise<void> {
  const count = Number(process.env.COUNT ?? 10_000);
  const s3 = await startS3Server({ bucket: 'bench-cluster' });
  const proxy = await delayProxy(Number(new URL(s3.endpoint).port), 10);
  const limit = pLimit(32);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: count }, (_, i) => limit(async () => {
    const name = `pub-${String(i).padStart(5, '0')}`;
    await s3.put(`pubs/${name}.cube.md`, Buffer.from(await documentAs('units', name, `publication ${i}`)));
  })));
  line(`## registry refresh from S3 (${count} publications of 2 cubes, ~2 KB each; S3 behind a proxy adding 20 ms per round trip)`);
  line(`(uploaded in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const redis = await startRedis();
  const env = { ...s3.env, CUBEMARK_S3_ENDPOINT: `http://127.0.0.1:${proxy.port}` };
  let replicas: ReplicaProc[] = [];
  try {
    const started = performance.now();
    replicas = await Promise.all([0, 1, 2].map(() => startReplica(redis.url, `s3://${s3.bucket}/pubs/`, [], { ...compiled, env })));
    const listening = performance.now() - started;
    const all = await Promise.all(
      replicas.map(async (r) => {
        for (;;) {
          const { publications } = (await (await fetch(`${r.url}/publications`)).json()) as { publications: { state: string }[] };
          if (publications.filter((p) => p.state === 'ready').length === count) return performance.now() - started;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }),
    );
    const report = [(await Promise.any(replicas.map((r) => r.seen(/cluster: refreshed the registry[^\n]*/))))[0]];
    line(`3 replicas listening after ${(listening / 1000).toFixed(1)} s; all ${count} listed on every replica after ${(Math.max(...all) / 1000).toFixed(1)} s (each: ${all.map((v) => (v / 1000).toFixed(1)).join(', ')} s)`);
    for (const r of report) line(`  ${r}`);
    // The same store, the registry already full: what a restart of the replicas costs.
    await stopAll(replicas);
    const again = performance.now();
    replicas = await Promise.all([0, 1, 2].map(() => startReplica(redis.url, `s3://${s3.bucket}/pubs/`, [], { ...compiled, env })));
    const warm = await Promise.any(replicas.map((r) => r.seen(/cluster: refreshed the registry[^\n]*/)));
    line(`restarted over a full registry: listening after ${((performance.now() - again) / 1000).toFixed(1)} s; ${warm[0]}`);
    // Redis loses its data (FLUSHALL), the replicas restart: the refresh takes the records from the store's snapshot.
    await stopAll(replicas);
    replicas = [];
    execFileSync('redis-cli', ['-p', String(redis.port), 'FLUSHALL']);
    const cold = performance.now();
    replicas = await Promise.all([0, 1, 2].map(() => startReplica(redis.url, `s3://${s3.bucket}/pubs/`, [], { ...compiled, env })));
    const listed = await Promise.all(
      replicas.map(async (r) => {
        for (;;) {
          const { publications } = (await (await fetch(`${r.url}/publications`)).json()) as { publications: { state: string }[] };
          if (publications.filter((p) => p.state === 'ready').length === count) return performance.now() - cold;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }),
    );
    const snapshotReport = (await Promise.any(replicas.map((r) => r.seen(/cluster: refreshed the registry[^\n]*/))))[0];
    line(`Redis emptied, replicas restarted (the store's snapshot): all ${count} listed on every replica after ${(Math.max(...listed) / 1000).toFixed(1)} s (each: ${listed.map((v) => (v / 1000).toFixed(1)).join(', ')} s)`);
    line(`  ${snapshotReport}`);
    // A record taken from the snapshot is served after one read of its file (then from Redis, on every replica).
    const name = `pub-${String(Math.floor(count / 2)).padStart(5, '0')}`;
    const firstUse = performance.now();
    const answer = await fetch(`${replicas[0]!.url}/publications/${name}.md`);
    await answer.text();
    const firstMs = performance.now() - firstUse;
    const secondUse = performance.now();
    await (await fetch(`${replicas[1]!.url}/publications/${name}.md`)).text();
    line(`  first use of a record taken from the snapshot: ${ms(firstMs)} (HTTP ${answer.status}); on another replica then: ${ms(performance.now() - secondUse)}`);
  } finally {
    await stopAll([...replicas, redis]);
    proxy.close();
    await s3.stop();
  }
}

if (wants('latency')) await latency();
if (wants('compute')) await compute();
if (wants('refresh')) await refresh();
