/**
 * PNG figures on the server (Node only): the same `drawMap`/`drawSeries` the page uses, on @napi-rs/canvas
 * (Skia), whose text uses the system's fonts (DejaVu Sans on Debian: fonts-dejavu-core). The native module is
 * imported on first use, so importing this module costs nothing until a PNG is asked for.
 */
import { colourScale, type ColourScale, type ColourScaleOptions } from '../colour/scale.js';
import { PlotError } from '../errors.js';
import { checkField, type Field2D, type FieldValues } from '../field.js';
import { drawMap, mapOverlay, mapSizeForWidth, MAX_FIGURE_SIDE, northUp, type AxisSpec } from '../figure/map.js';
import { drawMeshMap, meshGeoSpec, meshMapSizeForWidth, type MeshFaces } from '../figure/mesh.js';
import { drawSeries, type SeriesSpec } from '../figure/series.js';
import { renderRgba } from '../render/rgba.js';
import { mapGeography } from '../geo/geography.js';
import { geoNorthUp, type GridGeoSpec } from '../geo/grid.js';

export interface RenderPngOptions extends ColourScaleOptions {
  title?: string;
  /** Units of the values, on the colour bar. */
  units?: string;
  axes?: { x?: AxisSpec; y?: AxisSpec };
  /** A scale computed already (e.g. one fixed across time steps); overrides `range`, `kind`, `colormap`. */
  scale?: ColourScale;
  /** Row 0 at the bottom (default: when the y axis points increase, or a curvilinear grid's latitudes, so north is up). */
  flipY?: boolean;
  /** Figure width in pixels (default: 800). */
  width?: number;
  /** Figure height in pixels (default: what makes cells square at `width`). */
  height?: number;
  /** Base font size in pixels (default: 12). */
  fontSize?: number;
  /** Background, shown through missing cells (default: white). */
  background?: string;
  /** Where the grid lies on the Earth (see `pickGeoCoords`, `gridGeoSpec`); absent: no coastlines or graticule. */
  geo?: GridGeoSpec;
  /** Draw coastlines when `geo` is given (default: true). */
  coastlines?: boolean;
  /** Draw a graticule when `geo` is given (default: true). */
  graticule?: boolean;
}

type CanvasModule = typeof import('@napi-rs/canvas');
let canvasModule: Promise<CanvasModule> | undefined;

function loadCanvas(): Promise<CanvasModule> {
  return (canvasModule ??= import('@napi-rs/canvas'));
}

function checkSide(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > MAX_FIGURE_SIDE) {
    throw new PlotError('BAD_SIZE', `${name} must be an integer from 1 to ${MAX_FIGURE_SIDE} px; got ${value}`);
  }
}

/** What a map's frame shows around its cells or faces, from the options of either kind of map. */
function frameOf(options: Pick<RenderPngOptions, 'title' | 'units' | 'axes' | 'fontSize' | 'background'>, width: number, height: number) {
  return { title: options.title, units: options.units, x: options.axes?.x, y: options.axes?.y, width, height, fontSize: options.fontSize, background: options.background };
}

/**
 * A map of a 2-D field as PNG bytes: colour-mapped cells (missing ones show the background), axes, a colour bar
 * with units, and the title. Throws BAD_FIELD, BAD_RANGE, BAD_SIZE or UNKNOWN_COLORMAP (a PlotError) for bad input.
 */
export async function renderPng(field: Field2D, options: RenderPngOptions = {}): Promise<Uint8Array> {
  checkField(field);
  const width = options.width ?? 800;
  checkSide('width', width);
  const height = options.height ?? Math.min(MAX_FIGURE_SIDE, mapSizeForWidth(field, width, { title: options.title, fontSize: options.fontSize }).height);
  checkSide('height', height);
  const scale = options.scale ?? colourScale(field, options);
  const flipY = options.flipY ?? (options.axes?.y?.points ? northUp(options.axes.y.points) : (geoNorthUp(options.geo) ?? false));
  const coast = options.coastlines ?? true;
  const grat = options.graticule ?? true;
  const geography = options.geo && (coast || grat) ? await mapGeography(options.geo) : undefined;
  const { createCanvas, ImageData } = await loadCanvas();
  const cells = createCanvas(field.nx, field.ny);
  const rgba = renderRgba(field, scale, { flipY });
  cells.getContext('2d').putImageData(new ImageData(rgba.data, rgba.width, rgba.height), 0, 0);
  const canvas = createCanvas(width, height);
  drawMap(canvas.getContext('2d'), { ...frameOf(options, width, height), field, scale, flipY, overlay: mapOverlay(geography, { coastlines: coast, graticule: grat }) }, cells);
  return canvas.encode('png');
}

/** A line chart (a time series at a point) as PNG bytes. */
export async function renderSeriesPng(spec: SeriesSpec): Promise<Uint8Array> {
  checkSide('width', spec.width);
  checkSide('height', spec.height);
  const { createCanvas } = await loadCanvas();
  const canvas = createCanvas(spec.width, spec.height);
  drawSeries(canvas.getContext('2d'), spec);
  return canvas.encode('png');
}

export interface RenderMeshPngOptions extends Omit<RenderPngOptions, 'flipY' | 'geo'> {
  /** Missing values (non-zero: the face is not filled). */
  mask?: Uint8Array;
  /** The faces' x and y are longitude and latitude in degrees: coastlines and graticule are drawn (default: false). */
  geographic?: boolean;
}

/**
 * A map of values on the faces of an unstructured mesh (`meshFaces`) as PNG bytes: one filled polygon per face,
 * longitude/latitude axes, coastlines and a graticule when `geographic`, a colour bar and the title. Throws
 * BAD_FIELD, BAD_SIZE or UNKNOWN_COLORMAP.
 */
export async function renderMeshPng(faces: MeshFaces, values: FieldValues, options: RenderMeshPngOptions = {}): Promise<Uint8Array> {
  const width = options.width ?? 800;
  checkSide('width', width);
  const height = options.height ?? Math.min(MAX_FIGURE_SIDE, Math.max(100, meshMapSizeForWidth(faces, width, { title: options.title, fontSize: options.fontSize }).height));
  checkSide('height', height);
  const scale = options.scale ?? colourScale({ values, nx: values.length, ny: 1, mask: options.mask }, options);
  const coast = options.coastlines ?? true;
  const grat = options.graticule ?? true;
  const geography = options.geographic && (coast || grat) ? await mapGeography(meshGeoSpec(faces)) : undefined;
  const { createCanvas } = await loadCanvas();
  const canvas = createCanvas(width, height);
  drawMeshMap(canvas.getContext('2d'), { ...frameOf(options, width, height), faces, values, mask: options.mask, scale, overlay: mapOverlay(geography, { coastlines: coast, graticule: grat }) });
  return canvas.encode('png');
}
