import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startS3Server, type S3TestServer } from '../../cube/test/helpers/s3-server.js';
import { startFaultProxy, type FaultProxy } from '../../restore/test/helpers/fault-proxy.js';
import { documentAs, names, request } from './helpers/cluster.js';
import { eventually, startRedis, startReplica, type RedisProc, type ReplicaProc } from './helpers/processes.js';

const COUNT = 30;
const nameOf = (i: number) => `pub-${String(i).padStart(3, '0')}`;

describe('a cold refresh from the snapshot in S3 (s3rver behind a proxy counting requests)', { timeout: 180_000 }, () => {
  let s3: S3TestServer;
  let proxy: FaultProxy;
  let redis: RedisProc;
  let client: Redis;
  let replica: ReplicaProc | undefined;

  beforeAll(async () => {
    s3 = await startS3Server({ bucket: 'cluster-snapshot' });
    for (let i = 0; i < COUNT; i++) await s3.put(`pubs/${nameOf(i)}.cube.md`, Buffer.from(await documentAs('units', nameOf(i), `title ${i}`)));
    proxy = await startFaultProxy(s3.endpoint);
    redis = await startRedis();
    client = new Redis(redis.url);
  });

  afterAll(async () => {
    await replica?.stop();
    client?.disconnect();
    await redis?.stop();
    await proxy?.stop();
    await s3?.stop();
  });

  const start = async () => {
    replica = await startReplica(redis.url, `s3://${s3.bucket}/pubs/`, [], { env: { ...s3.env, CUBEMARK_S3_ENDPOINT: proxy.url } });
    await eventually(async () => ((await names(replica!.url)).length === COUNT ? true : undefined), 60_000, `listing all ${COUNT}`);
    return (await replica.seen(/refreshed the registry from .*/))[0];
  };
  const gets = (re: RegExp) => proxy.log.filter((r) => r.method === 'GET' && re.test(r.url.split('?')[0]!)).length;

  test('after Redis lost its data, the refresh reads one listing and the snapshot, no publication; a record’s first use reads its file once', async () => {
    expect(await start()).toContain(`${COUNT} added`);
    expect(gets(/\.cube\.md$/)).toBe(COUNT);
    expect(proxy.log.some((r) => r.method === 'PUT' && r.url.includes('.cubemark/cluster-index.json.br'))).toBe(true);
    const before = (await request(`${replica!.url}/publications/pub-004.md`)).text;

    await replica!.kill();
    await client.flushall();
    proxy.log.length = 0;
    expect(await start()).toContain(`${COUNT} added (${COUNT} from the store's snapshot, not read)`);
    expect(gets(/\.cube\.md$/)).toBe(0);
    expect(gets(/\.cubemark\/cluster-index\.json\.br$/)).toBe(1);

    const after = await request(`${replica!.url}/publications/pub-004.md`);
    expect(after.status).toBe(200);
    expect(after.text).toBe(before);
    expect(gets(/\/pub-004\.cube\.md$/)).toBe(1);
    expect(gets(/\.cube\.md$/)).toBe(1);
    // Asked for at once, many times: still one read.
    const answers = await Promise.all(Array.from({ length: 6 }, () => request(`${replica!.url}/publications/pub-005.md`)));
    for (const a of answers) expect(a.status).toBe(200);
    expect(gets(/\/pub-005\.cube\.md$/)).toBe(1);
  });
});
