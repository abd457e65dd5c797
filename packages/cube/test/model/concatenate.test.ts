import type { CubeMeta } from '@cubemark/format';
import { describe, expect, it } from 'vitest';
import { Cube } from '../../src/model/cube.js';
import { CubeList } from '../../src/model/cube-list.js';
import { ConcatenateError } from '../../src/model/errors.js';
import { coord, inline, list, memoryPublication, TIME_UNITS, tasMeta, tasValues } from './helpers.js';

/** Two time steps of tas as one cube (as one file per day loads), data in source array `variable`. */
function partMeta(times: number[], variable: string, extra: (m: CubeMeta) => void = () => {}): CubeMeta {
  const meta = tasMeta();
  meta.shape = [times.length, 3, 5];
  meta.dim_coords.time = coord('time', TIME_UNITS, ['time'], inline(Float64Array.from(times), [times.length]), { calendar: 'standard', var_name: 'time' });
  meta.ancillary_variables.status.data = inline(Int8Array.from(times.map((t) => t / 6)), [times.length], 'int8');
  meta.data = { kind: 'source', dtype: 'float32', shape: [times.length, 3, 5], source: 0, format: 'memory', variable };
  extra(meta);
  return meta;
}

function load(metas: CubeMeta[]) {
  const all = tasValues();
  const { publication, lazy, plugin } = memoryPublication(metas, {
    early: { values: all.slice(0, 30), shape: [2, 3, 5] },
    late: { values: all.slice(30), shape: [2, 3, 5] },
  });
  return { cubes: new CubeList(metas.map((m) => Cube.fromMeta(m, { publication, lazy }))), plugin };
}

describe('concatenate', () => {
  it('joins cubes along time, in order, with the data a lazy concatenation', async () => {
    const { cubes, plugin } = load([partMeta([12, 18], 'late'), partMeta([0, 6], 'early')]);
    const joined = await cubes.concatenateCube();
    expect(joined.shape).toEqual([4, 3, 5]);
    expect(list((await joined.coord('time').points.values()).values)).toEqual([0, 6, 12, 18]);
    expect(list((await joined.ancillaryVariable('status flag').data.values()).values)).toEqual([0, 1, 2, 3]);
    expect(joined.coordDims('surface_altitude')).toEqual(['latitude', 'longitude']);
    expect(plugin.elements()).toBe(0);
    expect(list((await joined.readData()).values)).toEqual(list(tasValues()));
    plugin.slabs.length = 0;
    await joined.index([3]).readData();
    expect(plugin.touched.slice(-1)).toEqual(['late']);

    const meta = joined.toMeta();
    expect(meta.data).toMatchObject({ kind: 'combined', mode: 'concat', axis: 0 });
    expect(meta.data.kind === 'combined' && meta.data.parts.map((p) => (p.kind === 'source' ? p.variable : '?'))).toEqual(['early', 'late']);
    expect(meta.dim_coords.time.points).toEqual({ kind: 'regular', dtype: 'float64', shape: [4], start: [0], step: 6 });
  });

  it('leaves cubes that do not join apart with concatenate()', async () => {
    const { cubes } = load([partMeta([0, 6], 'early'), partMeta([12, 18], 'late', (m) => (m.units = 'degC'))]);
    const out = await cubes.concatenate();
    expect(out.map((c) => c.shape)).toEqual([[2, 3, 5], [2, 3, 5]]);
  });

  it('explains why cubes do not concatenate, in Iris words', async () => {
    const overlap = load([partMeta([0, 6], 'early'), partMeta([6, 12], 'late')]).cubes;
    await expect(overlap.concatenateCube()).rejects.toThrow(ConcatenateError);
    await expect(overlap.concatenateCube()).rejects.toThrow(
      'failed to concatenate into a single cube.\n  Found cubes with overlap on concatenate axis 0, cannot concatenate overlapping cubes',
    );
    const names = load([partMeta([0, 6], 'early'), partMeta([12, 18], 'late', (m) => (m.standard_name = 'precipitation_flux'))]).cubes;
    await expect(names.concatenateCube()).rejects.toThrow('Cube names differ: air_temperature != precipitation_flux');
    const units = load([partMeta([0, 6], 'early'), partMeta([12, 18], 'late', (m) => (m.units = 'degC'))]).cubes;
    await expect(units.concatenateCube()).rejects.toThrow('Cube metadata differ: units="K" != units="degC"');
    const same = load([partMeta([0, 6], 'early'), partMeta([0, 6], 'late')]).cubes;
    await expect(same.concatenateCube()).rejects.toThrow('Cannot find an axis to concatenate over for phenomenon `air_temperature`');
    const twoAxes = load([partMeta([0, 6], 'early'), partMeta([12, 18], 'late', (m) => (m.dim_coords.latitude.points = inline(Float64Array.from([-10, 0, 11]), [3])))]).cubes;
    await expect(twoAxes.concatenateCube()).rejects.toThrow('Cannot find an axis to concatenate over');
    const aux = load([partMeta([0, 6], 'early'), partMeta([12, 18], 'late', (m) => (m.aux_coords.surface_altitude.points = inline(new Float64Array(15), [3, 5])))]).cubes;
    await expect(aux.concatenateCube()).rejects.toThrow('Auxiliary coordinates values differ: surface_altitude');
    const dims = load([partMeta([0, 6], 'early'), partMeta([12, 18], 'late', (m) => delete m.aux_coords.surface_altitude)]).cubes;
    await expect(dims.concatenateCube()).rejects.toThrow('Auxiliary coordinates names differ: surface_altitude != ');
  });

  it('joins along a decreasing coordinate with bounds, refusing overlapping bounds', async () => {
    const lat = (points: number[], bounds: number[]) => (m: CubeMeta) => {
      m.dims = ['time', 'latitude', 'longitude'];
      m.shape = [2, points.length, 5];
      m.dim_coords.latitude = coord('latitude', 'degrees_north', ['latitude'], inline(Float64Array.from(points), [points.length]), {
        bounds: inline(Float64Array.from(bounds), [points.length, 2]),
        coord_system: 'crs',
      });
      delete m.aux_coords.surface_altitude;
      m.cell_measures = {};
      m.data = { kind: 'source', dtype: 'float32', shape: [2, points.length, 5], source: 0, format: 'memory', variable: 'x' };
    };
    const north = partMeta([0, 6], 'early', lat([10, 0], [15, 5, 5, -5]));
    const south = partMeta([0, 6], 'early', lat([-10], [-5, -15]));
    const joined = await load([south, north]).cubes.concatenateCube();
    expect(list((await joined.coord('latitude').points.values()).values)).toEqual([10, 0, -10]);
    expect(list((await joined.coord('latitude').bounds!.values()).values)).toEqual([15, 5, 5, -5, -5, -15]);
    // Iris compares bounds column by column: the southern cell's first bound (6) passes the northern cells' (5).
    const clash = partMeta([0, 6], 'early', lat([-10], [6, -15]));
    await expect(load([north, clash]).cubes.concatenateCube()).rejects.toThrow('overlap on concatenate axis 1');
  });
});
