import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import * as hdf5 from '../src/index.js';

describe('conventions', () => {
  test('every error code is documented in the README', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const missing = hdf5.HDF5_ERROR_CODES.filter((code) => !readme.includes(`| \`${code}\` |`));
    expect(missing).toEqual([]);
  });

  test('the public surface', () => {
    expect(Object.keys(hdf5).sort()).toMatchInlineSnapshot(`
      [
        "FILTER_NAMES",
        "HDF5_ERROR_CODES",
        "HDF5_SIGNATURE",
        "Hdf5CorruptError",
        "Hdf5Dataset",
        "Hdf5Error",
        "Hdf5File",
        "Hdf5Group",
        "Hdf5LimitError",
        "Hdf5NamedDatatype",
        "Hdf5UnsupportedError",
        "Hdf5UsageError",
        "PageCache",
        "bufferReader",
        "describeDatatype",
        "findSignature",
        "openHdf5",
      ]
    `);
  });
});
