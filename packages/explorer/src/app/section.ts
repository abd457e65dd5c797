/**
 * Vertical sections, the pure part: which dimension is vertical, what its levels are called and where they are
 * (hybrid height as the height of each level over sea-level ground, pressure upside down), the `sel` strings for
 * a row, a column or one cell's column of levels, and the cells along a line. Unit-tested without a browser.
 */
import { isTimeUnits, mapDims, type AxisSpec } from '@cubemark/plot';
import type { CoordDescription, CubeDescription } from '@cubemark/format';
import { dimensioned, type Cell, type CubeModel, type DimWidget, type Selection } from './cube-model.js';

const VERTICAL_NAMES = new Set([
  'model_level_number',
  'atmosphere_hybrid_height_coordinate',
  'atmosphere_hybrid_sigma_pressure_coordinate',
  'atmosphere_sigma_coordinate',
  'air_pressure',
  'pressure',
  'height',
  'altitude',
  'depth',
  'level',
  'pressure_level',
  'soil_level',
]);

const PRESSURE_UNITS = new Set(['Pa', 'hPa', 'mbar', 'millibar', 'bar', 'kPa']);

/** The dimension a section goes up through: a level-like coordinate, or undefined when the cube has none. */
export function verticalWidget(model: CubeModel): DimWidget | undefined {
  const coordOf = (dim: string) => model.cube.coords?.find((c) => c.dims.length === 1 && c.dims[0] === dim && c.role === 'dim');
  const candidates = model.widgets.filter((w) => !w.isTime && w.length > 1);
  return (
    candidates.find((w) => {
      const c = coordOf(w.dim);
      const name = c?.standard_name ?? c?.long_name ?? w.dim;
      return VERTICAL_NAMES.has(name) || VERTICAL_NAMES.has(w.dim) || c?.attributes?.positive !== undefined || (c && PRESSURE_UNITS.has(c.units));
    }) ?? undefined
  );
}

export interface VerticalAxis {
  /** Axis label: `level_height / m (hybrid height)`, `pressure / hPa`. */
  label: string;
  /** What the levels are, in words, for the description (absent when the label says it). */
  note?: string;
  points?: number[];
  /** Draw level 0 at the bottom (heights and indices up; pressures down). */
  flipY: boolean;
}

function listed(coord: CoordDescription | undefined, length: number): number[] | undefined {
  const v = coord?.points.values;
  if (!v || v.length !== length) return undefined;
  const out = v.map(Number);
  return out.every(Number.isFinite) ? out : undefined;
}

/**
 * The levels as a section's y axis. A hybrid-height cube shows heights: the factory's `delta` term (level_height,
 * the height of each level where the ground is at sea level); with the orography at hand the caller can add
 * `sigma × orography` per column (see `hybridHeight`). Otherwise the level coordinate in its units.
 */
export function verticalAxis(model: CubeModel, widget: DimWidget): VerticalAxis {
  const { cube } = model;
  const byKey = (key: string | undefined) => (key ? cube.coords?.find((c) => c.key === key) : undefined);
  const hybrid = cube.derived_coords?.find((d) => d.formula === 'hybrid_height');
  const delta = byKey(hybrid?.terms.delta);
  const heights = delta && delta.dims.length === 1 && delta.dims[0] === widget.dim ? listed(delta, widget.length) : undefined;
  if (heights) {
    const name = delta!.var_name ?? delta!.long_name ?? delta!.name;
    return { label: `${name} / ${delta!.units} (hybrid height)`, note: 'the height of each level where the ground is at sea level', points: heights, flipY: heights[heights.length - 1] > heights[0] };
  }
  const own = cube.coords?.find((c) => c.role === 'dim' && c.dims.length === 1 && c.dims[0] === widget.dim);
  const points = listed(own, widget.length);
  if (points && own && !isTimeUnits(own.units)) {
    const pressure = PRESSURE_UNITS.has(own.units);
    const up = points[points.length - 1] > points[0];
    const units = own.units && own.units !== '1' && own.units !== 'unknown' ? ` / ${own.units}` : '';
    return { label: `${own.name}${units}`, points, flipY: pressure ? !up : up };
  }
  return { label: widget.label, flipY: true };
}

/** The hybrid-height terms when the cube has them listed: altitude = delta + sigma × orography. */
export function hybridHeight(model: CubeModel, widget: DimWidget): { delta: number[]; sigma: number[]; orography: string; units: string } | undefined {
  const { cube } = model;
  const hybrid = cube.derived_coords?.find((d) => d.formula === 'hybrid_height');
  if (!hybrid?.terms.orography) return undefined;
  const byKey = (key: string | undefined) => (key ? cube.coords?.find((c) => c.key === key) : undefined);
  const delta = listed(byKey(hybrid.terms.delta), widget.length);
  const sigma = listed(byKey(hybrid.terms.sigma), widget.length);
  if (!delta || !sigma) return undefined;
  const orography = byKey(hybrid.terms.orography);
  return { delta, sigma, orography: orography?.standard_name ?? orography?.name ?? hybrid.terms.orography, units: byKey(hybrid.terms.delta)?.units ?? 'm' };
}

export type SectionPath = { kind: 'row'; j: number } | { kind: 'column'; i: number } | { kind: 'line'; from: Cell; to: Cell };

function pick(model: CubeModel, selection: Selection, vertical: string, at: (dim: string, axis: number) => string | undefined): string {
  return model.cube.dims
    .map((dim, axis) => {
      if (dim === vertical) return ':';
      const own = at(dim, axis);
      if (own !== undefined) return own;
      return String(Math.min(Math.max(0, selection[dim] ?? 0), model.cube.shape[axis] - 1));
    })
    .join(',');
}

/** `sel` for a row (`t,:,j,:`) or a column (`t,:,:,i`) of the map through every level. */
export function sectionSel(model: CubeModel, selection: Selection, vertical: string, path: { kind: 'row'; j: number } | { kind: 'column'; i: number }): string {
  return pick(model, selection, vertical, (_, axis) => {
    if (axis === model.map!.y) return path.kind === 'row' ? String(path.j) : ':';
    if (axis === model.map!.x) return path.kind === 'column' ? String(path.i) : ':';
    return undefined;
  });
}

/** `sel` for the levels at one cell (`t,:,j,i`). */
export function levelsSel(model: CubeModel, selection: Selection, vertical: string, cell: Cell): string {
  return pick(model, selection, vertical, (_, axis) => (axis === model.map!.y ? String(cell.j) : axis === model.map!.x ? String(cell.i) : undefined));
}

/** Distinct cells along a straight line between two cells (one per step of the longer side), at most `max`. */
export function lineCells(from: Cell, to: Cell, max = 240): Cell[] {
  const steps = Math.max(Math.abs(to.i - from.i), Math.abs(to.j - from.j));
  const n = Math.min(max, steps + 1);
  const out: Cell[] = [];
  for (let k = 0; k < n; k++) {
    const t = n === 1 ? 0 : k / (n - 1);
    const cell = { i: Math.round(from.i + t * (to.i - from.i)), j: Math.round(from.j + t * (to.j - from.j)) };
    const last = out[out.length - 1];
    if (!last || last.i !== cell.i || last.j !== cell.j) out.push(cell);
  }
  return out;
}

/** The x axis of a section: the map axis along a row or column, or the distance along a line. */
export function sectionXAxis(model: CubeModel, path: SectionPath, distancesKm?: number[]): AxisSpec {
  if (path.kind === 'row') return model.x!.spec;
  if (path.kind === 'column') return model.y!.spec;
  return distancesKm ? { label: 'distance along the line / km', points: distancesKm } : { label: 'cells along the line' };
}

/** Great-circle distances (km) from the first of a list of lon/lat points. */
export function distancesKm(lonlats: ([number, number] | undefined)[]): number[] | undefined {
  if (lonlats.some((p) => !p)) return undefined;
  const R = 6371.229;
  const rad = Math.PI / 180;
  const out = [0];
  for (let k = 1; k < lonlats.length; k++) {
    const [l0, p0] = lonlats[k - 1]!;
    const [l1, p1] = lonlats[k]!;
    const h = Math.sin(((p1 - p0) * rad) / 2) ** 2 + Math.cos(p0 * rad) * Math.cos(p1 * rad) * Math.sin(((l1 - l0) * rad) / 2) ** 2;
    out.push(out[k - 1] + 2 * R * Math.asin(Math.min(1, Math.sqrt(h))));
  }
  return out;
}

/**
 * A section on hybrid height as altitude: level k at a place with orography h sits at `delta[k] + sigma[k] × h`.
 * The levels × places field is resampled onto `rows` altitudes from the lowest ground to the top level, each
 * altitude taking the level whose half-way bounds hold it; below the ground and above the top is missing (so the
 * terrain shows). Rows run upwards.
 */
export function terrainFollowing(
  field: { values: ArrayLike<number>; nx: number; ny: number },
  hybrid: { delta: number[]; sigma: number[] },
  orography: ArrayLike<number>,
  rows = 160,
): { values: Float32Array; nx: number; ny: number; altitudes: number[] } {
  const { nx, ny } = field;
  const alt = (k: number, s: number) => hybrid.delta[k] + hybrid.sigma[k] * (Number.isFinite(orography[s]) ? orography[s] : 0);
  let bottom = Infinity;
  let top = -Infinity;
  for (let s = 0; s < nx; s++) {
    bottom = Math.min(bottom, Number.isFinite(orography[s]) ? orography[s] : 0);
    const last = alt(ny - 1, s);
    const below = ny > 1 ? alt(ny - 2, s) : last;
    top = Math.max(top, last + (last - below) / 2);
  }
  bottom = Math.min(bottom, 0);
  const altitudes = Array.from({ length: rows }, (_, r) => bottom + ((r + 0.5) / rows) * (top - bottom));
  const values = new Float32Array(rows * nx).fill(NaN);
  for (let s = 0; s < nx; s++) {
    const ground = Number.isFinite(orography[s]) ? orography[s] : 0;
    const z = Array.from({ length: ny }, (_, k) => alt(k, s));
    // Level k spans from half-way to the level below (the ground for the first) to half-way to the level above.
    const lower = z.map((v, k) => (k === 0 ? ground : (z[k - 1] + v) / 2));
    const upper = z.map((v, k) => (k === ny - 1 ? v + (ny > 1 ? (v - z[k - 1]) / 2 : 0) : (v + z[k + 1]) / 2));
    let k = 0;
    for (let r = 0; r < rows; r++) {
      const a = altitudes[r];
      if (a < lower[0] || a > upper[ny - 1]) continue;
      while (k < ny - 1 && a > upper[k]) k++;
      values[r * nx + s] = field.values[k * nx + s];
    }
  }
  return { values, nx, ny: rows, altitudes };
}

/** The orography at each place along a path, from the whole 2-D orography field (`[y, x]` rows). */
export function orographyAlong(orography: ArrayLike<number>, nx: number, ny: number, path: SectionPath): number[] {
  if (path.kind === 'row') return Array.from({ length: nx }, (_, i) => orography[path.j * nx + i]);
  if (path.kind === 'column') return Array.from({ length: ny }, (_, j) => orography[j * nx + path.i]);
  return lineCells(path.from, path.to).map((c) => orography[c.j * nx + c.i]);
}

/**
 * The hybrid-height orography term of a cube, when it is a 2-D coordinate over the map's dimensions: its key (for
 * the coordinate-values route) and whether it runs `[x, y]` (its values then need transposing to the map's rows).
 */
export function orographyTerm(model: CubeModel): { key: string; transposed: boolean } | undefined {
  const { cube, x, y } = model;
  const term = cube.derived_coords?.find((d) => d.formula === 'hybrid_height')?.terms.orography;
  const coord = term ? cube.coords?.find((c) => c.key === term) : undefined;
  if (!coord || !x || !y || coord.dims.length !== 2) return undefined;
  if (coord.dims[0] === y.dim && coord.dims[1] === x.dim) return { key: coord.key, transposed: false };
  if (coord.dims[0] === x.dim && coord.dims[1] === y.dim) return { key: coord.key, transposed: true };
  return undefined;
}

/** 2-D values stored `[x, y]` as the map's `[y, x]` rows. */
export function transposed(values: ArrayLike<number>, nx: number, ny: number): Float64Array {
  const out = new Float64Array(nx * ny);
  for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) out[j * nx + i] = values[i * ny + j];
  return out;
}

/**
 * The cube of a publication that holds a hybrid-height cube's orography on its map grid (for a scheduler without
 * the coordinate-values route, which gives the cube's own orography term): the orography term's
 * coordinate is 2-D (its values are not in the description), but files that carry it usually carry it as a
 * variable too (`surface_altitude`), which the publication lists as a cube of its own.
 */
export function orographyCube(cube: CubeDescription, cubes: readonly CubeDescription[]): CubeDescription | undefined {
  const hybrid = cube.derived_coords?.find((d) => d.formula === 'hybrid_height');
  const term = hybrid?.terms.orography;
  const coord = term ? cube.coords?.find((c) => c.key === term) : undefined;
  if (!coord || coord.dims.length !== 2) return undefined;
  const shape = coord.dims.map((d) => cube.shape[cube.dims.indexOf(d)]);
  const map = mapDims(dimensioned(cube));
  // Rows along the map's y: the orography must run [y, x] like the map slice.
  if (!map || coord.dims[0] !== cube.dims[map.y] || coord.dims[1] !== cube.dims[map.x]) return undefined;
  return cubes.find((c) => c.name === (coord.standard_name ?? coord.name) && c.dims.length === 2 && c.dims[0] === coord.dims[0] && c.dims[1] === coord.dims[1] && c.shape[0] === shape[0] && c.shape[1] === shape[1]);
}
