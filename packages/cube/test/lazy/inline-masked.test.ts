import { readFileSync } from 'node:fs';
import { parseOrThrow } from '@cubemark/format';
import { describe, expect, test } from 'vitest';
import { createSourcePool, defaultRegistry, fromArrayData } from '../../src/index.js';

/** Stored values held inline (spec §14.4): the conformance example decodes to masked points, reading no source. */
describe('spec/conformance/valid/masked-inline.cube.md', () => {
  test('a valid range and a packed fill value mask points; the rest decode as from a file', async () => {
    const text = readFileSync(new URL('../../../../spec/conformance/valid/masked-inline.cube.md', import.meta.url), 'utf8');
    const { publication } = parseOrThrow(text);
    const [cube] = publication.cubes;
    const pool = createSourcePool();
    try {
      const ctx = { sources: publication.sources, pool, plugins: defaultRegistry };
      const latitude = await fromArrayData(cube.aux_coords.latitude.points, ctx).read();
      expect(latitude.dtype).toBe('float32');
      expect([...(latitude.mask ?? [])]).toEqual([1, 0, 0, 0, 1]);
      expect([...latitude.values].slice(1, 4)).toEqual([-87.5, 0, 87.5]);
      const station = await fromArrayData(cube.aux_coords.station.points, ctx).read();
      expect([...(station.mask ?? [])]).toEqual([0, 1, 0, 0, 0]);
      expect([...station.values].filter((_, i) => i !== 1)).toEqual([5, 15, 20, 25]);
    } finally {
      await pool.close();
    }
  });
});

describe('64-bit integers held inline', () => {
  test('quoted decimal strings beyond 2^53 read exactly, and mask by their fill value', async () => {
    const pool = createSourcePool();
    try {
      const array = fromArrayData(
        {
          kind: 'source',
          dtype: 'int64',
          shape: [3],
          source: 0,
          format: 'inline',
          variable: 'id',
          fill_value: -1,
          options: { values: ['9007199254740993', -1, 7] },
        },
        { sources: [{ uri: 'doc' }], pool, plugins: defaultRegistry },
      );
      const read = await array.read();
      expect([...(read.values as BigInt64Array)]).toEqual([9007199254740993n, -1n, 7n]);
      expect([...(read.mask ?? [])]).toEqual([0, 1, 0]);
    } finally {
      await pool.close();
    }
  });
});
