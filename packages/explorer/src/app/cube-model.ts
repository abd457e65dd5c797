/**
 * What the cube view derives from a cube's JSON description: which two dimensions the map spans, a widget for
 * each other dimension (its points as text: dates in the cube's calendar, levels with units), and the API `sel`
 * strings for a map slice and for a time series at a cell. Pure, so it is unit-tested without a browser.
 */
import {
  calendarNote,
  dimLabel,
  geoNorthUp,
  northUp,
  gridGeoSpec,
  isTimeUnits,
  mapDims,
  pickGeoCoords,
  timeLabels,
  type AxisSpec,
  type DimensionedCube,
  type Field2D,
  type FieldValues,
  type GeoCoordChoice,
  type GridGeoSpec,
  type MapDims,
} from '@cubemark/plot';
import type { CoordDescription, CoordSystem, CubeDescription } from '@cubemark/format';

export interface DimWidget {
  /** Index of the dimension in the cube. */
  axis: number;
  dim: string;
  length: number;
  /** `time`, `model_level_number / 1`, `pressure / hPa`. */
  label: string;
  /** Text of each point (dates, or numbers with units); index numbers when the points are not listed. */
  pointLabels: string[];
  isTime: boolean;
  /** The calendar, when it is not the standard one (`360_day`). */
  calendar: string;
}

export interface CubeModel {
  cube: CubeDescription;
  map?: MapDims;
  /** Map dims as drawn: rows along `y`, columns along `x`. */
  y?: { axis: number; dim: string; length: number; spec: AxisSpec };
  x?: { axis: number; dim: string; length: number; spec: AxisSpec };
  widgets: DimWidget[];
  /** Where the map lies on the Earth, when its coordinates say so and their values are at hand. */
  geo?: GridGeoSpec;
  /**
   * A curvilinear grid whose 2-D latitude and longitude are too many to be listed in the description: the
   * coordinates to fetch (the coordinate-values route; `unlistedCoords`, `withCoordValues`) to place it.
   */
  geoToFetch?: Extract<GeoCoordChoice, { kind: 'curvilinear' }>;
  /** Values on an unstructured mesh: drawn as its faces (a map per choice of the other dimensions). */
  mesh?: MeshModel;
}

/** A cube on a mesh as the page draws it. */
export interface MeshModel {
  /** The mesh's name, the location the values sit on, and the cube dimension over it. */
  name: string;
  location: 'node' | 'edge' | 'face';
  axis: number;
  dim: string;
  /** Its mesh coordinates (keys `mesh:x`, `mesh:y`), when described. */
  x?: CoordDescription;
  y?: CoordDescription;
  /** Values on faces with face outlines (bounds of the mesh coordinates): what the page (and the API's PNG) draws. */
  drawable: boolean;
  /** The mesh coordinates are longitude and latitude: coastlines and graticule apply. */
  geographic: boolean;
}

function meshModel(cube: CubeDescription): MeshModel | undefined {
  const ref = cube.mesh;
  if (!ref) return undefined;
  const x = cube.coords?.find((c) => c.role === 'mesh' && c.key === 'mesh:x');
  const y = cube.coords?.find((c) => c.role === 'mesh' && c.key === 'mesh:y');
  return {
    name: ref.name,
    location: ref.location,
    axis: cube.dims.indexOf(ref.dim),
    dim: ref.dim,
    x,
    y,
    drawable: ref.location === 'face' && !!x?.bounds && !!y?.bounds,
    geographic: x?.standard_name === 'longitude' && y?.standard_name === 'latitude',
  };
}

function numericPoints(coord: CoordDescription | undefined, length: number): number[] | undefined {
  const values = coord?.points.values;
  if (!values || values.length !== length) return undefined;
  const out = values.map((v) => (typeof v === 'number' ? v : Number(v)));
  return out.every((v) => Number.isFinite(v)) ? out : undefined;
}

function dimCoord(cube: CubeDescription, dim: string): CoordDescription | undefined {
  return cube.coords?.find((c) => c.role === 'dim' && c.dims.length === 1 && c.dims[0] === dim);
}

function auxCoordAlong(cube: CubeDescription, dim: string): CoordDescription | undefined {
  const along = (cube.coords ?? []).filter((c) => c.role === 'aux' && c.dims.length === 1 && c.dims[0] === dim && c.points.values);
  return along.find((c) => c.points.values!.every((v) => typeof v === 'number')) ?? along[0];
}

function auxWithUnits(cube: CubeDescription, dim: string, length: number): { coord: CoordDescription; values: number[] } | undefined {
  for (const c of cube.coords ?? []) {
    if (c.role !== 'aux' || c.dims.length !== 1 || c.dims[0] !== dim || ['1', 'unknown', 'no_unit', ''].includes(c.units) || isTimeUnits(c.units)) continue;
    const values = numericPoints(c, length);
    if (values) return { coord: c, values };
  }
  return undefined;
}

export function dimensioned(cube: CubeDescription): DimensionedCube {
  const dim_coords: DimensionedCube['dim_coords'] = {};
  for (const dim of cube.dims) {
    const c = dimCoord(cube, dim);
    if (c) (dim_coords as Record<string, unknown>)[dim] = c;
  }
  return { dims: cube.dims, dim_coords };
}

function pointText(v: number): string {
  return String(Number(v.toPrecision(7)));
}

export function cubeModel(cube: CubeDescription, coordSystems: Record<string, CoordSystem> = {}): CubeModel {
  const shaped = dimensioned(cube);
  // Values on an unstructured mesh have no pair of grid dimensions: no gridded map, every dimension a widget.
  const map = cube.mesh ? undefined : mapDims(shaped);
  const mesh = meshModel(cube);
  const widgets: DimWidget[] = [];
  cube.dims.forEach((dim, axis) => {
    if (map && (axis === map.y || axis === map.x)) return;
    // A drawn mesh's dimension is the map's: its faces.
    if (mesh?.drawable && axis === mesh.axis) return;
    const length = cube.shape[axis];
    const own = dimCoord(cube, dim);
    // A dimension without a dimension coordinate (an ensemble, a forecast period) is labelled by a 1-D auxiliary
    // coordinate along it, as Iris's summary lists them: numbers first, then text labels.
    const aux = own ? undefined : auxCoordAlong(cube, dim);
    const coord = own ?? aux;
    const points = numericPoints(coord, length);
    const texts = !points && coord?.points.values?.length === length ? coord.points.values.map(String) : undefined;
    const isTime = !!coord && !!points && isTimeUnits(coord.units);
    let pointLabels: string[];
    if (texts) {
      pointLabels = texts;
    } else if (points && isTime) {
      try {
        pointLabels = timeLabels(points, coord!.units, coord!.calendar);
      } catch {
        pointLabels = points.map(pointText);
      }
    } else if (points) {
      const units = coord && coord.units !== '1' && coord.units !== 'unknown' && coord.units !== 'no_unit' ? ` ${coord.units}` : '';
      pointLabels = points.map((v) => `${pointText(v)}${units}`);
    } else {
      pointLabels = Array.from({ length }, (_, k) => `index ${k}`);
    }
    // Model levels say where they are: `1 · level_height 20 m` (a 1-D auxiliary coordinate with physical units).
    const physical = own && !isTime ? auxWithUnits(cube, dim, length) : undefined;
    if (physical) pointLabels = pointLabels.map((l, k) => `${l} · ${physical.coord.name} ${pointText(physical.values[k])} ${physical.coord.units}`);
    const label = aux ? `${dim} (${aux.name})` : isTime ? coord!.name : dimLabel(shaped, axis, coordSystems).text;
    widgets.push({ axis, dim, length, label, pointLabels, isTime, calendar: isTime ? calendarNote(coord!.calendar) : '' });
  });
  const axisOf = (axis: number) => {
    const dim = cube.dims[axis];
    const length = cube.shape[axis];
    return { axis, dim, length, spec: { label: dimLabel(shaped, axis, coordSystems).text, points: numericPoints(dimCoord(cube, dim), length) } };
  };
  const x = map && axisOf(map.x);
  const y = map && axisOf(map.y);
  const geo = x && y ? geoOf(cube, coordSystems, x, y) : undefined;
  const choice = x && y && !geo ? pickGeoCoords({ x: x.dim, y: y.dim }, cube.coords ?? [], coordSystems) : undefined;
  return { cube, map, y, x, widgets, geo, ...(choice?.kind === 'curvilinear' && { geoToFetch: choice }), ...(mesh && { mesh }) };
}

/**
 * Keys of the coordinates whose values the model could use but the description does not list (over 1000 values,
 * or read from files): 1-D coordinates along the widgets' dimensions (dates and levels instead of indices) and a
 * curvilinear grid's 2-D latitude and longitude (`geoToFetch`). Text coordinates are left out (no binary form).
 */
export function unlistedCoords(model: CubeModel): string[] {
  const dims = new Set(model.widgets.map((w) => w.dim));
  const keys = (model.cube.coords ?? [])
    .filter((c) => c.role !== 'mesh' && c.dims.length === 1 && dims.has(c.dims[0]) && !c.points.values && c.points.dtype !== 'string')
    .map((c) => c.key);
  if (model.geoToFetch) keys.push(model.geoToFetch.lon, model.geoToFetch.lat);
  return [...new Set(keys)];
}

/** The description with fetched coordinate values listed, as if the description had listed them. */
export function withCoordValues(cube: CubeDescription, values: ReadonlyMap<string, ArrayLike<number>>): CubeDescription {
  return { ...cube, coords: cube.coords?.map((c) => (values.has(c.key) ? { ...c, points: { ...c.points, values: Array.from(values.get(c.key)!) } } : c)) };
}

/**
 * The grid's geography from the description: dimension coordinates in a coordinate system, or 2-D latitude and
 * longitude whose values the description lists (up to 1000 points; larger ones are not fetched).
 */
function geoOf(cube: CubeDescription, coordSystems: Record<string, CoordSystem>, x: { dim: string; length: number; spec: AxisSpec }, y: { dim: string; length: number; spec: AxisSpec }): GridGeoSpec | undefined {
  const coords = cube.coords ?? [];
  const choice = pickGeoCoords({ x: x.dim, y: y.dim }, coords, coordSystems);
  if (!choice) return undefined;
  const byKey = (key: string) => coords.find((c) => c.key === key);
  if (choice.kind === 'axes') {
    if (!x.spec.points || !y.spec.points) return undefined;
    return gridGeoSpec(choice, { x: { points: x.spec.points, units: byKey(choice.x)?.units }, y: { points: y.spec.points, units: byKey(choice.y)?.units }, nx: x.length, ny: y.length });
  }
  const values = (key: string) => numericPoints(byKey(key), x.length * y.length);
  return gridGeoSpec(choice, { lon: values(choice.lon), lat: values(choice.lat), nx: x.length, ny: y.length });
}

/** Whether the map's row 0 is drawn at the bottom (north up): from the y points, else a curvilinear grid's latitudes. */
export function mapNorthUp(model: CubeModel): boolean {
  const points = model.y?.spec.points;
  return points ? northUp(points) : (geoNorthUp(model.geo) ?? false);
}

/** A cell of the map: column i (along x), row j (along y). */
export interface Cell {
  i: number;
  j: number;
}

/** Index chosen for each widget's dimension, by dimension name. */
export type Selection = Record<string, number>;

export function defaultSelection(model: CubeModel): Selection {
  return Object.fromEntries(model.widgets.map((w) => [w.dim, 0]));
}

/** `sel` for the 2-D map at the chosen indices: `3,0,:,:` (a mesh map: `3,:`, the whole mesh dimension). */
export function mapSel(model: CubeModel, selection: Selection): string {
  const whole = (axis: number) => (model.map && (axis === model.map.y || axis === model.map.x)) || (model.mesh?.drawable && axis === model.mesh.axis);
  return model.cube.dims.map((dim, axis) => (whole(axis) ? ':' : String(clampIndex(selection[dim] ?? 0, model.cube.shape[axis])))).join(',');
}

/**
 * `sel` for the series along `along` (a widget's dimension, usually time) at map cell (i, j) and the other
 * widgets' chosen indices: `:,0,412,300`.
 */
export function seriesSel(model: CubeModel, selection: Selection, along: string, cell: { i: number; j: number }): string {
  return model.cube.dims
    .map((dim, axis) => {
      if (dim === along) return ':';
      if (model.map && axis === model.map.y) return String(cell.j);
      if (model.map && axis === model.map.x) return String(cell.i);
      return String(clampIndex(selection[dim] ?? 0, model.cube.shape[axis]));
    })
    .join(',');
}

function clampIndex(k: number, n: number): number {
  return Math.min(Math.max(0, Math.trunc(k)), Math.max(0, n - 1));
}

/**
 * A 2-D slice as the field the figures draw (rows along y): the API returns axes in the cube's order, so a cube
 * stored `[x, y]` is transposed here.
 */
export function sliceToField(model: CubeModel, values: FieldValues, mask: Uint8Array | undefined): Field2D {
  const ny = model.y!.length;
  const nx = model.x!.length;
  if (model.map!.y < model.map!.x) return { values, mask, nx, ny };
  const out = new Float32Array(nx * ny);
  const outMask = mask ? new Uint8Array(nx * ny) : undefined;
  for (let i = 0; i < nx; i++) {
    for (let j = 0; j < ny; j++) {
      out[j * nx + i] = values[i * ny + j];
      if (outMask) outMask[j * nx + i] = mask![i * ny + j];
    }
  }
  return { values: out, mask: outMask, nx, ny };
}

/** The cube's parameters (cubes grouped by name), in first-appearance order, for the unified view. */
export function parameters(cubes: readonly CubeDescription[]): { name: string; indices: number[] }[] {
  const groups = new Map<string, number[]>();
  for (const c of cubes) {
    const list = groups.get(c.name) ?? [];
    list.push(c.index);
    groups.set(c.name, list);
  }
  return [...groups].map(([name, indices]) => ({ name, indices }));
}
