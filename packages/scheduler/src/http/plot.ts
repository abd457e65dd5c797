import { MESH_AXES, meshCoordsOf, nameOf, type CoordSystem, type CubeMeta, type Mesh } from '@cubemark/format';
import {
  COLORMAP_NAMES,
  PlotError,
  axisLabel,
  dimLabel,
  facesFromBounds,
  gridGeoSpec,
  isColormapName,
  isTimeUnits,
  mapDims,
  pickGeoCoords,
  plottableMesh,
  timeLabel,
  unitsText,
  type ColormapName,
  type FieldValues,
  type GridGeoSpec,
} from '@cubemark/plot';
import { renderMeshPng, renderPng } from '@cubemark/plot/png';
import { SchedulerError } from '../errors.js';
import { parseSel, type SelectedView } from '../data/selection.js';
import type { CubeAccess } from '../publication/access.js';

/** Query parameters of the plot route that are options, not coordinate selections. */
export const PLOT_RESERVED = new Set(['sel', 'format', 'colormap', 'range', 'kind', 'width', 'height', 'title', 'coastlines', 'graticule']);

export interface PlotQuery {
  sel?: string;
  colormap?: string;
  range?: string;
  kind?: 'auto' | 'sequential' | 'diverging';
  width?: number;
  height?: number;
  title?: string;
  /** `1` (default) or `0`: coastlines over the map, in the grid's own coordinate system. */
  coastlines?: string;
  /** `1` (default) or `0`: lines of latitude and longitude over the map. */
  graticule?: string;
  [coordinate: string]: unknown;
}

function badPlot(message: string): SchedulerError {
  return new SchedulerError('BAD_PLOT', message);
}

function flag(name: string, value: string | undefined): boolean {
  if (value === undefined || value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  throw badPlot(`${name} must be 1 or 0; got '${value}'`);
}

function numbers(values: unknown): number[] | undefined {
  if (Array.isArray(values)) return undefined;
  return Array.from(values as ArrayLike<number | bigint>, Number);
}

function pointText(meta: CubeMeta, dim: string, value: number): string {
  const coord = meta.dim_coords[dim];
  if (coord && isTimeUnits(coord.units)) {
    try {
      return timeLabel(value, coord.units, coord.calendar);
    } catch {
      // Fall through to the number.
    }
  }
  const units = unitsText(coord?.units);
  return `${dim} ${Number(value.toPrecision(7))}${units && units !== '1' ? ` ${units}` : ''}`;
}

/** Where the map's grid lies on the Earth, from the coordinates `pickGeoCoords` chooses, sliced as `sel` slices the cube. */
async function geoSpec(
  cube: CubeAccess,
  selection: ReturnType<typeof parseSel>,
  map: { x: string; y: string; nx: number; ny: number },
  axes: { x: { points?: number[] }; y: { points?: number[] } },
  coordSystems: Record<string, CoordSystem>,
  signal: AbortSignal,
): Promise<GridGeoSpec | undefined> {
  const { meta } = cube;
  const coords = [...Object.entries(meta.dim_coords), ...Object.entries(meta.aux_coords)].map(([key, c]) => ({ key, ...c }));
  const choice = pickGeoCoords(map, coords, coordSystems);
  if (!choice) return undefined;
  if (choice.kind === 'axes') {
    const unitsOf = (key: string) => (meta.dim_coords[key] ?? meta.aux_coords[key])?.units;
    if (choice.x !== map.x || choice.y !== map.y || !axes.x.points || !axes.y.points) return undefined;
    return gridGeoSpec(choice, { x: { points: axes.x.points, units: unitsOf(choice.x) }, y: { points: axes.y.points, units: unitsOf(choice.y) }, nx: map.nx, ny: map.ny });
  }
  const read2d = async (key: string) => {
    const coord = meta.aux_coords[key];
    const slices = coord.dims.map((dim) => selection[meta.dims.indexOf(dim)] ?? {});
    return numbers((await cube.points(key).slice(slices).read({ signal })).values);
  };
  return gridGeoSpec(choice, { lon: await read2d(choice.lon), lat: await read2d(choice.lat), nx: map.nx, ny: map.ny });
}

/** What a plot needs besides the cube: the coordinate systems its axes are labelled in, and the publication's meshes. */
export interface PlotContext {
  coordSystems: Record<string, CoordSystem>;
  meshes?: Readonly<Record<string, Mesh>>;
  /** Most bytes a mesh map may read for its faces' outlines (the data route's binary limit); more is 413. */
  maxSliceBytes?: number;
}

/** The options of a plot query, checked (BAD_PLOT for bad ones) before anything is read. */
interface PlotOptions {
  range?: [number, number];
  colormap?: ColormapName;
  coastlines: boolean;
  graticule: boolean;
}

function plotOptions(query: PlotQuery): PlotOptions {
  let range: [number, number] | undefined;
  if (query.range !== undefined) {
    const parts = query.range.split(',').map(Number);
    if (parts.length !== 2 || !parts.every(Number.isFinite) || parts[0] > parts[1]) throw badPlot(`range must be 'min,max' with min <= max; got '${query.range}'`);
    range = [parts[0], parts[1]];
  }
  if (query.colormap !== undefined && !isColormapName(query.colormap)) {
    throw badPlot(`unknown colour map '${query.colormap}'; known: ${COLORMAP_NAMES.join(', ')}`);
  }
  return { range, colormap: query.colormap as ColormapName | undefined, coastlines: flag('coastlines', query.coastlines), graticule: flag('graticule', query.graticule) };
}

/** The default title: the cube's name and what was picked along the other dimensions. */
async function defaultTitle(cube: CubeAccess, query: PlotQuery, selection: ReturnType<typeof parseSel>, signal: AbortSignal): Promise<string> {
  const { meta } = cube;
  const picked: string[] = [];
  for (const [axis, s] of selection.entries()) {
    if (typeof s !== 'number' || !meta.dim_coords[meta.dims[axis]]) continue;
    const point = await cube.points(meta.dims[axis]).slice([s]).read({ signal });
    const v = numbers(point.values)?.[0];
    if (v !== undefined) picked.push(pointText(meta, meta.dims[axis], v));
  }
  for (const [key, value] of Object.entries(query)) if (!PLOT_RESERVED.has(key) && typeof value === 'string') picked.push(`${key} ${value}`);
  return [nameOf(meta), ...picked].join(', ');
}

async function drawn<T>(render: () => Promise<T>): Promise<T> {
  try {
    return await render();
  } catch (error) {
    if (error instanceof PlotError) throw error.code === 'NOT_PLOTTABLE' ? new SchedulerError('NOT_PLOTTABLE', error.message) : badPlot(error.message);
    throw error;
  }
}

/**
 * A PNG map of a 2-D selection of a cube, drawn by @cubemark/plot exactly as the explorer page draws it: axes in
 * the cube's coordinates (rotated-pole grids say so), a colour bar with units, missing cells transparent over
 * the background, north up. Reads the selected values and the map dimensions' points only. A selection keeping
 * the mesh dimension of a cube on a mesh is drawn as the mesh's faces (`meshPng`).
 */
export async function plotPng(cube: CubeAccess, view: SelectedView, query: PlotQuery, context: PlotContext, signal: AbortSignal): Promise<Uint8Array> {
  const { meta } = cube;
  const { coordSystems } = context;
  const options = plotOptions(query);
  if (meta.mesh && view.dims.includes(meta.mesh.dim)) return meshPng(cube, view, query, options, context, signal);
  if (view.dims.length !== 2) {
    const example = meta.dims.map((_, i) => (i >= meta.dims.length - 2 ? ':' : '0')).join(',');
    throw new SchedulerError(
      'BAD_SELECTION',
      `a plot needs a 2-D selection; this one keeps ${view.dims.length} dimension${view.dims.length === 1 ? '' : 's'} (${view.dims.join(', ') || 'none'}): pick one index of every other dimension, e.g. sel=${example}`,
    );
  }
  const { range, colormap, coastlines, graticule } = options;
  const result = await view.array.read({ signal });
  const values = numbers(result.values);
  if (!values) throw new SchedulerError('BAD_SELECTION', `the values are text (dtype ${result.dtype}) and cannot be plotted`);

  // The two kept dimensions, as the cube orders them; the map's rows run along the Y-like one.
  const map = mapDims({ dims: view.dims, dim_coords: meta.dim_coords })!;
  const [d0, d1] = view.dims;
  const [n0, n1] = result.shape;
  let field: { values: FieldValues; mask?: Uint8Array; nx: number; ny: number };
  if (map.y === 0) {
    field = { values: Float64Array.from(values), mask: result.mask, nx: n1, ny: n0 };
  } else {
    const t = new Float64Array(n0 * n1);
    const m = result.mask ? new Uint8Array(n0 * n1) : undefined;
    for (let a = 0; a < n0; a++) for (let b = 0; b < n1; b++) {
      t[b * n0 + a] = values[a * n1 + b];
      if (m) m[b * n0 + a] = result.mask![a * n1 + b];
    }
    field = { values: t, mask: m, nx: n0, ny: n1 };
  }
  const yDim = map.y === 0 ? d0 : d1;
  const xDim = map.y === 0 ? d1 : d0;

  // Points of the map dimensions, sliced as `sel` slices them (coordinate values only ever drop dimensions).
  const selection = parseSel(query.sel ?? '', meta.dims);
  const axisPoints = async (dim: string) => {
    if (!meta.dim_coords[dim]) return undefined;
    const axis = meta.dims.indexOf(dim);
    const points = await cube.points(dim).slice([selection[axis] ?? {}]).read({ signal });
    return numbers(points.values);
  };
  const dimensioned = { dims: meta.dims, dim_coords: meta.dim_coords };
  const axes = {
    x: { label: dimLabel(dimensioned, meta.dims.indexOf(xDim), coordSystems).text, points: await axisPoints(xDim) },
    y: { label: dimLabel(dimensioned, meta.dims.indexOf(yDim), coordSystems).text, points: await axisPoints(yDim) },
  };

  const geo = coastlines || graticule ? await geoSpec(cube, selection, { x: xDim, y: yDim, nx: field.nx, ny: field.ny }, axes, coordSystems, signal) : undefined;

  const title = query.title ?? (await defaultTitle(cube, query, selection, signal));
  return drawn(() =>
    renderPng(field, {
      title,
      units: unitsText(meta.units),
      axes,
      colormap,
      range,
      kind: query.kind,
      width: query.width,
      height: query.height,
      geo,
      coastlines,
      graticule,
    }),
  );
}

/**
 * A map of the values on a mesh's faces: one polygon per face, from the bounds of the cube's mesh coordinates
 * (the coordinates of each face's nodes), sliced as `sel` slices the mesh dimension; coastlines and graticule when
 * the mesh's coordinates are longitude and latitude. NOT_PLOTTABLE for values on nodes or edges.
 */
async function meshPng(cube: CubeAccess, view: SelectedView, query: PlotQuery, options: PlotOptions, context: PlotContext, signal: AbortSignal): Promise<Uint8Array> {
  const { meta } = cube;
  const ref = meta.mesh!;
  let mesh: Mesh;
  try {
    mesh = plottableMesh(meta, context.meshes);
  } catch (error) {
    if (error instanceof PlotError) throw new SchedulerError('NOT_PLOTTABLE', error.message);
    throw error;
  }
  if (view.dims.length !== 1) {
    const example = meta.dims.map((dim) => (dim === ref.dim ? ':' : '0')).join(',');
    throw new SchedulerError(
      'BAD_SELECTION',
      `a map of values on the ${ref.location}s of mesh '${ref.name}' keeps only the mesh dimension '${ref.dim}'; this selection keeps ${view.dims.join(', ')}: pick one index of every other dimension, e.g. sel=${example}`,
    );
  }
  const coords = meshCoordsOf(mesh, ref.location);
  const [x, y] = cube.cube.meshCoords();
  if (!coords.x || !coords.y || !x?.bounds || !y?.bounds) {
    throw new SchedulerError('NOT_PLOTTABLE', `the ${ref.location}s of mesh '${ref.name}' have no x and y coordinates to place them by`);
  }
  const selection = parseSel(query.sel ?? '', meta.dims);
  const along = selection[meta.dims.indexOf(ref.dim)] ?? {};
  const outlines = [x.bounds.lazy.slice([along, {}]), y.bounds.lazy.slice([along, {}])];
  const bytes = 2 * outlines[0].shape.reduce((p, n) => p * n, 1) * 8;
  if (context.maxSliceBytes !== undefined && bytes > context.maxSliceBytes) {
    throw new SchedulerError(
      'SLICE_TOO_LARGE',
      `the outlines of the ${outlines[0].shape[0]} ${ref.location}s to draw are ${bytes} bytes; answers are limited to ${context.maxSliceBytes} bytes: draw part of the mesh (sel over '${ref.dim}')`,
      { details: { bytes, limit: context.maxSliceBytes } },
    );
  }
  const [result, xb, yb] = await Promise.all([view.array.read({ signal }), outlines[0].read({ signal }), outlines[1].read({ signal })]);
  const values = numbers(result.values);
  if (!values) throw new SchedulerError('BAD_SELECTION', `the values are text (dtype ${result.dtype}) and cannot be plotted`);
  const geographic = coords.x.standard_name === 'longitude' && coords.y.standard_name === 'latitude';
  const faces = await drawn(async () => facesFromBounds(numbers(xb.values)!, numbers(yb.values)!, xb.shape as [number, number], { wrapLongitude: geographic }));
  const title = query.title ?? (await defaultTitle(cube, query, selection, signal));
  const label = (axis: (typeof MESH_AXES)[number]) => ({ label: axisLabel(coords[axis]!).text });
  return drawn(() =>
    renderMeshPng(faces, values, {
      title,
      units: unitsText(meta.units),
      axes: { x: label('x'), y: label('y') },
      mask: result.mask,
      colormap: options.colormap,
      range: options.range,
      kind: query.kind,
      width: query.width,
      height: query.height,
      geographic,
      coastlines: options.coastlines,
      graticule: options.graticule,
    }),
  );
}
