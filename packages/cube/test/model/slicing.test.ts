import { describe, expect, it } from 'vitest';
import { IndexError } from '../../src/errors.js';
import { AuxCoord, DimCoord } from '../../src/model/coords.js';
import { list, tasCube } from './helpers.js';

const tas = (t: number, y: number, x: number) => 273 + 100 * t + 10 * y + x;

describe('cube.index', () => {
  it('drops an indexed dimension, keeps its coordinate as a scalar one, and reads nothing', async () => {
    const { cube, plugin } = tasCube();
    const one = cube.index([1]);
    expect(one.dims).toEqual(['latitude', 'longitude']);
    expect(one.shape).toEqual([3, 5]);
    const time = one.coord('time');
    expect(time).toBeInstanceOf(DimCoord);
    expect(one.coordDims('time')).toEqual([]);
    expect(time.shape).toEqual([1]);
    expect(list((await time.points.values()).values)).toEqual([6]);
    expect(one.scalarCoords.map((c) => c.name()).sort()).toEqual(['height', 'time']);
    // Ancillary variables on the indexed dimension become scalar ones; the rest are untouched.
    expect(one.ancillaryVariableDims(one.ancillaryVariable('status flag'))).toEqual([]);
    expect(list((await one.ancillaryVariable('status flag').data.values()).values)).toEqual([1]);
    expect(one.cellMeasureDims(one.cellMeasure('cell_area'))).toEqual(['latitude', 'longitude']);
    expect(plugin.opens).toBe(0);
    expect(plugin.elements()).toBe(0);

    const data = await one.readData();
    expect(plugin.elements()).toBe(15);
    expect(list(data.values)).toEqual(Array.from({ length: 15 }, (_, i) => tas(1, Math.floor(i / 5), i % 5)));
  });

  it('slices coordinates, bounds, 2-D coordinates and cell measures with the data, steps and reversals included', async () => {
    const { cube, plugin } = tasCube();
    const view = cube.index([{ step: 2 }, { start: 2, step: -1 }, { start: 1, stop: 4 }]);
    expect(view.shape).toEqual([2, 3, 3]);
    expect(plugin.elements()).toBe(0);
    expect(list((await view.coord('time').points.values()).values)).toEqual([0, 12]);
    expect(list((await view.coord('latitude').points.values()).values)).toEqual([10, 0, -10]);
    expect(list((await view.coord('latitude').bounds!.values()).values)).toEqual([5, 15, -5, 5, -15, -5]);
    expect(list((await view.coord('longitude').points.values()).values)).toEqual([90, 180, 270]);
    const alt = await view.coord('surface_altitude').points.values();
    expect(alt.shape).toEqual([3, 3]);
    expect(list(alt.values)).toEqual([211, 221, 231, 161, 171, 181, 111, 121, 131].map((v) => v - 1));
    expect(list((await view.cellMeasure('cell_area').data.values()).values)[0]).toBe(1e6 + 11 * 1e5);
    expect(list((await view.ancillaryVariable('status flag').data.values()).values)).toEqual([0, 0]);
    const data = await view.readData();
    const want: number[] = [];
    for (const t of [0, 2]) for (const y of [2, 1, 0]) for (const x of [1, 2, 3]) want.push(tas(t, y, x));
    expect(list(data.values)).toEqual(want);
    // Chunks are one time step: the stride over time reads only the two steps, and only the selected columns.
    expect(plugin.elements()).toBeLessThanOrEqual(2 * 3 * 3);
  });

  it('takes a list of indices, demoting a dimension coordinate the order breaks to an auxiliary one', async () => {
    const { cube, plugin } = tasCube();
    const picked = cube.index([undefined, undefined, [4, 0, 2]]);
    expect(picked.shape).toEqual([4, 3, 3]);
    expect(picked.dimCoord('longitude')).toBeUndefined();
    const lon = picked.coord('longitude');
    expect(lon).toBeInstanceOf(AuxCoord);
    expect(picked.coordDims('longitude')).toEqual(['longitude']);
    expect(list((await lon.points.values()).values)).toEqual([360, 0, 180]);
    expect(list((await picked.coord('surface_altitude').points.values()).values).slice(0, 3)).toEqual([140, 100, 120]);
    expect(plugin.elements()).toBe(0);
    const data = await picked.readData();
    expect(list(data.values).slice(0, 6)).toEqual([tas(0, 0, 4), tas(0, 0, 0), tas(0, 0, 2), tas(0, 1, 4), tas(0, 1, 0), tas(0, 1, 2)]);
    expect(plugin.elements()).toBe(4 * 3 * 3);
    // An evenly spaced list is an ordinary range: the dimension coordinate stays one.
    expect(cube.index([[0, 2]]).dimCoord('time')).toBeInstanceOf(DimCoord);
  });

  it('slices by dimension name and by coordinate value', async () => {
    const { cube, plugin } = tasCube();
    expect(cube.slice({ latitude: 0 }).dims).toEqual(['time', 'longitude']);
    const range = await cube.sliceBy('time', [6, 12]);
    expect(range!.shape).toEqual([2, 3, 5]);
    expect(list((await range!.coord('time').points.values()).values)).toEqual([6, 12]);
    const single = await cube.sliceBy('latitude', 0);
    expect(single!.dims).toEqual(['time', 'longitude']);
    // A value inside a cell's bounds matches it, as Iris's Cell == value.
    expect((await cube.sliceBy('latitude', 3))!.coord('latitude').shape).toEqual([1]);
    expect(await cube.sliceBy('time', 7)).toBeUndefined();
    expect(plugin.elements()).toBe(0);
  });

  it('keeps the format description of sliced inline coordinates (a regular grid stays regular)', () => {
    const { cube } = tasCube();
    const meta = cube.index([0, undefined, { start: 1, step: 2 }]);
    const lon = meta.coord('longitude').points.arrayData('longitude').data;
    expect(lon).toEqual({ kind: 'regular', dtype: 'float64', shape: [2], start: [90], step: 180 });
  });

  it('rejects indices out of range and too many of them', () => {
    const { cube } = tasCube();
    expect(() => cube.index([4])).toThrow(IndexError);
    expect(() => cube.index([0, 0, 0, 0])).toThrow(/too many indices/);
    expect(() => cube.index([undefined, [0, 3]])).toThrow(/out of range/);
  });
});
