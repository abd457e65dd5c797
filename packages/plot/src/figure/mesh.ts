import type { CubeMeta, Mesh } from '@cubemark/format';
import { linearTicks } from '../axes/ticks.js';
import { colormapLut, LUT_SIZE } from '../colour/colormaps.js';
import type { ColourScale } from '../colour/scale.js';
import { PlotError } from '../errors.js';
import type { FieldValues } from '../field.js';
import type { GridGeoSpec } from '../geo/grid.js';
import { DEFAULT_FONT_FAMILY, fitText, type Canvas2D } from './canvas.js';
import { drawColourBar, drawOverlayLines, MAX_FIGURE_SIDE, type MapLayout, type MapOverlay } from './map.js';

/**
 * Maps of values on the faces of an unstructured (UGRID) mesh: each face a polygon through its nodes, filled with
 * its value's colour, on longitude/latitude axes, with coastlines and a graticule when x and y are longitude and
 * latitude (`meshGeoSpec`). Values on nodes or edges are not drawn yet (`NOT_PLOTTABLE`).
 */

/** Face polygons: face `f` has vertices `offsets[f]` to `offsets[f + 1]` of `xs`/`ys` (masked slots left out). */
export interface MeshFaces {
  count: number;
  offsets: Uint32Array;
  xs: Float64Array;
  ys: Float64Array;
  /** The extent the map shows: every vertex, or one turn of longitude when the faces go all the way round. */
  bounds: { xmin: number; xmax: number; ymin: number; ymax: number };
  /** 360 when the faces go all the way round in longitude: faces over the map's edge are drawn again a turn away. */
  period?: number;
}

export interface FaceNodeIndices {
  /** Row-major indices, shape `[faces, slots]` (or `[slots, faces]` with `locationAxis: 1`). */
  values: ArrayLike<number>;
  shape: readonly [number, number];
  /** UGRID `start_index` (default 0). */
  startIndex?: number;
  locationAxis?: 0 | 1;
  /** Non-zero for unused slots (masked indices). Indices out of range are unused slots too. */
  mask?: Uint8Array;
}

/** `d` degrees of longitude taken within half a turn. */
function lonDelta(d: number): number {
  return d - 360 * Math.round(d / 360);
}

const POLE = 90 - 1e-9;

/**
 * One face's outline in longitude and latitude, drawable on a plate carrée map: each vertex within half a turn of
 * the one before (a face across the date line stays small); a vertex at a pole, whose longitude means nothing,
 * becomes two at the pole, under its neighbours; a face around a pole is closed along the pole, a turn wide.
 */
function wrapFace(x: readonly number[], y: readonly number[], out: { xs: number[]; ys: number[] }): void {
  const n = x.length;
  const atPole = y.map((v) => Math.abs(v) >= POLE);
  const ux = new Array<number>(n).fill(Number.NaN);
  let previous: number | undefined;
  for (let k = 0; k < n; k++) {
    if (atPole[k]) continue;
    ux[k] = previous === undefined ? x[k] : previous + lonDelta(x[k] - previous);
    previous = ux[k];
  }
  const first = ux.findIndex((v) => !Number.isNaN(v));
  if (first < 0) return;
  const last = ux.length - 1 - [...ux].reverse().findIndex((v) => !Number.isNaN(v));
  // Going once round the outline turns a full circle in longitude when the face holds a pole.
  const turn = ux[last] + lonDelta(ux[first] - ux[last]) - ux[first];
  const neighbour = (k: number, step: 1 | -1) => {
    for (let m = k + step; m >= 0 && m < n; m += step) if (!atPole[m]) return ux[m];
    // Across the closing edge: a turn on when the face holds a pole.
    return step === 1 ? ux[first] + turn : ux[last] - turn;
  };
  for (let k = 0; k < n; k++) {
    if (atPole[k]) {
      out.xs.push(neighbour(k, -1), neighbour(k, 1));
      out.ys.push(y[k], y[k]);
    } else {
      out.xs.push(ux[k]);
      out.ys.push(y[k]);
    }
  }
  if (Math.abs(turn) > 180) {
    const pole = y.reduce((p, v) => p + v, 0) > 0 ? 90 : -90;
    const end = ux[first] + turn;
    out.xs.push(end, end, ux[first]);
    out.ys.push(y[first], pole, pole);
  }
}

/**
 * Face polygons from node coordinates and face-node indices. With `wrapLongitude` (x in degrees), faces are made
 * drawable on longitude-latitude axes (`wrapFace`): across the date line they stay small, at and around the poles
 * they reach the pole; a mesh that goes all the way round is shown one turn wide (`period`).
 */
export function meshFaces(nodes: { x: ArrayLike<number>; y: ArrayLike<number> }, indices: FaceNodeIndices, options: { wrapLongitude?: boolean } = {}): MeshFaces {
  const [a, b] = indices.shape;
  const transposed = indices.locationAxis === 1;
  const count = transposed ? b : a;
  const slots = transposed ? a : b;
  if (indices.values.length !== a * b) {
    throw new PlotError('BAD_FIELD', `face-node indices of shape [${a}, ${b}] need ${a * b} values; got ${indices.values.length}`);
  }
  const nNodes = Math.min(nodes.x.length, nodes.y.length);
  const start = indices.startIndex ?? 0;
  const offsets = new Uint32Array(count + 1);
  const out = { xs: [] as number[], ys: [] as number[] };
  let rawMin = Infinity;
  const fx: number[] = [];
  const fy: number[] = [];
  for (let f = 0; f < count; f++) {
    fx.length = 0;
    fy.length = 0;
    for (let s = 0; s < slots; s++) {
      const k = transposed ? s * count + f : f * slots + s;
      if (indices.mask?.[k]) continue;
      const node = Number(indices.values[k]) - start;
      if (!Number.isInteger(node) || node < 0 || node >= nNodes) continue;
      const x = Number(nodes.x[node]);
      const y = Number(nodes.y[node]);
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      fx.push(x);
      fy.push(y);
    }
    if (options.wrapLongitude) {
      for (let k = 0; k < fx.length; k++) if (Math.abs(fy[k]) < POLE && fx[k] < rawMin) rawMin = fx[k];
      wrapFace(fx, fy, out);
    } else {
      out.xs.push(...fx);
      out.ys.push(...fy);
    }
    offsets[f + 1] = out.xs.length;
  }
  if (out.xs.length === 0) throw new PlotError('BAD_FIELD', 'the mesh has no face with a vertex to draw');
  const xs = Float64Array.from(out.xs);
  const ys = Float64Array.from(out.ys);
  let [xmin, xmax, ymin, ymax] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let k = 0; k < xs.length; k++) {
    xmin = Math.min(xmin, xs[k]);
    xmax = Math.max(xmax, xs[k]);
    ymin = Math.min(ymin, ys[k]);
    ymax = Math.max(ymax, ys[k]);
  }
  // `+ 0`: no -0 in the extent.
  const faces: MeshFaces = { count, offsets, xs, ys, bounds: { xmin: xmin + 0, xmax, ymin, ymax } };
  // Wrapped faces of a global mesh reach past a turn: show one turn, from the smallest node longitude.
  if (options.wrapLongitude && xmax - xmin > 360 + 1e-9) return { ...faces, bounds: { xmin: rawMin, xmax: rawMin + 360, ymin, ymax }, period: 360 };
  return faces;
}

/**
 * Face polygons from the bounds of a cube's mesh coordinates (Iris's `MeshCoord.bounds`: the coordinates of each
 * face's nodes, `[faces, slots]` row-major, NaN in unused slots), as the scheduler's coordinate route gives them.
 */
export function facesFromBounds(x: ArrayLike<number>, y: ArrayLike<number>, shape: readonly [number, number], options: { wrapLongitude?: boolean } = {}): MeshFaces {
  const identity = new Uint32Array(shape[0] * shape[1]);
  for (let k = 0; k < identity.length; k++) identity[k] = k;
  return meshFaces({ x, y }, { values: identity, shape }, options);
}

/** Cells of the grid `meshGeoSpec` lays over a mesh map, along each axis. */
export const MESH_GEO_CELLS = 512;

/**
 * A regular latitude-longitude grid spanning a mesh map whose x and y are longitude and latitude in degrees:
 * `mapGeography` of it gives the coastlines and graticule `drawMeshMap` draws (its `overlay`).
 */
export function meshGeoSpec(faces: Pick<MeshFaces, 'bounds'>): GridGeoSpec {
  const { xmin, xmax, ymin, ymax } = faces.bounds;
  const n = MESH_GEO_CELLS;
  const axis = (lo: number, hi: number) => ({ points: Float64Array.from({ length: n }, (_, k) => lo + ((k + 0.5) / n) * (hi - lo)), units: 'degrees' });
  return { kind: 'axes', coordSystem: { kind: 'latitude_longitude' }, x: axis(xmin, xmax), y: axis(ymin, ymax) };
}

/**
 * Throws `NOT_PLOTTABLE` unless a cube's values sit on the faces of a mesh with a face-node connectivity: what
 * `meshFaces` can draw. Returns the mesh.
 */
export function plottableMesh(cube: Pick<CubeMeta, 'mesh' | 'long_name' | 'standard_name' | 'var_name'>, meshes: Readonly<Record<string, Mesh>> | undefined): Mesh {
  const name = cube.standard_name ?? cube.long_name ?? cube.var_name ?? 'unknown';
  const ref = cube.mesh;
  if (!ref) throw new PlotError('NOT_PLOTTABLE', `cube '${name}' is not on a mesh: draw it as a gridded map`);
  const mesh = meshes && Object.hasOwn(meshes, ref.name) ? meshes[ref.name] : undefined;
  if (!mesh) throw new PlotError('NOT_PLOTTABLE', `cube '${name}' sits on mesh '${ref.name}', which is not given`);
  if (ref.location !== 'face') {
    throw new PlotError('NOT_PLOTTABLE', `cube '${name}' has values on the ${ref.location}s of mesh '${ref.name}': only values on faces can be drawn yet`);
  }
  if (!mesh.connectivities.face_node_connectivity) {
    throw new PlotError('NOT_PLOTTABLE', `mesh '${ref.name}' has no face_node_connectivity: its faces have no outline to draw`);
  }
  return mesh;
}

export interface MeshMapSpec {
  faces: MeshFaces;
  /** One value per face; NaN or a masked value leaves the face unfilled. */
  values: FieldValues;
  mask?: Uint8Array;
  scale: ColourScale;
  title?: string;
  units?: string;
  x?: { label: string };
  y?: { label: string };
  width: number;
  height: number;
  fontSize?: number;
  fontFamily?: string;
  pixelRatio?: number;
  background?: string;
  foreground?: string;
  /** Coastlines and graticule in fractional cells of `meshGeoSpec(faces)` (`mapGeography` of it); absent: none. */
  overlay?: MapOverlay;
}

function meshMargins(spec: Pick<MeshMapSpec, 'fontSize' | 'pixelRatio' | 'title'>) {
  const r = spec.pixelRatio ?? 1;
  const fs = (spec.fontSize ?? 12) * r;
  return { fs, left: fs * 6.2, bottom: fs * 3.6, top: spec.title ? fs * 2.6 : fs, right: fs * 9.8, gap: fs, bar: fs * 1.3 };
}

/** The figure height that fits the faces' extent at one scale at `width`, no space wasted above and below. */
export function meshMapSizeForWidth(faces: Pick<MeshFaces, 'bounds'>, width: number, options: Pick<MeshMapSpec, 'fontSize' | 'pixelRatio' | 'title'> = {}): { width: number; height: number } {
  const m = meshMargins(options);
  const { xmin, xmax, ymin, ymax } = faces.bounds;
  const plotWidth = Math.max(8, width - m.left - m.right);
  return { width: Math.round(width), height: Math.round(m.top + m.bottom + (plotWidth * Math.max(ymax - ymin, 1e-9)) / Math.max(xmax - xmin, 1e-9)) };
}

/** Where everything goes: x and y at one scale (degrees for degrees), centred; throws BAD_SIZE as `mapLayout`. */
export function meshMapLayout(spec: MeshMapSpec): MapLayout {
  const { width, height } = spec;
  if (!(width <= MAX_FIGURE_SIDE && height <= MAX_FIGURE_SIDE)) {
    throw new PlotError('BAD_SIZE', `a figure side may be at most ${MAX_FIGURE_SIDE} px; got ${width} × ${height}`);
  }
  const m = meshMargins(spec);
  const fs = m.fs;
  const availW = width - m.left - m.right;
  const availH = height - m.top - m.bottom;
  if (!(availW >= 8 && availH >= 8)) throw new PlotError('BAD_SIZE', `a ${width} × ${height} px figure leaves no room for the plot; make it larger`);
  const { xmin, xmax, ymin, ymax } = spec.faces.bounds;
  const dx = Math.max(xmax - xmin, 1e-9);
  const dy = Math.max(ymax - ymin, 1e-9);
  const k = Math.min(availW / dx, availH / dy);
  const plot = { x: m.left + (availW - dx * k) / 2, y: m.top + (availH - dy * k) / 2, width: dx * k, height: dy * k };
  return { width, height, plot, colourBar: { x: plot.x + plot.width + m.gap, y: plot.y, width: m.bar, height: plot.height }, fontSize: fs };
}

/** Draw the faces, filled by value, the overlay if given, axes in the coordinates' units, a colour bar and the title. */
export function drawMeshMap<I>(ctx: Canvas2D<I>, spec: MeshMapSpec, layout: MapLayout = meshMapLayout(spec)): MapLayout {
  const { faces, values, mask, scale } = spec;
  if (values.length !== faces.count) throw new PlotError('BAD_FIELD', `${faces.count} faces need ${faces.count} values; got ${values.length}`);
  const { plot, colourBar, fontSize: fs } = layout;
  const { xmin, xmax, ymin, ymax } = faces.bounds;
  const px = (x: number) => plot.x + ((x - xmin) / Math.max(xmax - xmin, 1e-9)) * plot.width;
  const py = (y: number) => plot.y + plot.height - ((y - ymin) / Math.max(ymax - ymin, 1e-9)) * plot.height;
  const fg = spec.foreground ?? '#1a1a1a';
  const r = spec.pixelRatio ?? 1;
  const lut = colormapLut(scale.colormap);
  const kScale = (LUT_SIZE - 1) / (scale.max - scale.min || 1);
  ctx.save();
  ctx.clearRect(0, 0, layout.width, layout.height);
  ctx.fillStyle = spec.background ?? '#ffffff';
  ctx.fillRect(0, 0, layout.width, layout.height);
  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.x, plot.y, plot.width, plot.height);
  ctx.clip();
  const period = faces.period;
  for (let f = 0; f < faces.count; f++) {
    const v = Number(values[f]);
    const from = faces.offsets[f];
    const to = faces.offsets[f + 1];
    if (v !== v || mask?.[f] || to - from < 3) continue;
    const t = Math.min(LUT_SIZE - 1, Math.max(0, Math.round((v - scale.min) * kScale)));
    const colour = `rgb(${lut[t * 4]},${lut[t * 4 + 1]},${lut[t * 4 + 2]})`;
    ctx.fillStyle = colour;
    ctx.strokeStyle = colour;
    ctx.lineWidth = 0.5 * r;
    // A face over the edge of a map one turn wide shows again, a turn away, at the other edge.
    const shifts = [0];
    if (period) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = from; i < to; i++) {
        lo = Math.min(lo, faces.xs[i]);
        hi = Math.max(hi, faces.xs[i]);
      }
      if (hi > xmax) shifts.push(-period);
      if (lo < xmin) shifts.push(period);
    }
    for (const shift of shifts) {
      ctx.beginPath();
      ctx.moveTo(px(faces.xs[from] + shift), py(faces.ys[from]));
      for (let i = from + 1; i < to; i++) ctx.lineTo(px(faces.xs[i] + shift), py(faces.ys[i]));
      ctx.lineTo(px(faces.xs[from] + shift), py(faces.ys[from]));
      ctx.fill();
      // A hairline of the same colour closes the gaps antialiasing leaves between neighbouring faces.
      ctx.stroke();
    }
  }
  ctx.restore();
  if (spec.overlay) {
    const n = MESH_GEO_CELLS;
    drawOverlayLines(ctx, layout, spec.overlay, (i, j) => [plot.x + ((i + 0.5) / n) * plot.width, plot.y + plot.height - ((j + 0.5) / n) * plot.height], spec);
  }
  ctx.strokeStyle = fg;
  ctx.fillStyle = fg;
  ctx.lineWidth = Math.max(1, r);
  ctx.strokeRect(plot.x, plot.y, plot.width, plot.height);
  const family = spec.fontFamily ?? DEFAULT_FONT_FAMILY;
  ctx.font = `${fs}px ${family}`;
  const tick = fs * 0.4;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of linearTicks(xmin, xmax, Math.max(2, Math.floor(plot.width / (fs * 6))))) {
    const x = px(t.value);
    ctx.beginPath();
    ctx.moveTo(x, plot.y + plot.height);
    ctx.lineTo(x, plot.y + plot.height + tick);
    ctx.stroke();
    ctx.fillText(t.label, x, plot.y + plot.height + tick * 1.5);
  }
  if (spec.x?.label) ctx.fillText(fitText(ctx, spec.x.label, layout.width - fs), plot.x + plot.width / 2, plot.y + plot.height + fs * 2);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  let widest = 0;
  for (const t of linearTicks(ymin, ymax, Math.max(2, Math.floor(plot.height / (fs * 3))))) {
    const y = py(t.value);
    ctx.beginPath();
    ctx.moveTo(plot.x, y);
    ctx.lineTo(plot.x - tick, y);
    ctx.stroke();
    ctx.fillText(t.label, plot.x - tick * 1.5, y);
    widest = Math.max(widest, ctx.measureText(t.label).width);
  }
  if (spec.y?.label) {
    ctx.save();
    ctx.translate(Math.max(fs * 0.7, plot.x - tick * 1.5 - widest - fs * 0.8), plot.y + plot.height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText(fitText(ctx, spec.y.label, layout.height - fs), 0, 0);
    ctx.restore();
  }
  drawColourBar(ctx, scale, colourBar, { fontSize: fs, foreground: fg, units: spec.units, lineWidth: Math.max(1, r) });
  if (spec.title) {
    ctx.font = `bold ${fs * 1.15}px ${family}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(fitText(ctx, spec.title, layout.width - fs * 2), layout.width / 2, fs * 1.3);
  }
  ctx.restore();
  return layout;
}
