import type { CubeMeta } from '@cubemark/format';
import { describe, expect, it } from 'vitest';
import { Cube } from '../../src/model/cube.js';
import { CubeList } from '../../src/model/cube-list.js';
import { DimCoord } from '../../src/model/coords.js';
import { DuplicateDataError, MergeError } from '../../src/model/errors.js';
import { coord, inline, list, memoryPublication, TIME_UNITS, tasMeta, tasValues } from './helpers.js';

/** One time step of tas as its own cube (as one file per time step loads): time and forecast_period scalar. */
function stepMeta(t: number, extra: (m: CubeMeta) => void = () => {}): CubeMeta {
  const meta = tasMeta();
  meta.dims = ['latitude', 'longitude'];
  meta.shape = [3, 5];
  delete meta.dim_coords.time;
  meta.ancillary_variables = {};
  meta.aux_coords.time = coord('time', TIME_UNITS, [], inline(Float64Array.from([6 * t]), [1]), { calendar: 'standard', var_name: 'time' });
  meta.aux_coords.forecast_period = coord('forecast_period', 'hours', [], inline(Float64Array.from([6 * t + 3]), [1]));
  meta.data = { kind: 'source', dtype: 'float32', shape: [3, 5], source: 0, format: 'memory', variable: `tas${t}` };
  extra(meta);
  return meta;
}

function load(metas: CubeMeta[]) {
  const all = tasValues();
  const stored = Object.fromEntries([0, 1, 2, 3].map((t) => [`tas${t}`, { values: all.slice(t * 15, t * 15 + 15), shape: [3, 5] }]));
  const { publication, lazy, plugin } = memoryPublication(metas, stored);
  return { cubes: new CubeList(metas.map((m) => Cube.fromMeta(m, { publication, lazy }))), plugin };
}

const points = async (cube: Cube, name: string) => list((await cube.coord(name).points.values()).values);

describe('merge', () => {
  it('stacks single-time cubes into one with a leading time dimension, lazily, in time order', async () => {
    const { cubes, plugin } = load([2, 0, 3, 1].map((t) => stepMeta(t)));
    const merged = await cubes.mergeCube();
    expect(merged.dims).toEqual(['time', 'latitude', 'longitude']);
    expect(merged.shape).toEqual([4, 3, 5]);
    expect(merged.dimCoord('time')).toBeInstanceOf(DimCoord);
    expect(await points(merged, 'time')).toEqual([0, 6, 12, 18]);
    // forecast_period varies with time: it becomes an auxiliary coordinate on the same dimension.
    expect(merged.coordDims('forecast_period')).toEqual(['time']);
    expect(await points(merged, 'forecast_period')).toEqual([3, 9, 15, 21]);
    expect(merged.coordDims('height')).toEqual([]);
    expect(plugin.elements()).toBe(0);

    expect(list((await merged.readData()).values)).toEqual(list(tasValues()));
    plugin.slabs.length = 0;
    await merged.index([2, 1]).readData();
    expect(plugin.touched.slice(-1)).toEqual(['tas2']);
    expect(plugin.slabs.reduce((n, s) => n + s.count.reduce((p, c) => p * c, 1), 0)).toBe(5);

    // The result is still describable: a stack of the four source arrays, in time order.
    const meta = merged.toMeta();
    expect(meta.data).toMatchObject({ kind: 'combined', mode: 'stack', axis: 0, shape: [4, 3, 5] });
    expect(meta.data.kind === 'combined' && meta.data.parts.map((p) => (p.kind === 'source' ? p.variable : '?'))).toEqual(['tas0', 'tas1', 'tas2', 'tas3']);
    expect(meta.dim_coords.time.points).toEqual(inline(Float64Array.from([0, 6, 12, 18]), [4]));
  });

  it('makes one dimension per separable coordinate, ordered as Iris orders axes', async () => {
    const metas: CubeMeta[] = [];
    for (const t of [0, 1]) {
      for (const r of [0, 1]) {
        metas.push(stepMeta(t, (m) => {
          delete m.aux_coords.forecast_period;
          m.aux_coords.realization = coord('realization', '1', [], inline(Int32Array.from([r]), [1], 'int32'));
          m.data = { ...m.data, variable: `tas${2 * t + r}` } as CubeMeta['data'];
        }));
      }
    }
    const { cubes } = load(metas);
    const merged = await cubes.mergeCube();
    expect(merged.dims).toEqual(['realization', 'time', 'latitude', 'longitude']);
    expect(await points(merged, 'realization')).toEqual([0, 1]);
    expect(await points(merged, 'time')).toEqual([0, 6]);
    const data = await merged.index([1, 0, 0, 0]).readData();
    expect(list(data.values)).toEqual([list(tasValues())[15]]);
  });

  it('gives values that vary with no functional relation an anonymous dimension', async () => {
    const pairs = [[1, 10], [2, 10], [2, 20]];
    const metas = pairs.map(([a, b], i) =>
      stepMeta(i, (m) => {
        delete m.aux_coords.time;
        delete m.aux_coords.forecast_period;
        m.aux_coords.a = coord('a', '1', [], inline(Float64Array.from([a]), [1]), { standard_name: undefined, long_name: 'a' });
        m.aux_coords.b = coord('b', '1', [], inline(Float64Array.from([b]), [1]), { standard_name: undefined, long_name: 'b' });
      }),
    );
    const merged = await load(metas).cubes.mergeCube();
    expect(merged.shape).toEqual([3, 3, 5]);
    expect(merged.dimCoords.length).toBe(2);
    expect(merged.coordDims('a')).toEqual([merged.dims[0]]);
    expect(await points(merged, 'a')).toEqual([1, 2, 2]);
    expect(await points(merged, 'b')).toEqual([10, 10, 20]);
  });

  it('explains why cubes do not merge, in Iris words', async () => {
    const units = load([stepMeta(0), stepMeta(1, (m) => (m.units = 'degC'))]).cubes;
    await expect(units.mergeCube()).rejects.toThrow(MergeError);
    await expect(units.mergeCube()).rejects.toThrow('failed to merge into a single cube.\n  cube.units differ: K != degC');

    const attrs = load([stepMeta(0), stepMeta(1, (m) => (m.attributes.source = 'model run 8'))]).cubes;
    await expect(attrs.mergeCube()).rejects.toThrow("cube.attributes values differ for keys: 'source'");
    const keys = load([stepMeta(0), stepMeta(1, (m) => (m.attributes.comment = 'x'))]).cubes;
    await expect(keys.mergeCube()).rejects.toThrow("cube.attributes keys differ: 'comment'");

    const scalar = load([stepMeta(0), stepMeta(1, (m) => delete m.aux_coords.height)]).cubes;
    await expect(scalar.mergeCube()).rejects.toThrow('Coordinates in cube.aux_coords (scalar) differ: height.');
    const vector = load([stepMeta(0), stepMeta(1, (m) => (m.dim_coords.latitude.points = inline(Float64Array.from([-10, 0, 11]), [3])))]).cubes;
    await expect(vector.mergeCube()).rejects.toThrow('Coordinates in cube.dim_coords differ: latitude.');

    const duplicate = load([stepMeta(0), stepMeta(1), stepMeta(1)]).cubes;
    await expect(duplicate.mergeCube()).rejects.toThrow(DuplicateDataError);
    await expect(duplicate.mergeCube()).rejects.toThrow(
      // Scalars in Iris's order: hinted names first (time, forecast_period), then the rest.
      "Duplicate 'air_temperature' cube, with scalar coordinates time=Cell(point=1970-01-01 06:00:00, bound=None), forecast_period=Cell(point=9, bound=None), height=Cell(point=1.5, bound=None)",
    );
  });

  it('merge() keeps cubes that do not match apart instead of failing, and can keep duplicates as extra cubes', async () => {
    const { cubes } = load([stepMeta(0), stepMeta(1, (m) => (m.units = 'degC')), stepMeta(2)]);
    const merged = await cubes.merge();
    expect(merged.length).toBe(2);
    expect(merged.at(0)!.shape).toEqual([2, 3, 5]);
    expect(merged.at(1)!.units).toBe('degC');
    const twice = await load([stepMeta(0), stepMeta(1), stepMeta(1)]).cubes.merge({ unique: false });
    expect(twice.map((c) => c.shape)).toEqual([[2, 3, 5], [2, 3, 5]]);
  });
});
