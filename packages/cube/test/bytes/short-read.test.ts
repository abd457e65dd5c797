/**
 * A ranged answer whose body is shorter than asked: both remote byte sources judge it by one rule
 * (`checkRangedBody`): short is fine only when the bytes that arrived reach the object's end.
 *
 * One real HTTP server plays both the HTTP server and an S3 endpoint (path-style `GET /bucket/key` with `Range`,
 * which is all a ranged S3 read is). It cuts the answers for `cut.bin` to 50 bytes while `Content-Range` still
 * names the whole range asked, as a server or proxy that ends a body early does. The S3 source used to trust the
 * end the header claimed, so a cut answer whose range ran to the object's end came back as 50 bytes, no error.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpByteSource } from '../../src/bytes/http.js';
import { S3ByteSource } from '../../src/bytes/s3.js';
import type { ByteSource } from '../../src/bytes/types.js';
import { startHttpServer, type HttpTestServer } from '../helpers/http-server.js';
import { rejection } from '../helpers/rejection.js';

const SIZE = 1000;
const BYTES = Uint8Array.from({ length: SIZE }, (_, i) => (i * 7) % 256);
const CUT = 50;

describe('a ranged answer cut short while its Content-Range names the whole range', () => {
  let dir: string;
  let server: HttpTestServer;
  const savedEnv: Record<string, string | undefined> = {};
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cubemark-short-read-'));
    await mkdir(join(dir, 'bucket'));
    await writeFile(join(dir, 'bucket', 'cut.bin'), BYTES);
    await writeFile(join(dir, 'bucket', 'whole.bin'), BYTES);
    server = await startHttpServer(dir, { shortBody: (r) => (r.path.endsWith('cut.bin') ? CUT : undefined) });
    // The SDK's default chain wants credentials; the test server checks none.
    for (const [key, value] of Object.entries({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' })) {
      savedEnv[key] = process.env[key];
      process.env[key] = value;
    }
  });
  afterAll(async () => {
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => server.reset());

  const sources: [string, (name: string) => ByteSource][] = [
    ['HTTP', (name) => new HttpByteSource(`${server.url}/bucket/${name}`)],
    ['S3', (name) => new S3ByteSource(`s3://bucket/${name}`, { s3: { endpoint: server.url, forcePathStyle: true } })],
  ];

  describe.each(sources)('%s', (_, open) => {
    it('refuses a body that stops before the object ends although the header says the range runs to the end', async () => {
      const src = open('cut.bin');
      try {
        const error = await rejection(src.getRange(SIZE - 100, 100));
        expect(error.code).toBe('SHORT_READ');
        expect(error.message).toContain(`got ${CUT} bytes, expected 100 (object is ${SIZE} bytes)`);
        expect(server.requests.map((r) => [r.range, r.status, r.bytes])).toEqual([[`bytes=${SIZE - 100}-${SIZE - 1}`, 206, CUT]]);
      } finally {
        await src.close();
      }
    });

    it('refuses a body cut short in the middle of the object', async () => {
      const src = open('cut.bin');
      try {
        expect((await rejection(src.getRange(100, 100))).code).toBe('SHORT_READ');
      } finally {
        await src.close();
      }
    });

    it('takes a short body that reaches the object end: a range past the end', async () => {
      const src = open('whole.bin');
      try {
        expect(await src.getRange(SIZE - CUT, 100)).toEqual(BYTES.subarray(SIZE - CUT));
        expect(server.requests.map((r) => [r.range, r.status, r.bytes])).toEqual([[`bytes=${SIZE - CUT}-${SIZE - CUT + 99}`, 206, CUT]]);
      } finally {
        await src.close();
      }
    });
  });
});
