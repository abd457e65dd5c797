/**
 * Where a geographic point falls on a cube's grid, in fractional cell indices (i along x, j along y; 0 is the
 * centre of the first cell), and back. A grid is described by its two dimension coordinates in a coordinate
 * system, or by 2-D latitude and longitude auxiliary coordinates (a curvilinear grid).
 */
import type { CoordSystem } from '@cubemark/format';
import { geoTransform, metresPerUnit, type GeoTransform } from './crs.js';
import { curvilinearLocator } from './curvilinear.js';
import type { GridLocator } from './locator.js';

/** Points of one map dimension, in its coordinate's units. */
export interface GridAxis {
  points: ArrayLike<number>;
  units?: string;
}

/** What the geography of a map needs to know about its grid. */
export type GridGeoSpec =
  | { kind: 'axes'; coordSystem: CoordSystem; x: GridAxis; y: GridAxis }
  | {
      kind: 'curvilinear';
      nx: number;
      ny: number;
      /** Row-major `[j, i]` longitudes and latitudes of the cell centres, in degrees. */
      lon: ArrayLike<number>;
      lat: ArrayLike<number>;
    };

/** Fractional index of `v` along monotonic `points`, extrapolated linearly past either end. */
export function indexOf(points: ArrayLike<number>, v: number): number {
  const n = points.length;
  if (n === 1) return v === points[0] ? 0 : NaN;
  const up = points[n - 1] > points[0];
  let lo = 0;
  let hi = n - 1;
  if (up ? v <= points[0] : v >= points[0]) hi = 1;
  else if (up ? v >= points[n - 1] : v <= points[n - 1]) lo = n - 2;
  else {
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (up ? points[mid] <= v : points[mid] >= v) lo = mid;
      else hi = mid;
    }
  }
  return lo + (v - points[lo]) / (points[lo + 1] - points[lo]);
}

/** The coordinate value at fractional index `k`, interpolated (or extrapolated) linearly. */
export function valueAtIndex(points: ArrayLike<number>, k: number): number {
  const n = points.length;
  if (n === 1) return points[0];
  const lo = Math.min(n - 2, Math.max(0, Math.floor(k)));
  return points[lo] + (k - lo) * (points[lo + 1] - points[lo]);
}

function keyOfAxis(a: GridAxis): string {
  const n = a.points.length;
  return `${n}:${a.points[0]}:${a.points[n >> 1]}:${a.points[n - 1]}:${a.units ?? ''}`;
}

function monotonic(points: ArrayLike<number>): boolean {
  const n = points.length;
  if (n < 2) return n === 1 && Number.isFinite(points[0]);
  const up = points[n - 1] > points[0];
  for (let k = 1; k < n; k++) if (!(up ? points[k] > points[k - 1] : points[k] < points[k - 1])) return false;
  return true;
}

function axesLocator(transform: GeoTransform, x: GridAxis, y: GridAxis, cs: CoordSystem): GridLocator {
  const sx = transform.angular ? 1 : metresPerUnit(x.units);
  const sy = transform.angular ? 1 : metresPerUnit(y.units);
  const nx = x.points.length;
  const ny = y.points.length;
  // Angles wrap: a longitude is taken within half a turn of the grid's middle (a grid from 0 to 360 sees -10 as 350).
  const middle = (x.points[0] + x.points[nx - 1]) / 2;
  return {
    nx,
    ny,
    key: `${transform.definition}|${keyOfAxis(x)}|${keyOfAxis(y)}|${cs.kind}`,
    toIndex(lon, lat) {
      const p = transform.forward(lon, lat);
      if (!p) return undefined;
      let gx = p[0] / sx;
      if (transform.angular) gx -= 360 * Math.round((gx - middle) / 360);
      const i = indexOf(x.points, gx);
      const j = indexOf(y.points, p[1] / sy);
      return Number.isFinite(i) && Number.isFinite(j) ? [i, j] : undefined;
    },
    toLonLat(i, j) {
      return transform.inverse(valueAtIndex(x.points, i) * sx, valueAtIndex(y.points, j) * sy);
    },
  };
}

/** The locator of a grid, or undefined when its system is not drawn or its coordinates are not monotonic. */
export function gridLocator(spec: GridGeoSpec): GridLocator | undefined {
  if (spec.kind === 'curvilinear') return curvilinearLocator(spec);
  if (!monotonic(spec.x.points) || !monotonic(spec.y.points)) return undefined;
  const transform = geoTransform(spec.coordSystem);
  return transform && axesLocator(transform, spec.x, spec.y, spec.coordSystem);
}

/**
 * Whether row 0 belongs at the bottom for north to be up, from the geography: latitudes growing with the row on a
 * curvilinear grid (whose rows have no 1-D coordinate to tell). Undefined for grids whose y points tell already.
 */
export function geoNorthUp(spec: GridGeoSpec | undefined): boolean | undefined {
  if (!spec || spec.kind !== 'curvilinear') return undefined;
  const mid = spec.nx >> 1;
  return spec.lat[(spec.ny - 1) * spec.nx + mid] > spec.lat[mid];
}
