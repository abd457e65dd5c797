/**
 * SourceChecker on local files (stat'ed directly) and on others (through the cube package's byte sources): the
 * same verdicts whichever way a local file is named.
 */
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { SourceChecker } from '@cubemark/restore';
import { startHttpServer } from '../../cube/test/helpers/http-server.js';
import { folderPerTest } from './helpers/folder.js';

let dir: string;
let checker: SourceChecker | undefined;
folderPerTest('cubemark-sources-', (d) => (dir = d), async () => {
  await checker?.close();
  checker = undefined;
});

const MTIME = new Date('2024-05-15T04:02:11Z');

test('local files named by relative path, absolute path or file: URI: unchanged, changed, missing, not a file', async () => {
  await writeFile(join(dir, 'a.nc'), Buffer.alloc(10));
  await utimes(join(dir, 'a.nc'), MTIME, MTIME);
  await mkdir(join(dir, 'folder.nc'));
  checker = new SourceChecker({ base: dir });
  const same = { size: 10, mtime: '2024-05-15T04:02:11Z' };
  const findings = await checker.check({
    sources: [
      { uri: 'a.nc', ...same },
      { uri: join(dir, 'a.nc'), ...same },
      { uri: pathToFileURL(join(dir, 'a.nc')).href, ...same },
      { uri: 'a.nc', size: 11 },
      { uri: 'a.nc', mtime: '2024-05-15T04:02:12Z' },
      { uri: 'gone.nc', size: 1 },
      { uri: 'folder.nc' },
    ],
  });
  expect(findings.unchecked).toEqual([]);
  expect(findings.stale.sort()).toEqual(
    [
      'source a.nc changed size since it was published (11 → 10 bytes)',
      'source a.nc was modified since it was published (2024-05-15T04:02:12Z → 2024-05-15T04:02:11.000Z)',
      'source gone.nc is missing',
      'source folder.nc is missing',
    ].sort(),
  );
});

test('a file: base works as a folder path does; an http base goes through byte sources', async () => {
  await writeFile(join(dir, 'b.nc'), Buffer.alloc(3));
  checker = new SourceChecker({ base: pathToFileURL(dir).href });
  expect(await checker.check({ sources: [{ uri: 'b.nc', size: 3 }, { uri: 'c.nc', size: 3 }] })).toEqual({ stale: ['source c.nc is missing'], unchecked: [] });
  await checker.close();

  const served = await mkdtemp(join(tmpdir(), 'cubemark-sources-http-'));
  await writeFile(join(served, 'd.nc'), '12345');
  const server = await startHttpServer(served);
  try {
    checker = new SourceChecker({ base: `${server.url}/` });
    expect(await checker.check({ sources: [{ uri: 'd.nc', size: 5 }, { uri: 'e.nc', size: 5 }] })).toEqual({ stale: ['source e.nc is missing'], unchecked: [] });
  } finally {
    await server.stop();
    await rm(served, { recursive: true, force: true });
  }
});
