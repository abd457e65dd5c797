import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from '@cubemark/format';
import { run } from './helpers/run.js';
import { irisTestDataDir, readIrisReading } from '../../format/test/summary/iris-reading.js';

const iris = irisTestDataDir();
const reading = readIrisReading();
const umFiles = [...reading.keys()].filter((p) => p.startsWith('PP/') || p.startsWith('FF/'));

describe('cubemark show and import take PP files and fieldsfiles', () => {
  test.each(umFiles)('%s: show prints what Iris prints, line for line', async (rel) => {
    const r = await run('show', join(iris, rel));
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.trimEnd().split('\n')).toEqual((reading.get(rel) ?? []).join('\n\n').split('\n'));
  });

  test.each(umFiles)('%s: import writes a valid publication with pp references, relative to the base', async (rel) => {
    const out = join(mkdtempSync(join(tmpdir(), 'cubemark-pp-import-')), 'x.cube.md');
    const r = await run('import', join(iris, rel), '-o', out, '--base', iris, '--name', 'um-file');
    expect(r.code).toBe(0);
    const doc = parse(readFileSync(out), { file: out });
    expect(doc.errors.map((e) => e.format())).toEqual([]);
    expect(doc.publication!.sources).toMatchObject([{ uri: rel, size: statSync(join(iris, rel)).size }]);
    for (const cube of doc.publication!.cubes) expect(cube.data).toMatchObject({ kind: 'source', format: 'pp', source: 0 });
    for (const block of reading.get(rel) ?? []) expect(doc.body).toContain(block);
    expect((await run('validate', out)).code).toBe(0);
  });
});

test('import of a run written one file per time merges across the files, as iris.load does', async () => {
  // COLPEX cut into a file per validity time (20 fields each; the orography last): iris.load of the files in
  // order reads the same fields in the same order as of the whole file, so prints what Iris printed for it.
  const rel = 'PP/COLPEX/small_colpex_theta_p_alt.pp';
  const bytes = readFileSync(join(iris, rel));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dir = mkdtempSync(join(tmpdir(), 'cubemark-pp-times-'));
  const paths: string[] = [];
  for (let pos = 0, n = 0; pos < bytes.length; n++) {
    const start = pos;
    // 20 fields (a header record and a data record each) per time; the last file holds what is left.
    for (let record = 0; record < 40 && pos < bytes.length; record++) pos += 8 + view.getInt32(pos, false);
    paths.push(join(dir, `colpex_${n}.pp`));
    writeFileSync(paths[n], bytes.subarray(start, pos));
  }
  expect(paths).toHaveLength(7);
  const out = join(dir, 'colpex.cube.md');
  const r = await run('import', ...paths, '-o', out, '--base', dir, '--name', 'colpex');
  expect(r.code).toBe(0);
  expect(r.err).toContain('wrote');
  expect(r.err).not.toContain('warning');
  const doc = parse(readFileSync(out), { file: out });
  expect(doc.errors.map((e) => e.format())).toEqual([]);
  expect(doc.publication!.sources.map((s) => s.uri)).toEqual(paths.map((_, n) => `colpex_${n}.pp`));
  expect(doc.publication!.cubes).toHaveLength(3);
  for (const block of reading.get(rel) ?? []) expect(doc.body).toContain(block);
  expect(doc.publication!.cubes[0].data).toMatchObject({ kind: 'source', format: 'pp', options: { source: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5] } });
  expect((await run('validate', out)).code).toBe(0);
});
