import { describe, expect, it } from 'vitest';
import type { Coord, CoordSystem, CubeMeta, RotatedGeogCS } from '@cubemark/format';
import { axisLabel, coordTicks, dimLabel, linearTicks, mapCellAt, mapCellCentre, mapDims, mapLayout, mapSizeForWidth, northUp, describeField, fieldStats, formatValue } from '@cubemark/plot';

const rotated: RotatedGeogCS = { kind: 'rotated_latitude_longitude', grid_north_pole_latitude: 37.5, grid_north_pole_longitude: 177.5 };
const regular = (start: number, step: number, count: number): Coord['points'] => ({ kind: 'regular', dtype: 'float32', shape: [count], start: [start], step });
const coord = (standard_name: string, units: string, coord_system?: string): Coord => ({
  standard_name,
  units,
  dims: [standard_name],
  points: regular(0, 1, 3),
  attributes: {},
  coord_system,
});

describe('axis labels', () => {
  it('says a rotated-pole grid is one: "grid_latitude (rotated pole)"', () => {
    const label = axisLabel(coord('grid_latitude', 'degrees', 'rp'), rotated);
    expect(label.name).toBe('grid_latitude (rotated pole)');
    expect(label.text).toBe('grid_latitude (rotated pole) / degrees');
  });

  it('leaves geographic coordinates plain and drops meaningless units', () => {
    const geographic: CoordSystem = { kind: 'latitude_longitude', semi_major_axis: 6371229 };
    expect(axisLabel(coord('latitude', 'degrees_north'), geographic).text).toBe('latitude / degrees_north');
    expect(axisLabel({ ...coord('model_level_number', '1') }).text).toBe('model_level_number');
    expect(axisLabel({ ...coord('x', 'unknown'), standard_name: undefined, long_name: 'station' }).text).toBe('station');
  });

  it('labels the map dimensions of a cube from its coordinates and coordinate systems', () => {
    const meta: Pick<CubeMeta, 'dims' | 'dim_coords'> = {
      dims: ['time', 'grid_latitude', 'grid_longitude'],
      dim_coords: {
        time: coord('time', 'hours since 1970-01-01 00:00:00'),
        grid_latitude: coord('grid_latitude', 'degrees', 'rp'),
        grid_longitude: coord('grid_longitude', 'degrees', 'rp'),
      },
    };
    expect(mapDims(meta)).toEqual({ y: 1, x: 2 });
    expect(dimLabel(meta, 2, { rp: rotated }).text).toBe('grid_longitude (rotated pole) / degrees');
    expect(dimLabel({ dims: ['a', 'b'], dim_coords: {} }, 0).text).toBe('a');
    expect(mapDims({ dims: ['time'], dim_coords: {} })).toBeUndefined();
  });

  it('finds latitude/longitude dimensions wherever they are', () => {
    const meta = { dims: ['longitude', 'latitude', 'time'], dim_coords: { longitude: coord('longitude', 'degrees'), latitude: coord('latitude', 'degrees') } };
    expect(mapDims(meta)).toEqual({ y: 1, x: 0 });
  });
});

describe('ticks', () => {
  it('uses round 1-2-5 steps with as many decimals as the step needs', () => {
    expect(linearTicks(0, 1, 5).map((t) => t.label)).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    expect(linearTicks(-4.5, 6.4, 5).map((t) => t.label)).toEqual(['−4', '−2', '0', '2', '4', '6']);
    // Projection coordinates in metres: short exponent labels, and a plain 0.
    expect(linearTicks(-2e6, 2e6, 4).map((t) => t.label)).toEqual(['−2e+6', '−1e+6', '0', '1e+6', '2e+6']);
  });

  it('places coordinate ticks at fractional indices, for decreasing and irregular points too', () => {
    const lat = [60, 50, 40, 30];
    const ticks = coordTicks(lat, 3);
    expect(ticks.map((t) => [t.value, t.index])).toEqual([[30, 3], [40, 2], [50, 1], [60, 0]]);
    const irregular = coordTicks([0, 1, 10], 2);
    expect(irregular.find((t) => t.value === 5)!.index).toBeCloseTo(1 + 4 / 9);
    expect(coordTicks([3, 1, 2], 2).every((t) => Number.isInteger(t.index))).toBe(true);
  });
});

describe('map layout', () => {
  const spec = { field: { values: new Float32Array(12), nx: 4, ny: 3 }, scale: { kind: 'sequential', colormap: 'viridis', min: 0, max: 1 } as const, width: 400, height: 300 };

  it('keeps cells square and finds the cell under a pixel, north up or not', () => {
    const layout = mapLayout(spec);
    expect(layout.plot.width / 4).toBeCloseTo(layout.plot.height / 3);
    for (const flipY of [false, true]) {
      const s = { ...spec, flipY };
      const c = mapCellCentre(layout, s, 3, 0);
      expect(mapCellAt(layout, s, c.x, c.y)).toEqual({ i: 3, j: 0 });
    }
    const bottomLeft = mapCellCentre(layout, { ...spec, flipY: true }, 0, 0);
    expect(bottomLeft.y).toBeGreaterThan(layout.plot.y + layout.plot.height / 2);
    expect(mapCellAt(layout, spec, 0, 0)).toBeUndefined();
  });

  it('refuses figures too small or too large', () => {
    expect(() => mapLayout({ ...spec, width: 50, height: 50 })).toThrow(/no room for the plot/);
    expect(() => mapLayout({ ...spec, width: 100000, height: 50 })).toThrow(/at most 8192/);
  });

  it('picks a height that fits a tall grid (UKV: 810 rows, 621 columns)', () => {
    const { height } = mapSizeForWidth({ nx: 621, ny: 810 }, 800);
    expect(height).toBeGreaterThan(800);
    const layout = mapLayout({ ...spec, field: { values: new Float32Array(621 * 810), nx: 621, ny: 810 }, width: 800, height });
    expect(Math.abs(layout.plot.height - (layout.height - layout.plot.y - 12 * 3.6))).toBeLessThan(1);
  });

  it('draws latitudes stored south to north with north up', () => {
    expect(northUp([-4.5, -4.4, -4.3])).toBe(true);
    expect(northUp([60, 50])).toBe(false);
    expect(northUp(undefined)).toBe(false);
  });
});

describe('text for screen readers and read-outs', () => {
  it('describes the field: name, units, grid, min, max, missing', () => {
    const f = { values: Float32Array.from([271.25, 280, NaN, 290.5]), nx: 2, ny: 2 };
    expect(describeField('air_temperature', 'K', f, fieldStats(f))).toBe('air_temperature in K on a 2 × 2 grid: minimum 271.25, maximum 290.5; 1 cell missing.');
    expect(describeField('x', undefined, f, { min: NaN, max: NaN, valid: 0, missing: 4 })).toBe('x on a 2 × 2 grid: every cell is missing.');
  });

  it('formats values with units, and says missing', () => {
    expect(formatValue(280.1234567, 'K')).toBe('280.123 K');
    expect(formatValue(undefined, 'K')).toBe('missing');
    expect(formatValue(1.5e-7)).toBe('1.5000e-7');
  });
});
