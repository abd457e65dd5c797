import { encodeTime, type CoordSystem, type Ellipsoid } from '@cubemark/format';
import type { PPField } from '../field.js';
import type { PPHeader } from '../header.js';
import type { CoordSpec } from './coords.js';
import { t1, t2 } from './time.js';

/** The Unified Model's spherical Earth (Iris's `pp.EARTH_RADIUS`). */
export const EARTH_RADIUS = 6371229.0;
const SPHERE: Ellipsoid = { semi_major_axis: EARTH_RADIUS, semi_minor_axis: EARTH_RADIUS, inverse_flattening: 0 };

/** Iris's `PPField.coord_system`: rotated when BPLAT/BPLON are not the true pole (90, 0 or 180). */
export function coordSystemOf(h: PPHeader): CoordSystem {
  const ne = (a: number, b: number) => Math.abs(a - b) > 0.0001;
  if (ne(h.bplat, 90) || (ne(h.bplon, 0) && ne(h.bplon, 180))) {
    return {
      kind: 'rotated_latitude_longitude',
      grid_north_pole_latitude: h.bplat,
      grid_north_pole_longitude: h.bplon,
      north_pole_grid_longitude: 0,
      ellipsoid: { ...SPHERE },
    };
  }
  return { kind: 'latitude_longitude', ...SPHERE };
}

/** NumPy's `allclose(diffs, mean)` with rtol 0.001: Iris's test that float32 points are regular enough. */
function regular(points: ArrayLike<number>): boolean {
  if (points.length < 2) return true;
  const diffs: number[] = [];
  for (let i = 1; i < points.length; i++) diffs.push(points[i] - points[i - 1]);
  const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
  return diffs.every((d) => Math.abs(d - mean) <= 1e-8 + 0.001 * Math.abs(mean));
}

/**
 * Iris's `DimCoord.from_regular` points (`regular_points`): `zeroth + step * (i + 1)` computed in float32, or in
 * float64 when float32 loses the regularity; with bounds half a step either side.
 */
export function regularPoints(zeroth: number, step: number, count: number, boundsDtype: 'float32' | 'float64'): RegularPoints {
  const key = `${zeroth}|${step}|${count}|${boundsDtype}`;
  let r = regularCache.get(key);
  if (!r) {
    r = computeRegular(zeroth, step, count, boundsDtype);
    if (regularCache.size >= 256) regularCache.delete(regularCache.keys().next().value as string);
    regularCache.set(key, r);
  }
  return r;
}

interface RegularPoints {
  points: Float32Array | Float64Array;
  bounds: Float32Array | Float64Array;
}

/** Iris caches `regular_points` too: a run's fields share a few grids. */
const regularCache = new Map<string, RegularPoints>();

function computeRegular(zeroth: number, step: number, count: number, boundsDtype: 'float32' | 'float64'): RegularPoints {
  const f = Math.fround;
  const start = f(f(zeroth) + f(step));
  let points: Float32Array | Float64Array = Float32Array.from({ length: count }, (_, i) => f(start + f(f(step) * i)));
  if (!regular(points)) points = Float64Array.from({ length: count }, (_, i) => zeroth + step + step * i);
  const delta = 0.5 * step;
  const Bounds = boundsDtype === 'float32' && points instanceof Float32Array ? Float32Array : Float64Array;
  const bounds = new Bounds(count * 2);
  points.forEach((p, i) => {
    bounds[2 * i] = p - delta;
    bounds[2 * i + 1] = p + delta;
  });
  return { points, bounds };
}

export interface GridCoords {
  /** The coordinate along each axis of the field: y (rows, axis 0) and x (points along a row, axis 1). */
  y?: CoordSpec;
  x?: CoordSpec;
  /** Scalar coordinates the grid rules make. */
  scalars: CoordSpec[];
  /** Auxiliary coordinates along one axis (0: rows, 1: points): a site time series' longitudes and latitudes. */
  onAxis: { spec: CoordSpec; axis: 0 | 1 }[];
  coordSystem: CoordSystem;
  /** Why an axis has no coordinate when the rules wanted one (extra data missing). */
  problems: string[];
}

function pairs(lower: Float64Array | undefined, upper: Float64Array | undefined, real: 'float32' | 'float64'): Float32Array | Float64Array | undefined {
  if (!lower || !upper || lower.length !== upper.length) return undefined;
  const out = real === 'float32' ? new Float32Array(lower.length * 2) : new Float64Array(lower.length * 2);
  lower.forEach((v, i) => {
    out[2 * i] = v;
    out[2 * i + 1] = upper[i];
  });
  return out;
}

/**
 * Iris's horizontal rules: regular axes from BZX/BDX and BZY/BDY (LBCODE 1, or 2 with bounds), irregular ones
 * from the extra data's x and y vectors (or a fieldsfile's row and column constants), and the axes of
 * cross-sections (LBCODE of five digits: height, depth, pressure, time or site number along an axis).
 */
export function gridCoords(field: PPField, real: 'float32' | 'float64'): GridCoords {
  const h = field.header;
  const cs = coordSystemOf(h);
  const rotated = cs.kind === 'rotated_latitude_longitude';
  const xName = rotated ? 'grid_longitude' : 'longitude';
  const yName = rotated ? 'grid_latitude' : 'latitude';
  const code = h.lbcode;
  const section = code.length === 5;
  const circular = h.lbhem === 0 || h.lbhem === 4;
  const out: GridCoords = { scalars: [], onAxis: [], coordSystem: cs, problems: [] };
  const vectors = field.extra?.vectors ?? {};
  const xv = field.x ?? vectors.x;
  const yv = field.y ?? vectors.y;
  const asReal = (v: Float64Array) => (real === 'float32' ? Float32Array.from(v) : Float64Array.from(v));
  const xBounds = pairs(vectors.x_lower_bound, vectors.x_upper_bound, real);
  const yBounds = pairs(vectors.y_lower_bound, vectors.y_upper_bound, real);
  const noStep = (d: number) => d === 0 || d === h.bmdi;
  const ones = code.value % 10;
  const csKey = JSON.stringify(cs);
  const fromRegular = (zeroth: number, step: number, count: number, withBounds: boolean) => {
    const r = regularPoints(zeroth, step, count, real);
    return {
      points: r.points,
      dtype: r.points instanceof Float32Array ? ('float32' as const) : ('float64' as const),
      ...(withBounds && { bounds: r.bounds }),
      cacheKey: [zeroth, step, count, withBounds, real, circular, csKey, h.lbcode.value, h.lbproc].join('|'),
    };
  };
  const fromVector = (v: Float64Array | undefined, axis: 'x' | 'y') => {
    if (!v) {
      out.problems.push(`the header has no regular ${axis} (BD${axis.toUpperCase()} is 0 or missing) and the field has no ${axis} vector in its extra data`);
      return undefined;
    }
    return { points: asReal(v), dtype: real };
  };

  if (!section && (ones === 1 || ones === 2)) {
    if (!noStep(h.bdx)) out.x = { standardName: xName, units: 'degrees', circular, coordSystem: cs, ...fromRegular(h.bzx, h.bdx, h.lbnpt, ones === 2) };
    if (!noStep(h.bdy)) out.y = { standardName: yName, units: 'degrees', coordSystem: cs, ...fromRegular(h.bzy, h.bdy, h.lbrow, ones === 2) };
  }
  if (noStep(h.bdy) && (!section || code.iy === 10)) {
    const v = fromVector(yv, 'y');
    if (v) out.y = { standardName: yName, units: 'degrees', coordSystem: cs, ...v, ...(yBounds && { bounds: yBounds }) };
  }
  if (noStep(h.bdx) && (!section || code.ix === 11)) {
    const v = fromVector(xv, 'x');
    if (v) out.x = { standardName: xName, units: 'degrees', circular, coordSystem: cs, ...v, ...(xBounds && { bounds: xBounds }) };
  }
  if (!section) return out;

  const days360 = { units: 'days since 0000-01-01 00:00:00', calendar: '360_day' };
  if (code.iy === 2 && noStep(h.bdy)) {
    const v = fromVector(yv, 'y');
    if (v) out.y = { standardName: 'height', units: 'km', ...v, ...(yBounds && { bounds: yBounds }), attributes: { positive: 'up' } };
  }
  if (code.top === 1 && code.iy === 4) {
    const v = fromVector(yv, 'y');
    if (v) out.y = { standardName: 'depth', units: 'm', ...v, ...(yBounds && { bounds: yBounds }), attributes: { positive: 'down' } };
  }
  if (code.ix === 10 && !noStep(h.bdx)) {
    out.x = { standardName: yName, units: 'degrees', coordSystem: cs, ...fromRegular(h.bzx, h.bdx, h.lbnpt, false) };
  }
  if (code.iy === 1 && noStep(h.bdy)) {
    const v = fromVector(yv, 'y');
    if (v) out.y = { longName: 'pressure', units: 'hPa', ...v, ...(yBounds && { bounds: yBounds }) };
  }
  if (code.ix === 1 && noStep(h.bdx)) {
    const v = fromVector(xv, 'x');
    if (v) out.x = { longName: 'pressure', units: 'hPa', ...v, ...(xBounds && { bounds: xBounds }) };
  }
  if (code.top === 1 && code.iy === 23) {
    const v = fromVector(yv, 'y');
    if (v) out.y = { standardName: 'time', ...days360, ...v, ...(yBounds && { bounds: yBounds }) };
  }
  if (code.top === 1 && code.ix === 23) {
    const v = fromVector(xv, 'x');
    if (v) out.x = { standardName: 'time', ...days360, ...v, ...(xBounds && { bounds: xBounds }) };
  }
  const { ib, ic } = h.lbtim;
  if (code.top === 3 && code.iy === 23 && ib === 2 && ic === 2) {
    const a = encodeTime({ ...t1(h) }, days360.units, days360.calendar);
    const b = encodeTime({ ...t2(h) }, days360.units, days360.calendar);
    const n = h.lbrow;
    out.y = { standardName: 'time', ...days360, points: Float64Array.from({ length: n }, (_, i) => a + ((b - a) * i) / n), dtype: 'float64', ...(yBounds && { bounds: yBounds }) };
  }
  if (code.top === 1 && code.ix === 13 && h.bdx !== 0) {
    out.x = { longName: 'site_number', units: '1', ...fromRegular(h.bzx, h.bdx, h.lbnpt, false) };
  }
  // Sites: their longitudes and latitudes from the domain bounds in the extra data, unless those are missing.
  const unset = Math.fround(-1.0e30);
  const domain = (lower: Float64Array | undefined, upper: Float64Array | undefined, name: string) => {
    if (!lower || !upper || lower.length !== upper.length) return;
    if (![...lower, ...upper].every((v) => Math.fround(v) !== unset)) return;
    const points = lower.map((v, i) => (v + upper[i]) / 2);
    out.onAxis.push({ spec: { standardName: name, units: 'degrees', coordSystem: cs, points: asReal(points), dtype: real, bounds: pairs(lower, upper, real), aux: true }, axis: code.ix === 13 ? 1 : 0 });
  };
  const sites = code.ix === 13 || code.iy === 13;
  if (sites && code.ix !== 11 && code.iy !== 11) domain(vectors.lower_x_domain, vectors.upper_x_domain, xName);
  if (sites && code.ix !== 10 && code.iy !== 10) domain(vectors.lower_y_domain, vectors.upper_y_domain, yName);
  return out;
}
