import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { freePort, spawnCubemark, startRedis, startReplica } from './helpers/processes.js';

/** A Redis password in `--redis` is never handed out: not in the status route, not in an error. */
describe('the Redis URL without its password (a real redis-server with requirepass)', { timeout: 60_000 }, () => {
  test('the status route and a failed start name Redis as redis://***@host', async () => {
    const store = await mkdtemp(join(tmpdir(), 'cubemark-cluster-secret-'));
    const redis = await startRedis(undefined, ['--requirepass', 'topsecret']);
    const url = redis.url.replace('redis://', 'redis://:topsecret@');
    const replica = await startReplica(url, store);
    try {
      const status = await (await fetch(`${replica.url}/cluster/status`)).text();
      expect(status).toContain('redis://***@127.0.0.1');
      expect(status).not.toContain('topsecret');
      // Nothing listens on this port: the start fails, naming Redis without the password.
      const failed = spawnCubemark(['serve', '--redis', `redis://:topsecret@127.0.0.1:${await freePort()}`, '--store', store, '--port', '0']);
      expect(await failed.exited).not.toBe(0);
      expect(failed.output()).toMatch(/redis:\/\/\*\*\*@127\.0\.0\.1:\d+/);
      expect(failed.output()).not.toContain('topsecret');
    } finally {
      await replica.stop();
      await redis.stop();
      await rm(store, { recursive: true, force: true });
    }
  });
});
