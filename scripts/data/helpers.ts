/**
 * Small pieces shared by the data generators: attribute constructors, a seeded random generator, the rotated
 * pole transform, and a data callback that fills a variable one 2-D field at a time.
 */
import type { NumericAttribute } from '@cubemark/format';
import type { NetcdfBlock, NetcdfDataCallback } from '@cubemark/cube/netcdf';

export const f32 = (...values: number[]): NumericAttribute => ({ dtype: 'float32', values: Float32Array.from(values) });
export const f64 = (...values: number[]): NumericAttribute => ({ dtype: 'float64', values: Float64Array.from(values) });
export const i32 = (...values: number[]): NumericAttribute => ({ dtype: 'int32', values: Int32Array.from(values) });

/** mulberry32: a small seeded generator, so the same seed gives the same data everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` values `start + i * step`, as float32 or float64. */
export function linspace(count: number, start: number, step: number, dtype: 'float32' | 'float64' = 'float64'): Float32Array | Float64Array {
  const out = dtype === 'float32' ? new Float32Array(count) : new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = start + i * step;
  return out;
}

/** Cell bounds `[p - step/2, p + step/2]` for regular points, flattened (n, 2). */
export function regularBounds(points: ArrayLike<number>, step: number, dtype: 'float32' | 'float64' = 'float64'): Float32Array | Float64Array {
  const out = dtype === 'float32' ? new Float32Array(points.length * 2) : new Float64Array(points.length * 2);
  for (let i = 0; i < points.length; i++) {
    out[2 * i] = points[i] - step / 2;
    out[2 * i + 1] = points[i] + step / 2;
  }
  return out;
}

/**
 * True latitude and longitude (degrees) of rotated-pole grid points, for a pole at (`poleLat`, `poleLon`) and
 * `north_pole_grid_longitude` 0, as CF's `rotated_latitude_longitude` defines it. Row-major (lat, lon).
 */
export function unrotate(gridLat: ArrayLike<number>, gridLon: ArrayLike<number>, poleLat: number, poleLon: number): { lat: Float32Array; lon: Float32Array } {
  const rad = Math.PI / 180;
  const alpha = -(90 - poleLat) * rad;
  const lon0 = poleLon - 180;
  const [ca, sa] = [Math.cos(alpha), Math.sin(alpha)];
  const lat = new Float32Array(gridLat.length * gridLon.length);
  const lon = new Float32Array(lat.length);
  for (let i = 0; i < gridLat.length; i++) {
    const phi = gridLat[i] * rad;
    for (let j = 0; j < gridLon.length; j++) {
      const lam = gridLon[j] * rad;
      const x = Math.cos(phi) * Math.cos(lam);
      const y = Math.cos(phi) * Math.sin(lam);
      const z = Math.sin(phi);
      const x1 = x * ca + z * sa;
      const z1 = -x * sa + z * ca;
      const k = i * gridLon.length + j;
      lat[k] = Math.asin(Math.max(-1, Math.min(1, z1))) / rad;
      let l = Math.atan2(y, x1) / rad + lon0;
      l = ((((l + 180) % 360) + 360) % 360) - 180;
      lon[k] = l;
    }
  }
  return { lat, lon };
}

/**
 * A data callback for a variable whose last two dimensions are a 2-D field: `fill(index, out)` gets the indices
 * of the leading dimensions (record included) and writes one field into `out`, or returns false to leave that
 * field a hole. Blocks must hold whole fields; they hold exactly one when `blockBytes` is one field's size.
 */
export function byField(fieldSize: number, fill: (index: number[], out: Float32Array) => boolean): NetcdfDataCallback {
  return (block: NetcdfBlock) => {
    const lead = block.shape.slice(0, -2);
    const count = lead.reduce((a, b) => a * b, 1);
    const out = new Float32Array(count * fieldSize);
    let any = false;
    const index = block.start.slice(0, -2);
    for (let n = 0; n < count; n++) {
      // Leading indices of field n within the block (row-major over `lead`).
      let rest = n;
      const at = index.slice();
      for (let d = lead.length - 1; d >= 0; d--) {
        at[d] += rest % lead[d];
        rest = Math.floor(rest / lead[d]);
      }
      if (fill(at, out.subarray(n * fieldSize, (n + 1) * fieldSize))) any = true;
    }
    return any ? out : undefined;
  };
}
