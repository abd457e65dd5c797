import { describe, expect, it } from 'vitest';
import { MAX, MEAN, MIN, STD_DEV, SUM } from '../../src/model/collapse.js';
import { Cube } from '../../src/model/cube.js';
import { CoordinateCollapseError } from '../../src/model/errors.js';
import { coord, inline, iota, list, memoryPublication, tasCube, tasMeta, tasValues } from './helpers.js';

const tas = (t: number, y: number, x: number) => 273 + 100 * t + 10 * y + x;

async function values(array: { values(): Promise<{ values: ArrayLike<number | bigint | string> }> }) {
  return list((await array.values()).values);
}

/** Plain reference statistics over a list of numbers (NaN ignored, as the lazy reductions do). */
const ref = {
  mean: (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length,
  sum: (xs: number[]) => xs.reduce((a, b) => a + b, 0),
  std: (xs: number[]) => {
    const m = ref.mean(xs);
    return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
  },
};

describe('cube.collapsed', () => {
  it('is lazy, and reading it streams the mean over time; the time coordinate becomes scalar with its range as bounds', async () => {
    const { cube, plugin } = tasCube();
    const mean = cube.collapsed('time', MEAN);
    expect(plugin.elements()).toBe(0);
    expect(mean.dims).toEqual(['latitude', 'longitude']);
    expect(mean.units).toBe('K');
    expect(mean.dtype).toBe('float32');
    expect(mean.cellMethods.map(String)).toEqual(['time: mean']);
    expect(mean.coordDims('time')).toEqual([]);
    expect(await values(mean.coord('time').points)).toEqual([9]);
    expect(await values(mean.coord('time').bounds!)).toEqual([0, 18]);
    expect(mean.coord('time').bounds!.shape).toEqual([1, 2]);
    // Variables over time no longer describe anything; those on other dimensions stay.
    expect(mean.ancillaryVariables()).toEqual([]);
    expect(mean.cellMeasures().map((m) => m.name())).toEqual(['cell_area']);
    expect(mean.coords().map((c) => c.name()).sort()).toEqual(['height', 'latitude', 'longitude', 'surface_altitude', 'time']);
    expect(plugin.elements()).toBe(0);

    const result = await mean.readData();
    expect(result.shape).toEqual([3, 5]);
    for (let y = 0; y < 3; y++) for (let x = 0; x < 5; x++) expect(result.values[y * 5 + x]).toBeCloseTo(ref.mean([0, 1, 2, 3].map((t) => tas(t, y, x))), 4);
    expect(plugin.elements()).toBe(60);
  });

  it('reads only what a slice of the result needs', async () => {
    const { cube, plugin } = tasCube();
    const column = await cube.collapsed('time', MAX).index([2, 4]).readData();
    expect(list(column.values)).toEqual([tas(3, 2, 4)]);
    expect(plugin.elements()).toBe(4);
  });

  it('collapses several dimensions: sample standard deviation, and every coordinate spanning them', async () => {
    const { cube } = tasCube();
    const std = cube.collapsed(['latitude', 'longitude'], STD_DEV);
    expect(std.dims).toEqual(['time']);
    expect(std.cellMethods.map(String)).toEqual(['latitude: longitude: standard_deviation']);
    expect(std.dtype).toBe('float32');
    const data = await std.readData();
    for (let t = 0; t < 4; t++) {
      const xs: number[] = [];
      for (let y = 0; y < 3; y++) for (let x = 0; x < 5; x++) xs.push(tas(t, y, x));
      expect(data.values[t]).toBeCloseTo(ref.std(xs), 4);
    }
    // Bounds come from the bounds when there are bounds, else from the points; the point is halfway.
    expect(await values(std.coord('latitude').bounds!)).toEqual([-15, 15]);
    expect(await values(std.coord('latitude').points)).toEqual([0]);
    expect(await values(std.coord('longitude').bounds!)).toEqual([0, 360]);
    expect(await values(std.coord('longitude').points)).toEqual([180]);
    // The 2-D surface altitude collapses too (Iris collapses every coordinate over the collapsed dimensions).
    expect(std.coordDims('surface_altitude')).toEqual([]);
    expect(await values(std.coord('surface_altitude').bounds!)).toEqual([100, 240]);
    expect(std.cellMeasures()).toEqual([]);
    expect(std.ancillaryVariables().length).toBe(1);
  });

  it('computes min, max and sum against a reference, ignoring missing values', async () => {
    const stored = tasValues();
    stored[0] = NaN;
    const { publication, lazy } = memoryPublication([tasMeta()], { tas: { values: stored, shape: [4, 3, 5] } });
    const cube = Cube.fromMeta(publication.cubes[0], { publication, lazy });
    const row = (t: number, y: number) => [0, 1, 2, 3, 4].map((x) => (t === 0 && y === 0 && x === 0 ? NaN : tas(t, y, x))).filter((v) => !Number.isNaN(v));
    for (const [agg, f] of [[MIN, (xs: number[]) => Math.min(...xs)], [MAX, (xs: number[]) => Math.max(...xs)], [SUM, ref.sum]] as const) {
      const got = await cube.collapsed('longitude', agg).readData();
      expect(got.shape).toEqual([4, 3]);
      for (let t = 0; t < 4; t++) for (let y = 0; y < 3; y++) expect(got.values[t * 3 + y]).toBeCloseTo(f(row(t, y)), 3);
    }
    expect(cube.collapsed('longitude', SUM).cellMethods.map(String)).toEqual(['longitude: sum']);
    expect(cube.collapsed('longitude', MIN).cellMethods.map(String)).toEqual(['longitude: minimum']);
  });

  it('keeps integer coordinates integer (the midpoint truncates, as NumPy casting) and joins text labels', async () => {
    const meta = tasMeta();
    meta.aux_coords.realization = coord('realization', '1', ['time'], inline(Int32Array.from([1, 2, 3, 4]), [4], 'int32'));
    meta.aux_coords.label = { long_name: 'label', units: 'no_unit', dims: ['time'], points: inline(['a', 'b', 'c', 'd'], [4], 'string'), attributes: {} };
    const { publication, lazy } = memoryPublication([meta], {});
    const mean = Cube.fromMeta(meta, { publication, lazy }).collapsed('time', MEAN);
    expect(mean.coord('realization').dtype).toBe('int32');
    expect(await values(mean.coord('realization').points)).toEqual([2]);
    expect(await values(mean.coord('realization').bounds!)).toEqual([1, 4]);
    expect(await values(mean.coord('label').points)).toEqual(['a|b|c|d']);
  });

  it('collapses a coordinate held in a source lazily too, partially or fully', async () => {
    const meta = tasMeta();
    meta.aux_coords.surface_altitude.points = { kind: 'source', dtype: 'float64', shape: [3, 5], source: 0, format: 'memory', variable: 'orog' };
    const { publication, lazy, plugin } = memoryPublication([meta], {
      tas: { values: tasValues(), shape: [4, 3, 5] },
      orog: { values: iota(15, 100, 10), shape: [3, 5] },
    });
    const cube = Cube.fromMeta(meta, { publication, lazy });
    const byRow = cube.collapsed('longitude', MEAN);
    expect(byRow.coordDims('surface_altitude')).toEqual(['latitude']);
    expect(plugin.elements()).toBe(0);
    const alt = byRow.coord('surface_altitude');
    expect(list((await alt.bounds!.read()).values)).toEqual([100, 140, 150, 190, 200, 240]);
    expect(list((await alt.points.read()).values)).toEqual([120, 170, 220]);
    const whole = cube.collapsed(['latitude', 'longitude'], MEAN).coord('surface_altitude');
    expect(whole.shape).toEqual([1]);
    expect(list((await whole.bounds!.read()).values)).toEqual([100, 240]);
    expect(list((await whole.points.read()).values)).toEqual([170]);
    expect(plugin.touched.every((v) => v === 'orog')).toBe(true);
  });

  it('refuses to collapse a coordinate that spans no dimension', () => {
    const { cube } = tasCube();
    expect(() => cube.collapsed('height', MEAN)).toThrow(CoordinateCollapseError);
  });

  it('writes a collapsed cube once its computed arrays are read into inline ones', async () => {
    const { cube } = tasCube();
    const mean = cube.collapsed('time', MEAN);
    expect(() => mean.toMeta()).toThrow(/mean over time, computed when read/);
    const meta = (await mean.inlined()).toMeta();
    expect(meta.cell_methods).toEqual([{ method: 'mean', coords: ['time'], intervals: [], comments: [] }]);
    expect(meta.aux_coords.time.bounds).toEqual(inline(Float64Array.from([0, 18]), [1, 2]));
    expect(meta.data.kind).toBe('inline');
    expect(meta.data.shape).toEqual([3, 5]);
  });
});
