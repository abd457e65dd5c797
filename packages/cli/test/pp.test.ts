import { mkdtempSync, readFileSync, statSync } from 'node:fs';
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
