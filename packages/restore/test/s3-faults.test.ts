import { parse, serialize } from '@cubemark/format';
import { createScheduler, createServer } from '@cubemark/scheduler';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRestorePlugin, S3Store } from '@cubemark/restore';
import { startS3Server, type S3TestServer } from '../../cube/test/helpers/s3-server.js';
import { randomPlan, startFaultProxy, type Fault, type FaultProxy } from './helpers/fault-proxy.js';
import { makePublication } from './helpers/publications.js';

/**
 * An S3 store behind a proxy that injects 5xx answers, connection resets, hangs, slow and truncated bodies and
 * lost answers: writes are retried within a deadline and then refused, reads retried, nothing is ever torn, and a
 * boot against a flaky store serves what it can and says what it could not.
 */

const TOKEN = 'fault-token-0123456789ab';
const RETRY = { attemptTimeoutMs: 400, deadlineMs: 2500, minDelayMs: 10 };
const quiet = { info() {}, warn() {}, error() {} };

let s3: S3TestServer;
let restoreEnv: () => void;
let proxy: FaultProxy;
beforeAll(async () => {
  s3 = await startS3Server({ bucket: 'cubemark-faults' });
  restoreEnv = s3.applyEnv();
  proxy = await startFaultProxy(s3.endpoint);
});
afterAll(async () => {
  await proxy?.stop();
  restoreEnv?.();
  await s3?.stop();
});

/** A store through the proxy, and one straight to s3rver to see what is really stored. */
const flaky = (prefix: string) => new S3Store(s3.uri(prefix), { s3: { endpoint: proxy.url }, retry: RETRY });
const direct = (prefix: string) => new S3Store(s3.uri(prefix));
const text = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);
const documentOf = (name: string, version = 0) => serialize(makePublication(name, { inlineData: true, sources: [], seed: version, title: `${name} v${version}` }));

/** A plan that gives `faults` to the requests in turn, then answers normally. */
function sequence(faults: Fault[]): FaultProxy['plan'] {
  let i = 0;
  return () => faults[i++] ?? 'ok';
}

describe('S3 store calls through faults', () => {
  test('a write survives a 503, a reset, a hang and a lost answer, and stores exactly what was sent', async () => {
    const store = flaky('a/');
    try {
      proxy.plan = sequence(['503', 'reset', 'hang', 'lost']);
      const before = proxy.log.length;
      await store.write('one', documentOf('one'));
      expect(proxy.log.slice(before).map((r) => r.fault)).toEqual(['503', 'reset', 'hang', 'lost', 'ok']);
      expect(text(await direct('a/').read('one'))).toBe(documentOf('one'));
    } finally {
      await store.close();
    }
  });

  test('a read survives 500s, a truncated body and a body too slow for its attempt, and returns every byte', async () => {
    const store = flaky('a/');
    try {
      proxy.plan = sequence(['500', 'truncate', 'slow', 'reset', '503']);
      const before = proxy.log.length;
      expect(text(await store.read('one'))).toBe(documentOf('one'));
      expect(proxy.log.slice(before).map((r) => r.fault)).toEqual(['500', 'truncate', 'slow', 'reset', '503', 'ok']);
      // A slow body that ends within the attempt's time is simply read.
      proxy.plan = sequence(['slow']);
      expect(text(await store.read('one'))).toBe(documentOf('one'));
    } finally {
      await store.close();
    }
  });

  test('a store that keeps failing: the write is refused once the deadline passes, saying how many attempts', async () => {
    const store = flaky('a/');
    try {
      proxy.plan = () => '503';
      const error = await store.write('two', documentOf('two')).catch((e: unknown) => e as Error & { code?: string; statusCode?: number });
      expect(error).toMatchObject({ code: 'STORE_WRITE_FAILED', statusCode: 503 });
      expect((error as Error).message).toMatch(/gave up after \d+ attempts/);
      expect(await direct('a/').read('two')).toBeUndefined();
    } finally {
      proxy.plan = () => 'ok';
      await store.close();
    }
  });
});

describe('a server on a flaky S3 store', () => {
  test('a publish storm through random faults: every acknowledged version is stored whole; refused ones are answered 503', async () => {
    const plugin = createRestorePlugin({ store: s3.uri('storm/'), threads: 0, progress: false, s3: { endpoint: proxy.url }, storeRetry: RETRY });
    const scheduler = createScheduler({ plugins: [plugin], dataBase: s3.uri('storm/'), log: quiet });
    const server = await createServer(scheduler, { token: TOKEN });
    const url = await server.listen({ port: 0, host: '127.0.0.1' });
    const acknowledged = new Map<string, string>();
    /** Versions of each name refused after its last acknowledged one: a lost answer may have stored one whole. */
    const refusedSince = new Map<string, string[]>();
    let ok = 0;
    try {
      await plugin.restored();
      proxy.plan = randomPlan(7, 0.35, ['500', '503', 'reset', 'hang', 'lost', 'slow']);
      for (let i = 0; i < 30; i++) {
        const name = `s${i % 10}`;
        const doc = documentOf(name, i);
        const response = await fetch(`${url}/publications?replace=true`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/markdown' },
          body: doc,
        });
        if (response.status < 300) {
          ok += 1;
          acknowledged.set(name, doc);
          refusedSince.set(name, []);
        } else {
          expect(response.status).toBe(503);
          refusedSince.set(name, [...(refusedSince.get(name) ?? []), doc]);
        }
      }
      // Faults were injected and most publishes still went through (retries), as the plan makes likely.
      expect(proxy.log.filter((r) => r.fault !== 'ok').length).toBeGreaterThan(5);
      expect(acknowledged.size).toBeGreaterThan(5);
      proxy.plan = () => 'ok';
      const injected = proxy.log.filter((r) => r.fault !== 'ok');
      const byKind = [...new Set(injected.map((r) => r.fault))].map((k) => `${k} ${injected.filter((r) => r.fault === k).length}`).join(', ');
      process.stderr.write(`figures: S3 publish storm: 30 publishes of 10 names, ${ok} acknowledged and ${30 - ok} refused 503, ${injected.length} of ${proxy.log.length} requests faulted (${byKind})\n`);
      // Served as acknowledged.
      for (const [name, doc] of acknowledged) {
        const md = await (await fetch(`${url}/publications/${name}.md`)).text();
        expect(parse(md).publication?.title).toBe(parse(doc).publication?.title);
      }
    } finally {
      proxy.plan = () => 'ok';
      await server.close();
    }
    // Stored whole: the last acknowledged version of each name (a refused write may have reached S3, but whole).
    const store = direct('storm/');
    try {
      for (const entry of await store.list()) {
        const stored = text(await store.read(entry.name))!;
        expect(parse(stored).publication, entry.name).toBeDefined();
      }
      for (const [name, doc] of acknowledged) {
        const stored = text(await store.read(name));
        expect(stored === doc || refusedSince.get(name)!.includes(stored!), name).toBe(true);
      }
    } finally {
      await store.close();
    }
  });

  test('booting from a flaky store serves what it can and says what it could not', async () => {
    const setup = direct('boot/');
    for (let i = 0; i < 12; i++) await setup.write(`b${i}`, documentOf(`b${i}`));
    await setup.close();
    // Reads of b3 and b7 always fail; every other request meets random faults a third of the time.
    const random = randomPlan(11, 0.33, ['500', '503', 'reset', 'truncate', 'hang']);
    proxy.plan = (request, n) => (/\/b[37]\.cube\.md/.test(request.url) && request.method === 'GET' ? '503' : random(request, n));
    const plugin = createRestorePlugin({ store: s3.uri('boot/'), threads: 0, progress: false, s3: { endpoint: proxy.url }, storeRetry: RETRY });
    const scheduler = createScheduler({ plugins: [plugin], dataBase: s3.uri('boot/'), log: quiet });
    const server = await createServer(scheduler, { token: TOKEN });
    const url = await server.listen({ port: 0, host: '127.0.0.1' });
    try {
      const report = await plugin.restored();
      expect(report.restored).toBe(10);
      process.stderr.write(`figures: S3 flaky boot: ${report.restored} of 12 restored, ${report.warnings.length} reported as not restored\n`);
      expect(report.quarantined).toEqual([]);
      expect(report.warnings.filter((w) => /^b[37] could not be restored: cannot read .*gave up|^b[37] could not be restored/.test(w))).toHaveLength(2);
      const list = (await (await fetch(`${url}/publications`)).json()) as { publications: { name: string }[] };
      expect(list.publications.map((p) => p.name).sort()).toEqual(['b0', 'b1', 'b10', 'b11', 'b2', 'b4', 'b5', 'b6', 'b8', 'b9']);
      const missing = await fetch(`${url}/publications/b3`);
      expect(missing.status).toBe(404);
      const body = (await missing.json()) as { code: string; message: string };
      expect(body.code).toBe('PUBLICATION_ABANDONED');
      expect(body.message).toContain('could not be restored');
    } finally {
      proxy.plan = () => 'ok';
      await server.close();
    }
  });
});
