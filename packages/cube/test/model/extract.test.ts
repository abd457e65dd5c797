import { describe, expect, it } from 'vitest';
import { Constraint } from '../../src/model/constraint.js';
import { dateRange } from '../../src/model/coord-constraint.js';
import { Cube } from '../../src/model/cube.js';
import { CubeList } from '../../src/model/cube-list.js';
import { ConstraintMismatchError, CoordinateMultiDimError } from '../../src/model/errors.js';
import { coord, inline, list, memoryPublication, tasCube, tasMeta } from './helpers.js';

async function points(cube: Cube | undefined, name: string): Promise<(number | string)[]> {
  return list((await cube!.coord(name).points.values()).values);
}

/** tas plus a precipitation cube on the same grid, in one list, over one memory plugin. */
function twoCubes() {
  const pr = { ...tasMeta(), standard_name: 'precipitation_flux', var_name: 'pr', units: 'kg m-2 s-1', attributes: { source: 'other' } };
  const { publication, lazy, plugin } = memoryPublication([tasMeta(), pr], {});
  return { cubes: new CubeList(publication.cubes.map((m) => Cube.fromMeta(m, { publication, lazy }))), plugin };
}

describe('extract', () => {
  it('selects cubes by name and by attribute (local or global, value or test)', async () => {
    const { cubes, plugin } = twoCubes();
    expect((await cubes.extract(new Constraint({ name: 'air_temperature' }))).map((c) => c.varName)).toEqual(['tas']);
    expect((await cubes.extract(new Constraint({ attributes: { source: 'other' } }))).map((c) => c.varName)).toEqual(['pr']);
    expect((await cubes.extract(new Constraint({ attributes: { Conventions: 'CF-1.7' } }))).length).toBe(2);
    expect((await cubes.extract(new Constraint({ attributes: { source: (v) => String(v).startsWith('model') } }))).map((c) => c.varName)).toEqual(['tas']);
    expect((await cubes.extract(new Constraint({ attributes: { missing: 'x' } }))).length).toBe(0);
    expect((await cubes.extractCube(new Constraint({ name: 'precipitation_flux' }))).units).toBe('kg m-2 s-1');
    await expect(cubes.extractCube(new Constraint({ name: 'wind_speed' }))).rejects.toThrow(ConstraintMismatchError);
    await expect(cubes.extractCube(new Constraint({}))).rejects.toThrow('Got 2 cubes for constraints. Expecting 1.');
    expect(plugin.elements()).toBe(0);
  });

  it('keeps matching coordinate values: one match drops the dimension, several keep it', async () => {
    const { cube, plugin } = tasCube();
    const one = await cube.extract(new Constraint({ coordValues: { latitude: 0 } }));
    expect(one!.dims).toEqual(['time', 'longitude']);
    expect(await points(one, 'latitude')).toEqual([0]);
    const two = await cube.extract(new Constraint({ coordValues: { latitude: [-10, 10] } }));
    expect(two!.shape).toEqual([4, 2, 5]);
    expect(await points(two, 'latitude')).toEqual([-10, 10]);
    const odd = await cube.extract(new Constraint({ coordValues: { longitude: (cell) => Number(cell.point) % 180 !== 0 } }));
    expect(await points(odd, 'longitude')).toEqual([90, 270]);
    expect(await cube.extract(new Constraint({ coordValues: { latitude: 40 } }))).toBeUndefined();
    expect(await cube.extract(new Constraint({ coordValues: { no_such_coord: 1 } }))).toBeUndefined();
    // Scalar coordinates keep or drop the whole cube.
    expect((await cube.extract(new Constraint({ coordValues: { height: 1.5 } })))!.shape).toEqual([4, 3, 5]);
    expect(await cube.extract(new Constraint({ coordValues: { height: 2 } }))).toBeUndefined();
    const both = new Constraint({ coordValues: { latitude: [-10, 0] } }).and(new Constraint({ coordValues: { time: [0, 18] } }));
    expect((await cube.extract(both))!.shape).toEqual([2, 2, 5]);
    expect(plugin.elements()).toBe(0);
    // The extracted view reads just its part.
    expect(list((await one!.index([3]).readData()).values)).toEqual([583, 584, 585, 586, 587]);
    expect(plugin.elements()).toBe(5);
  });

  it('refuses constraints on multidimensional coordinates, as Iris', async () => {
    const { cube } = tasCube();
    await expect(cube.extract(new Constraint({ coordValues: { surface_altitude: 100 } }))).rejects.toThrow(CoordinateMultiDimError);
  });

  it('matches time coordinates by date: partial dates, ranges and tests of the decoded cell', async () => {
    const { cube } = tasCube();
    const noon = await cube.extract(new Constraint({ coordValues: { time: { hour: 12 } } }));
    expect(noon!.dims).toEqual(['latitude', 'longitude']);
    expect(await points(noon, 'time')).toEqual([12]);
    const day = await cube.extract(new Constraint({ coordValues: { time: dateRange({ year: 1970, month: 1, day: 1, hour: 6 }, { year: 1970, day: 1, hour: 18 }) } }));
    expect(await points(day, 'time')).toEqual([6, 12]);
    const afternoon = await cube.extract(new Constraint({ coordValues: { time: (cell) => cell.date!.hour >= 12 } }));
    expect(await points(afternoon, 'time')).toEqual([12, 18]);
    expect(await cube.extract(new Constraint({ coordValues: { time: { year: 1971 } } }))).toBeUndefined();
  });

  it('decodes dates in the coordinate calendar (360_day) and matches a date within bounds', async () => {
    const meta = tasMeta();
    meta.dim_coords.time = coord('time', 'days since 2000-01-01', ['time'], inline(Float64Array.from([14.5, 29.5, 44.5, 59.5]), [4]), {
      calendar: '360_day',
      bounds: inline(Float64Array.from([0, 29, 29, 30, 30, 59, 59, 60]), [4, 2]),
    });
    const { publication, lazy } = memoryPublication([meta], {});
    const cube = Cube.fromMeta(meta, { publication, lazy });
    // Day 30 of a 360-day year is 1 February. A partial date matches a cell whose bounds reach it (Iris's
    // Cell == PartialDateTime): the second cell ends on 1 February, the last starts on 30 February; the first is
    // all January.
    const february = await cube.extract(new Constraint({ coordValues: { time: { month: 2 } } }));
    expect(await points(february, 'time')).toEqual([29.5, 44.5, 59.5]);
    const onFeb30 = await cube.extract(new Constraint({ coordValues: { time: (cell) => cell.date!.month === 2 && cell.date!.day === 30 } }));
    expect(await points(onFeb30, 'time')).toEqual([59.5]);
  });
});
