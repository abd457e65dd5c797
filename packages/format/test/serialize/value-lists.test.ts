/**
 * Property tests of the canonical value lists (spec §13.5) on lists of every length around the limits: one-line
 * lists, regular sequences, edges, lists over several lines and bytes read back as the same values; fmt is
 * idempotent; both YAML readers agree on them.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { parse, serialize, type CubeMeta, type NumericDtype, type Publication } from '../../src/index.js';
import { parseYamlFast } from '../../src/yaml/fast.js';
import { DEFAULT_LIMITS } from '../../src/yaml/limits.js';
import { parseYamlSlow } from '../../src/yaml/slow.js';
import { byValues } from '../helpers/by-values.js';
import { numericDtype, typed, valuesFor } from '../helpers/arbitrary.js';

/** Strictly increasing float64 points, regular or jittered, and bounds that touch or not. */
const axis = fc
  .record({
    n: fc.integer({ min: 1, max: 45 }),
    start: fc.double({ min: -1000, max: 1000, noNaN: true }),
    step: fc.constantFrom(0.0135, 1, 0.5, 30),
    jitter: fc.boolean(),
    bounds: fc.constantFrom('none', 'contiguous', 'overlapping'),
  })
  .map(({ n, start, step, jitter, bounds }) => {
    const points = Float64Array.from({ length: n }, (_, i) => start + i * step + (jitter ? ((i * 7919) % 13) * step * 0.01 : 0));
    const edges = Float64Array.from({ length: n + 1 }, (_, i) => (i === 0 ? points[0]! - step / 2 : i === n ? points[n - 1]! + step / 2 : (points[i - 1]! + points[i]!) / 2));
    const pairs =
      bounds === 'contiguous'
        ? Float64Array.from({ length: 2 * n }, (_, k) => edges[(k >> 1) + (k & 1)]!)
        : Float64Array.from({ length: 2 * n }, (_, k) => points[k >> 1]! + ((k & 1) === 0 ? -step : step));
    return { n, points, bounds: bounds === 'none' ? undefined : pairs };
  });

const data = fc
  .record({ dtype: numericDtype, rows: fc.integer({ min: 1, max: 6 }), cols: fc.integer({ min: 1, max: 25 }) })
  .chain(({ dtype, rows, cols }) => valuesFor(dtype, rows * cols).map((v) => ({ dtype, rows, cols, values: typed(dtype, v) })));

const publication = fc.record({ version: fc.constantFrom(1 as const, 1.1 as const), x: axis, d: data }).map(({ version, x, d }): Publication => {
  const cube: CubeMeta = {
    long_name: 'lists',
    units: '1',
    dtype: d.dtype,
    dims: ['x', 'r', 'c'],
    shape: [x.n, d.rows, d.cols],
    data: { kind: 'source', dtype: d.dtype, shape: [x.n, d.rows, d.cols], source: 0, format: 'netcdf', variable: 'v' },
    attributes: {},
    global_attributes: {},
    cell_methods: [],
    dim_coords: {
      x: { units: 'm', dims: ['x'], points: { kind: 'inline', dtype: 'float64', shape: [x.n], values: x.points }, ...(x.bounds && { bounds: { kind: 'inline', dtype: 'float64', shape: [x.n, 2], values: x.bounds } }), attributes: {} },
    },
    aux_coords: {},
    derived_coords: {},
    cell_measures: {},
    ancillary_variables: { field: { units: '1', dims: ['r', 'c'], data: { kind: 'inline', dtype: d.dtype as NumericDtype, shape: [d.rows, d.cols], values: d.values }, attributes: {} } },
  };
  return { cubemark: version, name: 'lists', provenance: {}, sources: [{ uri: 'v.nc' }], coord_systems: {}, cubes: [cube] };
});

test('value lists of every length read back as the same values, fmt is idempotent, and both readers agree', () => {
  fc.assert(
    fc.property(publication, (pub) => {
      const text = serialize(pub);
      const r = parse(text);
      expect(r.errors.map((e) => e.format())).toEqual([]);
      expect(byValues(r.publication)).toStrictEqual(byValues(pub));
      expect(serialize(r.publication!, { body: r.body })).toBe(text);
      const yaml = text.slice(4, text.indexOf('\n---\n') + 1);
      const fast = parseYamlFast(yaml, DEFAULT_LIMITS);
      expect(fast).not.toBeUndefined();
      expect(fast).toStrictEqual(parseYamlSlow(yaml, DEFAULT_LIMITS).value);
      if (pub.cubemark === 1) expect(text).not.toContain('edges');
    }),
    { numRuns: Number(process.env.FC_RUNS ?? 200) },
  );
});
