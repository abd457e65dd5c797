/** Comparing two maps, the pure part: whether their grids agree, their difference, one colour range for both. */
import { colourScale, type ColormapName, type ColourScale, type Field2D } from '@cubemark/plot';
import type { CubeModel } from './cube-model.js';

/** Whether two maps are on the same grid (same shape and the same points along both axes), so they can be subtracted. */
export function sameGrid(a: CubeModel, b: CubeModel): boolean {
  if (!a.x || !a.y || !b.x || !b.y || a.x.length !== b.x.length || a.y.length !== b.y.length) return false;
  const same = (p?: ArrayLike<number>, q?: ArrayLike<number>) => (!p && !q) || (!!p && !!q && p.length === q.length && Array.from(p).every((v, k) => Math.abs(v - q[k]) <= 1e-6 * Math.max(1, Math.abs(v))));
  return same(a.x.spec.points, b.x.spec.points) && same(a.y.spec.points, b.y.spec.points);
}

/**
 * Whether two cubes sit on the faces of the same mesh (same mesh name and number of faces, and the same face
 * centres where both descriptions list them), so their values can be subtracted face by face.
 */
export function sameMesh(a: CubeModel, b: CubeModel): boolean {
  const ma = a.mesh;
  const mb = b.mesh;
  if (!ma?.drawable || !mb?.drawable || ma.name !== mb.name || ma.location !== mb.location) return false;
  if (a.cube.shape[ma.axis] !== b.cube.shape[mb.axis]) return false;
  const listed = (c?: { points: { values?: unknown[] } }) => c?.points.values?.map(Number);
  const same = (p?: number[], q?: number[]) => !p || !q || (p.length === q.length && p.every((v, k) => Math.abs(v - q[k]) <= 1e-6 * Math.max(1, Math.abs(v))));
  return same(listed(ma.x), listed(mb.x)) && same(listed(ma.y), listed(mb.y));
}

/** The values of a mesh map's slice as a field of one row (a value per face). */
export function meshField(values: Field2D['values'], mask: Uint8Array | undefined): Field2D {
  return { values, mask, nx: values.length, ny: 1 };
}

/** a − b, missing where either is. */
export function difference(a: Field2D, b: Field2D): Field2D {
  const n = a.nx * a.ny;
  const values = new Float32Array(n);
  for (let k = 0; k < n; k++) values[k] = a.mask?.[k] || b.mask?.[k] ? NaN : Number(a.values[k]) - Number(b.values[k]);
  return { values, nx: a.nx, ny: a.ny };
}

/** One colour range over both fields (each field's robust range, joined), so equal colours mean equal values. */
export function sharedScale(a: Field2D, b: Field2D, colormap?: ColormapName): ColourScale {
  const sa = colourScale(a, { colormap });
  const sb = colourScale(b, { colormap });
  return colourScale(a, { colormap, range: [Math.min(sa.min, sb.min), Math.max(sa.max, sb.max)] });
}

