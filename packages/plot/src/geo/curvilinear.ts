/**
 * Locating lon/lat points on a curvilinear grid (2-D latitude and longitude auxiliary coordinates): the nearest
 * cell centre from a spatial hash of unit vectors (safe at the poles and across the date line), then Newton steps
 * on the bilinear interpolation of the cell centres for the fractional index.
 */
import type { GridLocator } from './locator.js';

const RAD = Math.PI / 180;

/** `a - b` in degrees of longitude, within half a turn. */
function lonDiff(a: number, b: number): number {
  return a - b - 360 * Math.round((a - b) / 360);
}

export function curvilinearLocator(spec: { nx: number; ny: number; lon: ArrayLike<number>; lat: ArrayLike<number> }): GridLocator | undefined {
  const { nx, ny, lon, lat } = spec;
  const n = nx * ny;
  if (nx < 2 || ny < 2 || lon.length !== n || lat.length !== n) return undefined;
  const xyz = new Float64Array(n * 3);
  for (let k = 0; k < n; k++) {
    const phi = lat[k] * RAD;
    const lam = lon[k] * RAD;
    xyz[k * 3] = Math.cos(phi) * Math.cos(lam);
    xyz[k * 3 + 1] = Math.cos(phi) * Math.sin(lam);
    xyz[k * 3 + 2] = Math.sin(phi);
  }
  // Bucket size: the longest chord between neighbouring centres, so a point in any cell has a centre within one bucket.
  let size = 0;
  const chord = (a: number, b: number) => Math.hypot(xyz[a * 3] - xyz[b * 3], xyz[a * 3 + 1] - xyz[b * 3 + 1], xyz[a * 3 + 2] - xyz[b * 3 + 2]);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      if (i + 1 < nx) size = Math.max(size, chord(k, k + 1));
      if (j + 1 < ny) size = Math.max(size, chord(k, k + nx));
    }
  }
  if (!(size > 0)) return undefined;
  size *= 1.05;
  const bucket = (x: number, y: number, z: number) => [Math.floor(x / size), Math.floor(y / size), Math.floor(z / size)];
  const hash = (a: number, b: number, c: number) => (a * 73856093) ^ (b * 19349663) ^ (c * 83492791);
  const buckets = new Map<number, number[]>();
  for (let k = 0; k < n; k++) {
    if (!Number.isFinite(xyz[k * 3])) continue;
    const [a, b, c] = bucket(xyz[k * 3], xyz[k * 3 + 1], xyz[k * 3 + 2]);
    const h = hash(a, b, c);
    const list = buckets.get(h);
    if (list) list.push(k);
    else buckets.set(h, [k]);
  }

  const nearest = (x: number, y: number, z: number): number => {
    const [a, b, c] = bucket(x, y, z);
    let best = -1;
    let bestD = Infinity;
    for (let da = -1; da <= 1; da++) {
      for (let db = -1; db <= 1; db++) {
        for (let dc = -1; dc <= 1; dc++) {
          for (const k of buckets.get(hash(a + da, b + db, c + dc)) ?? []) {
            const d = (xyz[k * 3] - x) ** 2 + (xyz[k * 3 + 1] - y) ** 2 + (xyz[k * 3 + 2] - z) ** 2;
            if (d < bestD) [best, bestD] = [k, d];
          }
        }
      }
    }
    return best;
  };

  // Bilinear lon/lat at a fractional index; cells past the edges are extrapolated from the edge cells.
  const at = (i: number, j: number): [number, number] => {
    const i0 = Math.min(nx - 2, Math.max(0, Math.floor(i)));
    const j0 = Math.min(ny - 2, Math.max(0, Math.floor(j)));
    const fi = i - i0;
    const fj = j - j0;
    const k = j0 * nx + i0;
    const corners = [k, k + 1, k + nx, k + nx + 1];
    const w = [(1 - fi) * (1 - fj), fi * (1 - fj), (1 - fi) * fj, fi * fj];
    const lon0 = lon[k];
    let lo = 0;
    let la = 0;
    for (let c = 0; c < 4; c++) {
      lo += w[c] * lonDiff(lon[corners[c]], lon0);
      la += w[c] * lat[corners[c]];
    }
    return [lon0 + lo, la];
  };

  return {
    nx,
    ny,
    key: `curvilinear|${nx}x${ny}|${lon[0]},${lat[0]}|${lon[n - 1]},${lat[n - 1]}|${lon[n >> 1]},${lat[n >> 1]}`,
    toLonLat(i, j) {
      const [lo, la] = at(i, j);
      return Number.isFinite(lo) && Number.isFinite(la) ? [lo, la] : undefined;
    },
    toIndex(lo, la) {
      const phi = la * RAD;
      const lam = lo * RAD;
      const k = nearest(Math.cos(phi) * Math.cos(lam), Math.cos(phi) * Math.sin(lam), Math.sin(phi));
      if (k < 0) return undefined;
      let i = k % nx;
      let j = Math.floor(k / nx);
      const c = Math.cos(phi);
      // Newton on the local plane (east, north) in degrees: E(i, j) = at(i, j) - target.
      const err = (ii: number, jj: number) => {
        const [x, y] = at(ii, jj);
        return [lonDiff(x, lo) * c, y - la];
      };
      for (let step = 0; step < 12; step++) {
        const [ex, ey] = err(i, j);
        if (Math.hypot(ex, ey) < 1e-9) break;
        const h = 1e-3;
        const [ax, ay] = err(i + h, j);
        const [bx, by] = err(i, j + h);
        const j11 = (ax - ex) / h;
        const j21 = (ay - ey) / h;
        const j12 = (bx - ex) / h;
        const j22 = (by - ey) / h;
        const det = j11 * j22 - j12 * j21;
        if (!det) return undefined;
        const di = (j22 * ex - j12 * ey) / det;
        const dj = (-j21 * ex + j11 * ey) / det;
        i -= Math.max(-2, Math.min(2, di));
        j -= Math.max(-2, Math.min(2, dj));
      }
      const [ex, ey] = err(i, j);
      // A point more than a cell beyond the edges (or where Newton did not settle) is not on this grid.
      if (Math.hypot(ex, ey) > 1e-6 || i < -1.5 || j < -1.5 || i > nx + 0.5 || j > ny + 0.5) return undefined;
      return [i, j];
    },
  };
}
