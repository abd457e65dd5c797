import { describe, expect, test } from 'vitest';
import { undocumentedCodes } from '../../format/test/helpers/conventions.js';
import * as hdf5 from '../src/index.js';

describe('conventions', () => {
  test('every error code is documented in the README', async () => {
    expect(await undocumentedCodes(new URL('../README.md', import.meta.url), hdf5.HDF5_ERROR_CODES)).toEqual([]);
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
