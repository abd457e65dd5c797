import { linearTicks, coordTicks, type IndexTick } from '../axes/ticks.js';
import { colormapLut, LUT_SIZE } from '../colour/colormaps.js';
import type { ColourScale } from '../colour/scale.js';
import { PlotError } from '../errors.js';
import type { Field2D } from '../field.js';
import type { IndexLine } from '../geo/clip.js';
import type { MapGeography } from '../geo/geography.js';
import type { GraticuleLabel } from '../geo/graticule.js';
import { DEFAULT_FONT_FAMILY, fitText, type Canvas2D, type Rect } from './canvas.js';
import { drawAxes, type FigureFrame } from './frame.js';

/** One axis of a map: its label and, when known, the coordinate points along it (for ticks in its units). */
export interface AxisSpec {
  /** E.g. `grid_longitude (rotated pole) / degrees` (see `axisLabel`). */
  label: string;
  /** Coordinate value of each cell along the axis; absent: ticks show indices. */
  points?: ArrayLike<number>;
}

/** Everything a map figure shows. */
export interface MapSpec extends FigureFrame {
  field: Field2D;
  scale: ColourScale;
  title?: string;
  /** Units of the values, written along the colour bar. */
  units?: string;
  x?: AxisSpec;
  y?: AxisSpec;
  /** Row 0 of the field at the bottom (see `northUp`); default false. */
  flipY?: boolean;
  /** Cells fill the plot area (a vertical section), instead of staying square (a map; default). */
  fill?: boolean;
  /** Geography drawn over the field, in fractional cell indices (see `mapGeography`); absent parts are not drawn. */
  overlay?: MapOverlay;
}

/** Lines drawn over a map: coastlines, and a graticule with its labels. */
export interface MapOverlay {
  coastlines?: readonly IndexLine[];
  graticule?: readonly IndexLine[];
  labels?: readonly GraticuleLabel[];
}

/** The overlay of a map's geography: its coastlines and graticule as chosen, the graticule's labels always (none without a geography). */
export function mapOverlay(geography: MapGeography | undefined, choice: { coastlines: boolean; graticule: boolean }): MapOverlay | undefined {
  return geography && { coastlines: choice.coastlines ? geography.coastlines : undefined, graticule: choice.graticule ? geography.graticule : undefined, labels: geography.labels };
}

export interface MapLayout {
  width: number;
  height: number;
  /** Where the field is drawn: cells are square, the rectangle centred in the space left by the decorations. */
  plot: Rect;
  colourBar: Rect;
  fontSize: number;
}

/** Largest figure side accepted, so a bad query string cannot make the server allocate gigabytes. */
export const MAX_FIGURE_SIDE = 8192;

function margins(spec: Pick<MapSpec, 'fontSize' | 'pixelRatio' | 'title'>) {
  const r = spec.pixelRatio ?? 1;
  const fs = (spec.fontSize ?? 12) * r;
  return {
    fs,
    left: fs * 6.2,
    bottom: fs * 3.6,
    top: spec.title ? fs * 2.6 : fs * 1,
    // Colour bar: gap, bar, tick labels, units label.
    right: fs * (1 + 1.3 + 5.5 + 2),
    gap: fs,
    bar: fs * 1.3,
  };
}

/** Where everything goes; throws BAD_SIZE when the figure is too small to hold a plot, or too large. */
export function mapLayout(spec: MapSpec): MapLayout {
  const { width, height, field } = spec;
  if (!(width <= MAX_FIGURE_SIDE && height <= MAX_FIGURE_SIDE)) {
    throw new PlotError('BAD_SIZE', `a figure side may be at most ${MAX_FIGURE_SIDE} px; got ${width} × ${height}`);
  }
  const m = margins(spec);
  const availW = width - m.left - m.right;
  const availH = height - m.top - m.bottom;
  if (!(availW >= 8 && availH >= 8)) {
    throw new PlotError('BAD_SIZE', `a ${width} × ${height} px figure leaves no room for the plot; make it larger`);
  }
  const cell = Math.min(availW / field.nx, availH / field.ny);
  const pw = spec.fill ? availW : cell * field.nx;
  const ph = spec.fill ? availH : cell * field.ny;
  const plot = { x: m.left + (availW - pw) / 2, y: m.top + (availH - ph) / 2, width: pw, height: ph };
  const colourBar = { x: plot.x + pw + m.gap, y: plot.y, width: m.bar, height: ph };
  return { width, height, plot, colourBar, fontSize: m.fs };
}

/**
 * A good figure size for a field at a given width: the height that makes cells square once the decorations
 * are placed (so no space is wasted above and below a tall grid like the UKV's).
 */
export function mapSizeForWidth(field: Pick<Field2D, 'nx' | 'ny'>, width: number, options: Pick<MapSpec, 'fontSize' | 'pixelRatio' | 'title'> = {}): { width: number; height: number } {
  const m = margins(options);
  const pw = Math.max(8, width - m.left - m.right);
  return { width: Math.round(width), height: Math.round(m.top + m.bottom + (pw * field.ny) / field.nx) };
}

/**
 * Whether row 0 of a field belongs at the bottom: true when the y coordinate increases with the index (latitudes
 * stored south to north, as UKV and most model grids are), so that north is drawn up. Pass it as `flipY`.
 */
export function northUp(yPoints: ArrayLike<number> | undefined): boolean {
  return !!yPoints && yPoints.length > 1 && yPoints[yPoints.length - 1] > yPoints[0];
}

/** The cell under a point of the figure (in the figure's pixels), or undefined outside the field. */
export function mapCellAt(layout: MapLayout, spec: Pick<MapSpec, 'field' | 'flipY'>, x: number, y: number): { i: number; j: number } | undefined {
  const { plot } = layout;
  const { nx, ny } = spec.field;
  const i = Math.floor(((x - plot.x) / plot.width) * nx);
  const row = Math.floor(((y - plot.y) / plot.height) * ny);
  if (i < 0 || i >= nx || row < 0 || row >= ny) return undefined;
  return { i, j: spec.flipY ? ny - 1 - row : row };
}

/** The figure pixel at the centre of cell (i, j). */
export function mapCellCentre(layout: MapLayout, spec: Pick<MapSpec, 'field' | 'flipY'>, i: number, j: number): { x: number; y: number } {
  const { plot } = layout;
  const { nx, ny } = spec.field;
  const row = spec.flipY ? ny - 1 - j : j;
  return { x: plot.x + ((i + 0.5) / nx) * plot.width, y: plot.y + ((row + 0.5) / ny) * plot.height };
}

function axisTicks(axis: AxisSpec | undefined, n: number, count: number): IndexTick[] {
  if (axis?.points && axis.points.length === n) return coordTicks(axis.points, count);
  return linearTicks(0, n - 1, count)
    .filter((t) => Number.isInteger(t.value))
    .map((t) => ({ ...t, index: t.value }));
}

/**
 * Draw a map: the field's pixels (`image`, from `renderRgba` put on a canvas), axes with ticks in coordinate
 * units, a colour bar with the units, and the title. Nearest-neighbour scaling: a cell stays a flat square, as
 * the data are.
 */
export function drawMap<I>(ctx: Canvas2D<I>, spec: MapSpec, image: I, layout: MapLayout = mapLayout(spec)): MapLayout {
  const { plot, colourBar, fontSize: fs } = layout;
  const family = spec.fontFamily ?? DEFAULT_FONT_FAMILY;
  const fg = spec.foreground ?? '#1a1a1a';
  const r = spec.pixelRatio ?? 1;
  const { nx, ny } = spec.field;
  ctx.save();
  ctx.clearRect(0, 0, layout.width, layout.height);
  ctx.fillStyle = spec.background ?? '#ffffff';
  ctx.fillRect(0, 0, layout.width, layout.height);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(image, plot.x, plot.y, plot.width, plot.height);
  if (spec.overlay) drawOverlay(ctx, spec, layout, spec.overlay);

  // Ticks at cell centres, those within the plot: x below it, y left of it.
  const xCount = Math.max(2, Math.floor(plot.width / (fs * 6)));
  const x = axisTicks(spec.x, nx, xCount)
    .map((t) => ({ at: plot.x + ((t.index + 0.5) / nx) * plot.width, label: t.label }))
    .filter((t) => !(t.at < plot.x - 0.5 || t.at > plot.x + plot.width + 0.5));
  const yCount = Math.max(2, Math.floor(plot.height / (fs * 3)));
  const y = axisTicks(spec.y, ny, yCount)
    .map((t) => ({ at: plot.y + (((spec.flipY ? ny - 1 - t.index : t.index) + 0.5) / ny) * plot.height, label: t.label }))
    .filter((t) => !(t.at < plot.y - 0.5 || t.at > plot.y + plot.height + 0.5));
  drawAxes(ctx, layout, { foreground: fg, family, lineWidth: Math.max(1, r) }, { x, y, xLabel: spec.x?.label, yLabel: spec.y?.label });

  drawColourBar(ctx, spec.scale, colourBar, { fontSize: fs, foreground: fg, units: spec.units, lineWidth: Math.max(1, r) });

  if (spec.title) {
    ctx.font = `bold ${fs * 1.15}px ${family}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = fg;
    ctx.fillText(fitText(ctx, spec.title, layout.width - fs * 2), layout.width / 2, fs * 1.3);
  }
  ctx.restore();
  return layout;
}

/** Figure pixel of a fractional cell index (0 is the centre of the first cell). */
function indexToPixel(layout: MapLayout, spec: Pick<MapSpec, 'field' | 'flipY'>, i: number, j: number): [number, number] {
  const { plot } = layout;
  const { nx, ny } = spec.field;
  const row = spec.flipY ? ny - 1 - j : j;
  return [plot.x + ((i + 0.5) / nx) * plot.width, plot.y + ((row + 0.5) / ny) * plot.height];
}

function strokeLines<I>(ctx: Canvas2D<I>, toPixel: (i: number, j: number) => [number, number], lines: readonly IndexLine[]): void {
  ctx.beginPath();
  for (const line of lines) {
    for (let k = 0; k + 1 < line.length; k += 2) {
      const [x, y] = toPixel(line[k], line[k + 1]);
      if (k === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
  }
  ctx.stroke();
}

function drawOverlay<I>(ctx: Canvas2D<I>, spec: MapSpec, layout: MapLayout, overlay: MapOverlay): void {
  drawOverlayLines(ctx, layout, overlay, (i, j) => indexToPixel(layout, spec, i, j), spec);
}

/**
 * Graticule, then coastlines, clipped to the plot; graticule labels just inside its edges. `toPixel` places the
 * overlay's fractional cell indices on the figure (a gridded map's cells, or a mesh map's `meshGeoSpec` grid).
 */
export function drawOverlayLines<I>(
  ctx: Canvas2D<I>,
  layout: MapLayout,
  overlay: MapOverlay,
  toPixel: (i: number, j: number) => [number, number],
  style: { pixelRatio?: number; fontFamily?: string } = {},
): void {
  const r = style.pixelRatio ?? 1;
  const { plot } = layout;
  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.x, plot.y, plot.width, plot.height);
  ctx.clip();
  // Round joins: a sharp estuary would otherwise grow a long mitre spike of halo.
  ctx.lineJoin = 'round';
  if (overlay.graticule?.length) {
    ctx.strokeStyle = 'rgba(40, 40, 40, 0.45)';
    ctx.lineWidth = 0.75 * r;
    strokeLines(ctx, toPixel, overlay.graticule);
  }
  if (overlay.coastlines?.length) {
    // A light halo under a dark line: visible over dark and light colours alike.
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.7)';
    ctx.lineWidth = 2.6 * r;
    strokeLines(ctx, toPixel, overlay.coastlines);
    ctx.strokeStyle = '#111111';
    ctx.lineWidth = 1.1 * r;
    strokeLines(ctx, toPixel, overlay.coastlines);
  }
  if (overlay.graticule?.length && overlay.labels?.length) {
    const fs = layout.fontSize * 0.78;
    ctx.font = `${fs}px ${style.fontFamily ?? DEFAULT_FONT_FAMILY}`;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'left';
    const placed: Rect[] = [];
    const pad = 2 * r;
    for (const label of overlay.labels) {
      const [x, y] = toPixel(label.i, label.j);
      const bottom = Math.abs(y - (plot.y + plot.height)) < 1;
      const top = Math.abs(y - plot.y) < 1;
      const left = Math.abs(x - plot.x) < 1;
      const right = Math.abs(x - (plot.x + plot.width)) < 1;
      // Longitudes along the top and bottom, latitudes along the sides.
      if (label.kind === 'lon' ? !(top || bottom) : !(left || right)) continue;
      const w = ctx.measureText(label.text).width + pad * 2;
      const h = fs + pad;
      const bx = label.kind === 'lon' ? Math.min(plot.x + plot.width - w, Math.max(plot.x, x - w / 2)) : left ? plot.x : plot.x + plot.width - w;
      const by = label.kind === 'lat' ? Math.min(plot.y + plot.height - h, Math.max(plot.y, y - h / 2)) : bottom ? plot.y + plot.height - h : plot.y;
      const box = { x: bx, y: by, width: w, height: h };
      if (placed.some((p) => p.x < box.x + box.width && box.x < p.x + p.width && p.y < box.y + box.height && box.y < p.y + p.height)) continue;
      placed.push(box);
      ctx.fillStyle = 'rgba(255, 255, 255, 0.75)';
      ctx.fillRect(box.x, box.y, box.width, box.height);
      ctx.fillStyle = '#222222';
      ctx.fillText(label.text, box.x + pad, box.y + h / 2);
    }
  }
  ctx.restore();
}

/** A vertical colour bar in `rect`, low values at the bottom, with ticks and the units along its right side. */
export function drawColourBar<I>(
  ctx: Canvas2D<I>,
  scale: ColourScale,
  rect: Rect,
  options: { fontSize: number; foreground: string; units?: string; lineWidth?: number },
): void {
  const lut = colormapLut(scale.colormap);
  const step = rect.height / LUT_SIZE;
  for (let k = 0; k < LUT_SIZE; k++) {
    ctx.fillStyle = `rgb(${lut[k * 4]},${lut[k * 4 + 1]},${lut[k * 4 + 2]})`;
    // Overlap by one pixel so no hairline gaps appear between steps when scaled.
    ctx.fillRect(rect.x, rect.y + rect.height - (k + 1) * step, rect.width, step + 1);
  }
  const fs = options.fontSize;
  ctx.strokeStyle = options.foreground;
  ctx.fillStyle = options.foreground;
  ctx.lineWidth = options.lineWidth ?? 1;
  ctx.strokeRect(rect.x, rect.y, rect.width, rect.height);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  let widest = 0;
  const count = Math.max(2, Math.floor(rect.height / (fs * 3)));
  for (const t of linearTicks(scale.min, scale.max, count)) {
    const y = rect.y + rect.height - ((t.value - scale.min) / (scale.max - scale.min)) * rect.height;
    ctx.beginPath();
    ctx.moveTo(rect.x + rect.width, y);
    ctx.lineTo(rect.x + rect.width + fs * 0.4, y);
    ctx.stroke();
    ctx.fillText(t.label, rect.x + rect.width + fs * 0.6, y);
    widest = Math.max(widest, ctx.measureText(t.label).width);
  }
  if (options.units) {
    ctx.save();
    ctx.translate(rect.x + rect.width + fs * 1.2 + widest, rect.y + rect.height / 2);
    ctx.rotate(Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText(fitText(ctx, options.units, rect.height), 0, 0);
    ctx.restore();
  }
}
