import { describe, expect, it } from 'vitest';
import proj4 from 'proj4';
import type { CoordSystem } from '@cubemark/format';
import { describeExtent, geoNorthUp, geoTransform, gridExtent, gridGeoSpec, gridLocator, indexOf, latText, lonText, mapGeography, pickGeoCoords, projectLines, type GridGeoSpec } from '@cubemark/plot';

const RAD = Math.PI / 180;
const US_FOOT = 1200 / 3937;

/** Published worked examples (EPSG Guidance Note 7-2): the CF coordinate system, a point, and its easting/northing. */
const EXAMPLES: { name: string; cs: CoordSystem; lonlat: [number, number]; expected: [number, number] }[] = [
  {
    name: 'transverse Mercator (British National Grid, Airy 1830)',
    cs: { kind: 'transverse_mercator', latitude_of_projection_origin: 49, longitude_of_central_meridian: -2, scale_factor_at_central_meridian: 0.9996012717, false_easting: 400000, false_northing: -100000, ellipsoid: { semi_major_axis: 6377563.396, inverse_flattening: 299.3249646 } },
    lonlat: [0.5, 50.5],
    expected: [577274.99, 69740.5],
  },
  {
    name: 'Lambert conformal, two parallels (Texas South Central, Clarke 1866)',
    cs: { kind: 'lambert_conformal_conic', latitude_of_projection_origin: 27 + 50 / 60, longitude_of_central_meridian: -99, standard_parallel: [28 + 23 / 60, 30 + 17 / 60], false_easting: 2000000 * US_FOOT, false_northing: 0, ellipsoid: { semi_major_axis: 6378206.4, semi_minor_axis: 6356583.8 } },
    lonlat: [-96, 28.5],
    expected: [2963503.91 * US_FOOT, 254759.8 * US_FOOT],
  },
  {
    name: 'Mercator, variant A (Bessel 1841)',
    cs: { kind: 'mercator', longitude_of_projection_origin: 110, scale_factor_at_projection_origin: 0.997, false_easting: 3900000, false_northing: 900000, ellipsoid: { semi_major_axis: 6377397.155, inverse_flattening: 299.1528128 } },
    lonlat: [120, -3],
    expected: [5009726.58, 569150.82],
  },
  {
    name: 'polar stereographic, variant A (UPS North, WGS 84)',
    cs: { kind: 'polar_stereographic', latitude_of_projection_origin: 90, straight_vertical_longitude_from_pole: 0, scale_factor_at_projection_origin: 0.994, false_easting: 2000000, false_northing: 2000000, ellipsoid: { semi_major_axis: 6378137, inverse_flattening: 298.257223563 } },
    lonlat: [44, 73],
    expected: [3320416.75, 632668.43],
  },
  {
    name: 'Lambert azimuthal equal area (ETRS89 / LAEA Europe, GRS 1980)',
    cs: { kind: 'lambert_azimuthal_equal_area', latitude_of_projection_origin: 52, longitude_of_projection_origin: 10, false_easting: 4321000, false_northing: 3210000, ellipsoid: { semi_major_axis: 6378137, inverse_flattening: 298.257222101 } },
    lonlat: [5, 50],
    expected: [3962799.45, 2999718.85],
  },
];

const UKV_POLE: CoordSystem = { kind: 'rotated_latitude_longitude', grid_north_pole_latitude: 37.5, grid_north_pole_longitude: 177.5, ellipsoid: { semi_major_axis: 6371229 } };

/** Rotated-pole coordinates by vector algebra (independent of proj4): latitude from the pole, longitude from the rotated origin. */
function rotate(lon: number, lat: number, poleLat: number, poleLon: number): [number, number] {
  const v = (la: number, lo: number) => [Math.cos(la * RAD) * Math.cos(lo * RAD), Math.cos(la * RAD) * Math.sin(lo * RAD), Math.sin(la * RAD)];
  const p = v(poleLat, poleLon);
  const o = v(90 - poleLat, poleLon + 180);
  const e = [p[1] * o[2] - p[2] * o[1], p[2] * o[0] - p[0] * o[2], p[0] * o[1] - p[1] * o[0]];
  const x = v(lat, lon);
  const dot = (a: number[], b: number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  return [Math.atan2(dot(x, e), dot(x, o)) / RAD, Math.asin(dot(x, p)) / RAD];
}

const range = (start: number, step: number, count: number) => Float64Array.from({ length: count }, (_, k) => start + k * step);

/** A UKV-like rotated-pole grid that reaches from Cornwall to Shetland. */
const UKV_GRID: GridGeoSpec = { kind: 'axes', coordSystem: UKV_POLE, x: { points: range(353, 0.0135 * 4, 160), units: 'degrees' }, y: { points: range(-4.5, 0.0135 * 4, 260), units: 'degrees' } };
const LANDS_END: [number, number] = [-5.7147, 50.0657];
const SHETLAND_NORTH: [number, number] = [-0.8595, 60.8445]; // Herma Ness, Unst

describe('coordinate systems to grid coordinates', () => {
  for (const { name, cs, lonlat, expected } of EXAMPLES) {
    it(`${name}: the published example to a centimetre, and back`, () => {
      const t = geoTransform(cs)!;
      const [x, y] = t.forward(...lonlat)!;
      expect(Math.abs(x - expected[0])).toBeLessThan(0.02);
      expect(Math.abs(y - expected[1])).toBeLessThan(0.02);
      const [lon, lat] = t.inverse(x, y)!;
      expect(lon).toBeCloseTo(lonlat[0], 8);
      expect(lat).toBeCloseTo(lonlat[1], 8);
    });
  }

  it('rotated pole: the UKV pole puts rotated (0, 0) at 52.5°N 2.5°W, and agrees with the vector formula', () => {
    const t = geoTransform(UKV_POLE)!;
    const origin = t.inverse(0, 0)!;
    expect(origin[0]).toBeCloseTo(-2.5, 9);
    expect(origin[1]).toBeCloseTo(52.5, 9);
    for (const p of [LANDS_END, SHETLAND_NORTH, [10, 40], [-30, 70]] as [number, number][]) {
      const [x, y] = t.forward(...p)!;
      const [ex, ey] = rotate(p[0], p[1], 37.5, 177.5);
      expect(x).toBeCloseTo(ex, 9);
      expect(y).toBeCloseTo(ey, 9);
    }
  });

  it('stereographic on a sphere agrees with the textbook formula', () => {
    const R = 6371229;
    const cs: CoordSystem = { kind: 'stereographic', latitude_of_projection_origin: 60, longitude_of_projection_origin: 10, false_easting: 0, false_northing: 0, ellipsoid: { semi_major_axis: R } };
    const t = geoTransform(cs)!;
    for (const [lon, lat] of [[0, 55], [25, 70], [10, 60]]) {
      const [p0, l0, p, l] = [60 * RAD, 10 * RAD, lat * RAD, lon * RAD];
      const k = 2 / (1 + Math.sin(p0) * Math.sin(p) + Math.cos(p0) * Math.cos(p) * Math.cos(l - l0));
      const [x, y] = t.forward(lon, lat)!;
      expect(x).toBeCloseTo(R * k * Math.cos(p) * Math.sin(l - l0), 3);
      expect(y).toBeCloseTo(R * k * (Math.cos(p0) * Math.sin(p) - Math.sin(p0) * Math.cos(p) * Math.cos(l - l0)), 3);
    }
  });

  it('matches proj4 given the same system by its EPSG-style definition (the parameter mapping, not proj4, is under test)', () => {
    const def = '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy +units=m +no_defs';
    const reference = proj4('+proj=longlat +ellps=airy +no_defs', def).forward([-3.2, 56.1]);
    const ours = geoTransform(EXAMPLES[0].cs)!.forward(-3.2, 56.1)!;
    expect(ours[0]).toBeCloseTo(reference[0], 3);
    expect(ours[1]).toBeCloseTo(reference[1], 3);
  });
});

describe('grid locator', () => {
  it('finds fractional cell indices on a rotated-pole grid, in km or m, and wraps longitudes to the grid', () => {
    const loc = gridLocator(UKV_GRID)!;
    const [rx, ry] = rotate(...LANDS_END, 37.5, 177.5);
    const [i, j] = loc.toIndex(...LANDS_END)!;
    expect(i).toBeCloseTo((rx + 360 - 353) / (0.0135 * 4), 6);
    expect(j).toBeCloseTo((ry + 4.5) / (0.0135 * 4), 6);
    const back = loc.toLonLat(i, j)!;
    expect(back[0]).toBeCloseTo(LANDS_END[0], 6);
    expect(back[1]).toBeCloseTo(LANDS_END[1], 6);
    // The same projection with its axes in km gives the same cells.
    const lcc = EXAMPLES[1].cs;
    const m = gridLocator({ kind: 'axes', coordSystem: lcc, x: { points: range(800000, 2000, 100), units: 'm' }, y: { points: range(0, 2000, 100), units: 'm' } })!;
    const km = gridLocator({ kind: 'axes', coordSystem: lcc, x: { points: range(800, 2, 100), units: 'km' }, y: { points: range(0, 2, 100), units: 'km' } })!;
    const [ki, kj] = km.toIndex(-96, 28.5)!;
    const [mi, mj] = m.toIndex(-96, 28.5)!;
    expect(ki).toBeCloseTo(mi, 9);
    expect(kj).toBeCloseTo(mj, 9);
  });

  it('interpolates along irregular coordinates and extrapolates past the ends', () => {
    const points = [0, 1, 3, 7];
    expect(indexOf(points, 2)).toBe(1.5);
    expect(indexOf(points, 5)).toBe(2.5);
    expect(indexOf(points, -1)).toBe(-1);
    expect(indexOf([7, 3, 1, 0], 2)).toBe(1.5);
  });

  it('locates points on a curvilinear grid (2-D latitude and longitude) as on the grid they came from', () => {
    const axes = gridLocator(UKV_GRID)!;
    const nx = 160;
    const ny = 260;
    const lon = new Float64Array(nx * ny);
    const lat = new Float64Array(nx * ny);
    for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) [lon[j * nx + i], lat[j * nx + i]] = axes.toLonLat(i, j)!;
    const curvi = gridLocator({ kind: 'curvilinear', nx, ny, lon, lat })!;
    for (const p of [LANDS_END, SHETLAND_NORTH, [-3, 54]] as [number, number][]) {
      const [ci, cj] = curvi.toIndex(...p)!;
      const [ai, aj] = axes.toIndex(...p)!;
      expect(Math.abs(ci - ai)).toBeLessThan(0.01);
      expect(Math.abs(cj - aj)).toBeLessThan(0.01);
    }
    expect(curvi.toIndex(100, 0)).toBeUndefined(); // far off the grid
    expect(geoNorthUp({ kind: 'curvilinear', nx, ny, lon, lat })).toBe(true); // latitudes grow with the row
    expect(geoNorthUp(UKV_GRID)).toBeUndefined(); // its y points say
    // Stored [x, y] instead of [y, x]: the spec transposes them.
    const tlon = new Float64Array(nx * ny);
    const tlat = new Float64Array(nx * ny);
    for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) [tlon[i * ny + j], tlat[i * ny + j]] = [lon[j * nx + i], lat[j * nx + i]];
    const spec = gridGeoSpec({ kind: 'curvilinear', lon: 'lon', lat: 'lat', transposed: true }, { lon: tlon, lat: tlat, nx, ny })!;
    expect(gridLocator(spec)!.toIndex(...LANDS_END)![0]).toBeCloseTo(curvi.toIndex(...LANDS_END)![0], 9);
  });
});

describe('coastlines and graticule', () => {
  /** The smallest distance (in cells) from a point to the vertices and segments of the drawn lines. */
  function distanceToLines(lines: Float64Array[], i: number, j: number): number {
    let best = Infinity;
    for (const line of lines) {
      for (let k = 0; k + 3 < line.length; k += 2) {
        const [x0, y0, x1, y1] = [line[k], line[k + 1], line[k + 2], line[k + 3]];
        const dx = x1 - x0;
        const dy = y1 - y0;
        const t = Math.max(0, Math.min(1, ((i - x0) * dx + (j - y0) * dy) / (dx * dx + dy * dy || 1)));
        best = Math.min(best, Math.hypot(x0 + t * dx - i, y0 + t * dy - j));
      }
    }
    return best;
  }

  it('a UKV grid gets 1:50m coastlines through Cornwall and Shetland, clipped to the grid', async () => {
    const geo = (await mapGeography(UKV_GRID))!;
    expect(geo.resolution).toBe('50m');
    const loc = gridLocator(UKV_GRID)!;
    // 1:50m coastline vertices lie within a few km of the true tips; a cell here is ~6 km.
    for (const tip of [LANDS_END, SHETLAND_NORTH]) {
      const [i, j] = loc.toIndex(...tip)!;
      expect(distanceToLines(geo.coastlines, i, j)).toBeLessThan(1);
    }
    for (const line of geo.coastlines) {
      for (let k = 0; k < line.length; k += 2) {
        expect(line[k]).toBeGreaterThanOrEqual(-0.5 - 1e-9);
        expect(line[k]).toBeLessThanOrEqual(160 - 0.5 + 1e-9);
        expect(line[k + 1]).toBeGreaterThanOrEqual(-0.5 - 1e-9);
        expect(line[k + 1]).toBeLessThanOrEqual(260 - 0.5 + 1e-9);
      }
    }
    expect(geo.region).toMatch(/^4\d\.\d°N to 6\d\.\d°N, 1\d\.\d°W to \d\.\d°E$/);
    expect(geo.labels.some((l) => l.kind === 'lat' && /°N$/.test(l.text))).toBe(true);
    // Cached per grid: the same answer object for the same grid.
    expect(await mapGeography(UKV_GRID)).toBe(geo);
  });

  it('a global 0–360 grid gets 1:110m coastlines with no line across the date line or the seam', async () => {
    const grid: GridGeoSpec = { kind: 'axes', coordSystem: { kind: 'latitude_longitude' }, x: { points: range(0, 2.5, 144) }, y: { points: range(-90, 2.5, 73) } };
    const geo = (await mapGeography(grid))!;
    expect(geo.resolution).toBe('110m');
    expect(geo.extent.global).toBe(true);
    expect(geo.coastlines.length).toBeGreaterThan(50);
    for (const line of geo.coastlines) for (let k = 0; k + 3 < line.length; k += 2) expect(Math.abs(line[k + 2] - line[k])).toBeLessThan(20);
    expect(geo.graticuleStep).toBeGreaterThanOrEqual(30);
  });

  const projected: [string, CoordSystem, number, number, number][] = [
    ['Lambert conformal over the USA', { kind: 'lambert_conformal_conic', latitude_of_projection_origin: 38.5, longitude_of_central_meridian: -97.5, standard_parallel: [38.5, 38.5], ellipsoid: { semi_major_axis: 6371229 } }, -2700, 3000, 3],
    ['Mercator over the tropics', { kind: 'mercator', longitude_of_projection_origin: 120, standard_parallel: 0 }, -2500, 2500, 0],
    ['polar stereographic over the Arctic', { kind: 'polar_stereographic', latitude_of_projection_origin: 90, straight_vertical_longitude_from_pole: -45, standard_parallel: 70, ellipsoid: { semi_major_axis: 6378273, semi_minor_axis: 6356889.449 } }, -3800, 3800, 25],
    ['stereographic over Europe', { kind: 'stereographic', latitude_of_projection_origin: 50, longitude_of_projection_origin: 10 }, -2000, 2000, 10],
    ['transverse Mercator over Britain', EXAMPLES[0].cs, 0, 700, 0],
    ['Lambert azimuthal equal area over Europe', EXAMPLES[4].cs, 2500, 6000, 10],
  ];
  for (const [name, cs, lo, hi, _] of projected) {
    it(`${name}: coastlines drawn inside the grid`, async () => {
      const n = 120;
      const step = (hi - lo) / (n - 1);
      const grid: GridGeoSpec = { kind: 'axes', coordSystem: cs, x: { points: range(lo, step, n), units: 'km' }, y: { points: range(name.includes('Britain') ? 0 : lo, name.includes('Britain') ? 1200 / (n - 1) : step, n), units: 'km' } };
      const geo = (await mapGeography(grid))!;
      expect(geo.coastlines.length).toBeGreaterThan(0);
      expect(geo.graticule.length).toBeGreaterThan(0);
      for (const line of geo.coastlines) for (let k = 0; k + 3 < line.length; k += 2) expect(Math.hypot(line[k + 2] - line[k], line[k + 3] - line[k + 1])).toBeLessThan(n / 2);
    });
  }

  it('a polar grid holds the pole: all longitudes, graticule meets there', () => {
    const cs = projected[2][1];
    const loc = gridLocator({ kind: 'axes', coordSystem: cs, x: { points: range(-3800, 50, 153), units: 'km' }, y: { points: range(-3800, 50, 153), units: 'km' } })!;
    const extent = gridExtent(loc)!;
    expect(extent.north).toBe(90);
    expect(extent.global).toBe(true);
    expect(describeExtent(extent)).toMatch(/°N to 90\.0°N, all longitudes$/);
  });

  it('clips lines at the grid edge and breaks them where a point does not project', () => {
    const loc = gridLocator({ kind: 'axes', coordSystem: { kind: 'latitude_longitude' }, x: { points: range(0, 1, 11) }, y: { points: range(0, 1, 11) } })!;
    const [line] = projectLines([[-5, 5, 5, 5, 15, 5]], loc);
    expect([...line]).toEqual([-0.5, 5, 5, 5, 10.5, 5]);
    const orthographic = gridLocator({ kind: 'axes', coordSystem: { kind: 'orthographic', latitude_of_projection_origin: 0, longitude_of_projection_origin: 0 }, x: { points: range(-6e6, 1e5, 121), units: 'm' }, y: { points: range(-6e6, 1e5, 121), units: 'm' } })!;
    // From the near side of the globe to its far side: the far point does not project; nothing is drawn past the limb.
    expect(projectLines([[0, 0, 10, 0, 170, 0]], orthographic).map((l) => l.length)).toEqual([4]);
  });

  it('labels degrees as maps do', () => {
    expect([latText(50), latText(-12.5, 0.5), latText(0), lonText(-10), lonText(370), lonText(180), lonText(0.25, 0.25)]).toEqual(['50°N', '12.5°S', '0°', '10°W', '10°E', '180°', '0.25°E']);
  });

  it('chooses the coordinates that place a map: a projection first, 2-D lat/lon next, plain lat/lon last', () => {
    const dims = { x: 'grid_longitude', y: 'grid_latitude' };
    const coords = [
      { key: 'grid_latitude', standard_name: 'grid_latitude', dims: ['grid_latitude'], coord_system: 'rp' },
      { key: 'grid_longitude', standard_name: 'grid_longitude', dims: ['grid_longitude'], coord_system: 'rp' },
      { key: 'latitude', standard_name: 'latitude', dims: ['grid_latitude', 'grid_longitude'] },
      { key: 'longitude', standard_name: 'longitude', dims: ['grid_latitude', 'grid_longitude'] },
    ];
    expect(pickGeoCoords(dims, coords, { rp: UKV_POLE })).toEqual({ kind: 'axes', x: 'grid_longitude', y: 'grid_latitude', coordSystem: UKV_POLE });
    expect(pickGeoCoords(dims, coords, {})).toEqual({ kind: 'curvilinear', lon: 'longitude', lat: 'latitude', transposed: false });
    const plain = [
      { key: 'lat', standard_name: 'latitude', dims: ['lat'] },
      { key: 'lon', standard_name: 'longitude', dims: ['lon'] },
    ];
    expect(pickGeoCoords({ x: 'lon', y: 'lat' }, plain)).toMatchObject({ kind: 'axes', x: 'lon', y: 'lat', coordSystem: { kind: 'latitude_longitude' } });
    expect(pickGeoCoords({ x: 'a', y: 'b' }, [])).toBeUndefined();
  });
});
