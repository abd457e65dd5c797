import { describe, expect } from 'vitest';
import { conventionTests } from '../../format/test/helpers/conventions.js';
import * as hdf5 from '../src/index.js';

describe('conventions', () => {
  conventionTests({ readme: new URL('../README.md', import.meta.url), errorCodes: hdf5.HDF5_ERROR_CODES, exports: hdf5 }, (names) => {
    expect(names).toMatchInlineSnapshot(`
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
        "KNOWN_FILTER_NAMES",
        "PageCache",
        "bufferReader",
        "describeDatatype",
        "findSignature",
        "openHdf5",
      ]
    `);
  });
});
