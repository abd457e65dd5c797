/**
 * `cubemark show` of the real NetCDF-4 files of iris-test-data read from a local path, over HTTP (a real node:http
 * server with Range support) and from S3 (s3rver): the three print the same text, and each cube's summary is what
 * Iris printed for it (IRIS-READING.md), byte for byte. Iris orders cubes as a Python set does, so printouts are
 * compared as sorted lists. A file Iris refuses is refused alike, with Iris's message, from every source. Known gaps
 * (`knownGap`) compare with Iris as `test.fails`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../src/main.js';
import type { Io } from '../src/io.js';
import { irisLoadError, irisTestDataDir, knownGap, readIrisReading } from '../../format/test/summary/iris-reading.js';
import { startHttpServer, type HttpTestServer } from '../../cube/test/helpers/http-server.js';
import { startS3Server, type S3TestServer } from '../../cube/test/helpers/s3-server.js';

const DATA = irisTestDataDir();
const READING = readIrisReading();
/** The NetCDF-4 (HDF5) files Iris printed. */
const FILES = [...READING.keys()].filter((path) => path.startsWith('NetCDF/') && readFileSync(join(DATA, path)).subarray(1, 4).toString('latin1') === 'HDF');

async function show(uri: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), isTty: false };
  const code = await main(['show', uri], io);
  return { code, out, err };
}

let http: HttpTestServer;
let s3: S3TestServer;
let restoreEnv: () => void;
const local = new Map<string, { code: number; out: string; err: string }>();
beforeAll(async () => {
  http = await startHttpServer(DATA);
  s3 = await startS3Server();
  restoreEnv = s3.applyEnv();
  for (const path of FILES) {
    await s3.put(path, join(DATA, path));
    local.set(path, await show(join(DATA, path)));
  }
}, 120_000);
afterAll(async () => {
  restoreEnv?.();
  await s3?.stop();
  await http?.stop();
});

test('the NetCDF-4 files of IRIS-READING.md', () => {
  expect(FILES).toHaveLength(10);
});

const schemes = [
  ['local', (path: string) => join(DATA, path)],
  ['http', (path: string) => `${http.url}/${path}`],
  ['s3', (path: string) => s3.uri(path)],
] as const;

describe.each(FILES)('%s', (path) => {
  const irisTest = knownGap(path) ? test.fails : test;
  const refused = irisLoadError(path);

  test.each(schemes.filter(([scheme]) => scheme !== 'local'))('over %s: the text the local file shows, and its warnings', async (_scheme, uriOf) => {
    const remote = await show(uriOf(path));
    expect(remote.code).toBe(local.get(path)!.code);
    expect(remote.out).toBe(local.get(path)!.out);
    // A refusal names the URI it was given; everything else is the same text.
    const uri = (text: string, given: string) => text.split(given).join('<uri>');
    expect(uri(remote.err, uriOf(path))).toBe(uri(local.get(path)!.err, join(DATA, path)));
  });

  if (refused) {
    test.each(schemes)("from %s: refused as Iris refuses it, with Iris's message", async (_scheme, uriOf) => {
      const { code, err } = _scheme === 'local' ? local.get(path)! : await show(uriOf(path));
      expect(code).toBe(1);
      expect(err).toMatch(/^cubemark: UGRID_\w+ /m);
      expect(err).toContain(refused.message);
    });
    return;
  }

  irisTest.each(schemes)("from %s: print(cube) of every cube is Iris's", async (_scheme, uriOf) => {
    const { code, out } = _scheme === 'local' ? local.get(path)! : await show(uriOf(path));
    expect(code).toBe(0);
    const expected = READING.get(path) ?? [];
    const got = out.replace(/\n$/, '').split('\n\n');
    expect(got).toHaveLength(expected.length);
    expect([...got].sort()).toEqual([...expected].sort());
  });
});
