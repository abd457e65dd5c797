import { join } from 'node:path';
import { cubeSummary, parse, serialize, type Publication } from '@cubemark/format';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadPublication, type CfWarning } from '../../src/cf/index.js';
import { irisTestDataDir, readIrisReading } from '../../../format/test/summary/iris-reading.js';

/**
 * Every PP file and fieldsfile of iris-test-data, loaded and compared with what Iris printed for it
 * (IRIS-READING.md): each cube's `print(cube)`, line for line, in Iris's order (merge sorts by standard name).
 */

const DATA = irisTestDataDir();
const READING = readIrisReading();
const UM_FILES = [...READING.keys()].filter((path) => path.startsWith('PP/') || path.startsWith('FF/'));

const loaded = new Map<string, { publication: Publication; warnings: CfWarning[] }>();
beforeAll(async () => {
  for (const path of UM_FILES) loaded.set(path, await loadPublication([join(DATA, path)], { base: DATA }));
});
const get = (path: string) => loaded.get(path) as { publication: Publication; warnings: CfWarning[] };

test('every PP file and fieldsfile in IRIS-READING.md is covered', () => {
  expect(UM_FILES).toHaveLength(12);
});

describe.each(UM_FILES)('%s', (path) => {
  test("print(cube) of every cube is Iris's, line for line and in Iris's order", () => {
    const got = get(path).publication.cubes.map((cube) => cubeSummary(cube));
    expect(got.join('\n\n').split('\n')).toEqual((READING.get(path) ?? []).join('\n\n').split('\n'));
  });

  test('data are pp references into the file; the publication round-trips through the format', () => {
    const { publication } = get(path);
    for (const cube of publication.cubes) expect(cube.data).toMatchObject({ kind: 'source', source: 0, format: 'pp' });
    const result = parse(serialize(publication));
    expect(result.errors).toEqual([]);
    expect(result.publication?.cubes).toHaveLength(publication.cubes.length);
  });

  test('Iris loads it without warnings, and so does cubemark', () => {
    expect(get(path).warnings).toEqual([]);
  });
});
