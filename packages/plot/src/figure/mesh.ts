import type { CubeMeta, Mesh } from '@cubemark/format';
import { linearTicks } from '../axes/ticks.js';
import { colormapLut, LUT_SIZE } from '../colour/colormaps.js';
import type { ColourScale } from '../colour/scale.js';
import { PlotError } from '../errors.js';
import type { FieldValues } from '../field.js';
import { DEFAULT_FONT_FAMILY, fitText, type Canvas2D } from './canvas.js';
import { drawAxes, type FigureFrame } from './frame.js';
import { drawColourBar, MAX_FIGURE_SIDE, type MapLayout } from './map.js';

/**
 * Maps of values on the faces of an unstructured (UGRID) mesh: each face a polygon through its nodes, filled with
 * its value's colour, on longitude/latitude axes. Values on nodes or edges are not drawn yet (`NOT_PLOTTABLE`).
 */

/** Face polygons: face `f` has vertices `offsets[f]` to `offsets[f + 1]` of `xs`/`ys` (masked slots left out). */
export interface MeshFaces {
  count: number;
  offsets: Uint32Array;
  xs: Float64Array;
  ys: Float64Array;
  /** The extent of every vertex. */
  bounds: { xmin: number; xmax: number; ymin: number; ymax: number };
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

/**
 * Face polygons from node coordinates and face-node indices. With `wrapLongitude` (x in degrees), every vertex is
 * moved by a multiple of 360 to lie within 180 of its face's first vertex, so faces across the date line stay
 * small (parts beyond the plot's edge are clipped).
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
  const xs: number[] = [];
  const ys: number[] = [];
  let xmin = Infinity;
  let xmax = -Infinity;
  let ymin = Infinity;
  let ymax = -Infinity;
  for (let f = 0; f < count; f++) {
    let first: number | undefined;
    for (let s = 0; s < slots; s++) {
      const k = transposed ? s * count + f : f * slots + s;
      if (indices.mask?.[k]) continue;
      const node = Number(indices.values[k]) - start;
      if (!Number.isInteger(node) || node < 0 || node >= nNodes) continue;
      let x = Number(nodes.x[node]);
      const y = Number(nodes.y[node]);
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      if (options.wrapLongitude) {
        if (first === undefined) first = x;
        else x -= 360 * Math.round((x - first) / 360);
      }
      xs.push(x);
      ys.push(y);
      if (x < xmin) xmin = x;
      if (x > xmax) xmax = x;
      if (y < ymin) ymin = y;
      if (y > ymax) ymax = y;
    }
    offsets[f + 1] = xs.length;
  }
  if (xs.length === 0) throw new PlotError('BAD_FIELD', 'the mesh has no face with a vertex to draw');
  return { count, offsets, xs: Float64Array.from(xs), ys: Float64Array.from(ys), bounds: { xmin, xmax, ymin, ymax } };
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

export interface MeshMapSpec extends FigureFrame {
  faces: MeshFaces;
  /** One value per face; NaN or a masked value leaves the face unfilled. */
  values: FieldValues;
  mask?: Uint8Array;
  scale: ColourScale;
  title?: string;
  units?: string;
  x?: { label: string };
  y?: { label: string };
}

/** Where everything goes: x and y at one scale (degrees for degrees), centred; throws BAD_SIZE as `mapLayout`. */
export function meshMapLayout(spec: MeshMapSpec): MapLayout {
  const { width, height } = spec;
  if (!(width <= MAX_FIGURE_SIDE && height <= MAX_FIGURE_SIDE)) {
    throw new PlotError('BAD_SIZE', `a figure side may be at most ${MAX_FIGURE_SIDE} px; got ${width} × ${height}`);
  }
  const r = spec.pixelRatio ?? 1;
  const fs = (spec.fontSize ?? 12) * r;
  const m = { left: fs * 6.2, bottom: fs * 3.6, top: spec.title ? fs * 2.6 : fs, right: fs * 9.8, gap: fs, bar: fs * 1.3 };
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

/** Draw the faces, filled by value, with axes in the coordinates' units, a colour bar and the title. */
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
    ctx.beginPath();
    ctx.moveTo(px(faces.xs[from]), py(faces.ys[from]));
    for (let i = from + 1; i < to; i++) ctx.lineTo(px(faces.xs[i]), py(faces.ys[i]));
    ctx.lineTo(px(faces.xs[from]), py(faces.ys[from]));
    ctx.fill();
    // A hairline of the same colour closes the gaps antialiasing leaves between neighbouring faces.
    ctx.stroke();
  }
  const family = spec.fontFamily ?? DEFAULT_FONT_FAMILY;
  const x = linearTicks(xmin, xmax, Math.max(2, Math.floor(plot.width / (fs * 6)))).map((t) => ({ at: px(t.value), label: t.label }));
  const y = linearTicks(ymin, ymax, Math.max(2, Math.floor(plot.height / (fs * 3)))).map((t) => ({ at: py(t.value), label: t.label }));
  drawAxes(ctx, layout, { foreground: fg, family, lineWidth: Math.max(1, r) }, { x, y, xLabel: spec.x?.label, yLabel: spec.y?.label });
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
