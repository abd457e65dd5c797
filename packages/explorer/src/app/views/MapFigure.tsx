import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  colourScale,
  describeField,
  drawMap,
  fieldStats,
  formatValue,
  mapCellAt,
  mapCellCentre,
  mapOverlay,
  mapSizeForWidth,
  renderRgba,
  unitsText,
  valueAt,
  type ColormapName,
  type ColourScale,
  type Field2D,
  type MapLayout,
  type MapSpec,
} from '@cubemark/plot';
import { downloadPng, fileName, imageCanvas, pixelRatio, sizeCanvas } from '../canvas.js';
import { mapNorthUp, mapSel, sliceToField, type Cell, type CubeModel, type Selection } from '../cube-model.js';
import { formatBytes } from '../format.js';
import { lonLatText, regionText, useGeography } from '../geography.js';
import { useLayoutWidth } from '../hooks.js';
import { loadSlice } from '../slices.js';
import { ErrorBox } from './status.js';

export type { Cell } from '../cube-model.js';

/** A field ready to draw, and where it came from. */
export interface LoadedField {
  field: Field2D;
  sel: string;
  bytes: number;
  fetchMs: number;
  /** When the request started, to measure widget-to-pixels latency. */
  started: number;
  /** When its bytes had arrived, to measure what drawing costs after them. */
  arrived: number;
}

/** What every map figure (of a grid or of a mesh) is given. */
export interface FigureProps {
  model: CubeModel;
  /** API path of the cube (or merged cube) whose data to read. */
  base: string;
  selection: Selection;
  title: string;
  colormap: ColormapName | 'auto';
  /** Keep the colour range of the first field drawn, so steps compare (off: each field gets its own range). */
  lockRange: boolean;
  downloadName: string;
  /** Draw coastlines / a graticule over the map (when the place on the Earth is known). */
  coastlines: boolean;
  graticule: boolean;
}

export interface MapFigureProps extends FigureProps {
  onPick(cell: Cell): void;
  picked?: Cell;
  /** A colour scale to use instead of the field's own (side-by-side maps share one). */
  scale?: ColourScale;
  /** A field computed by the caller (a difference) instead of one fetched from `base`. */
  field?: LoadedField;
  /** Told about each field drawn (or undefined while loading), for callers that combine maps. */
  onField?(field: LoadedField | undefined): void;
  /** Ids on the page must be unique: a prefix per map when there are several. */
  idPrefix?: string;
  /** Cells to mark (the ends of a section line), joined by a line when there are two. */
  marks?: Cell[];
  /** What a click does, for the hint under the map (default: plots the time series); `false`: clicks do nothing. */
  clickHint?: string | false;
}

function cellText(model: CubeModel, cell: Cell): string {
  const x = model.x!;
  const y = model.y!;
  const xv = x.spec.points?.[cell.i];
  const yv = y.spec.points?.[cell.j];
  const coord = (dim: string, v: number | undefined, k: number) => (v === undefined ? `${dim} index ${k}` : `${dim} ${Number(v.toPrecision(6))}`);
  return `${coord(y.dim, yv, cell.j)}, ${coord(x.dim, xv, cell.i)}`;
}

/**
 * The map of the selected 2-D field. Fetches the slice as binary whenever the selection changes (the previous
 * request is let go, and cancelled unless the animation's read-ahead still wants it), colours it with
 * @cubemark/plot, and draws it with the same `drawMap` the server's PNG route uses, coastlines and graticule in the
 * grid's own coordinate system. Hover or arrow keys read the value (and latitude/longitude) under the cursor.
 */
export function MapFigure(props: MapFigureProps) {
  const { model, base, selection } = props;
  const sel = props.field?.sel ?? mapSel(model, selection);
  const [fetched, setFetched] = useState<LoadedField | undefined>();
  const loaded = props.field ?? fetched;
  const [error, setError] = useState<Error | undefined>();
  const [loading, setLoading] = useState(false);
  const [cursor, setCursor] = useState<Cell | undefined>();
  const [timing, setTiming] = useState('');
  const [, redrawn] = useState(0);
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const cellsRef = useRef<HTMLCanvasElement | undefined>(undefined);
  const rgbaRef = useRef<Uint8ClampedArray | undefined>(undefined);
  const layoutRef = useRef<{ layout: MapLayout; spec: MapSpec; ratio: number } | undefined>(undefined);
  const lockedRef = useRef<ColourScale | undefined>(undefined);
  const firstDrawn = useRef<LoadedField | undefined>(undefined);
  const prefix = props.idPrefix ?? '';
  const describedBy = `${prefix}map-desc-${model.cube.index}`;
  const { locator, geography } = useGeography(model);
  const width = useLayoutWidth(wrapRef);

  // Fetch the slice (unless the caller gives the field); a newer selection lets go of the older request.
  useEffect(() => {
    if (props.field) return;
    const controller = new AbortController();
    const started = performance.now();
    setLoading(true);
    loadSlice(base, sel, controller.signal).then(
      (slice) => {
        if (controller.signal.aborted) return;
        const arrived = performance.now();
        setError(undefined);
        setLoading(false);
        setFetched({ field: sliceToField(model, slice.values, slice.mask), sel, bytes: slice.bytes, fetchMs: arrived - started, started, arrived });
      },
      (e: unknown) => {
        if (controller.signal.aborted) return;
        setLoading(false);
        setError(e instanceof Error ? e : new Error(String(e)));
      },
    );
    return () => controller.abort();
  }, [base, sel, model, !!props.field]);

  useEffect(() => props.onField?.(loaded), [loaded]);

  // A kept range belongs to one colour map: choosing another map (or unticking the box) starts afresh.
  useEffect(() => {
    lockedRef.current = undefined;
  }, [props.colormap]);
  useEffect(() => {
    if (!props.lockRange) lockedRef.current = undefined;
  }, [props.lockRange]);

  // Draw whenever the field, the size, the colour options or the overlays change: in a layout effect, so the
  // pixels follow the render at once instead of after the next frame.
  const stats = useMemo(() => (loaded ? fieldStats(loaded.field) : undefined), [loaded]);
  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!loaded || !canvas || width < 50) return;
    const t0 = performance.now();
    const { field } = loaded;
    const colormap = props.colormap === 'auto' ? undefined : props.colormap;
    const scale = props.scale ?? ((props.lockRange && lockedRef.current) || colourScale(field, { colormap }));
    if (props.lockRange && !props.scale) lockedRef.current = scale;
    const flipY = mapNorthUp(model);
    const n = field.nx * field.ny * 4;
    if (rgbaRef.current?.length !== n) rgbaRef.current = new Uint8ClampedArray(n);
    const rgba = renderRgba(field, scale, { flipY, out: rgbaRef.current });
    cellsRef.current = imageCanvas(cellsRef.current, rgba.data, rgba.width, rgba.height);
    const ratio = pixelRatio();
    const size = mapSizeForWidth(field, width * ratio, { pixelRatio: ratio, title: props.title });
    const maxHeight = Math.max(320, (innerHeight - 40) * ratio);
    const overlay = mapOverlay(geography, props);
    const spec: MapSpec = {
      field,
      scale,
      flipY,
      title: props.title,
      units: unitsText(model.cube.units),
      x: model.x!.spec,
      y: model.y!.spec,
      width: size.width,
      height: Math.min(size.height, maxHeight),
      pixelRatio: ratio,
      overlay,
    };
    sizeCanvas(canvas, spec.width, spec.height, ratio);
    const layout = drawMap(canvas.getContext('2d')!, spec, cellsRef.current);
    layoutRef.current = { layout, spec, ratio };
    const now = performance.now();
    const drawMs = now - t0;
    // Exposed for the end-to-end tests and for anyone measuring: what the last redraw cost.
    canvas.dataset.sel = loaded.sel;
    canvas.dataset.fetchMs = loaded.fetchMs.toFixed(1);
    canvas.dataset.drawMs = drawMs.toFixed(1);
    canvas.dataset.afterBytesMs = (now - loaded.arrived).toFixed(1);
    // The field's first pixels (later redraws of it add the coastlines once they are in, or follow the options).
    if (firstDrawn.current !== loaded) {
      firstDrawn.current = loaded;
      canvas.dataset.firstAfterBytesMs = canvas.dataset.afterBytesMs;
    }
    canvas.dataset.latencyMs = (now - loaded.started).toFixed(1);
    canvas.dataset.bytes = String(loaded.bytes);
    canvas.dataset.scale = JSON.stringify(scale);
    canvas.dataset.coastlines = String(overlay?.coastlines?.length ?? 0);
    canvas.dataset.graticule = String(overlay?.graticule?.length ?? 0);
    if (geography) canvas.dataset.geo = JSON.stringify({ resolution: geography.resolution, region: geography.region, step: geography.graticuleStep });
    canvas.dataset.plot = JSON.stringify({ x: layout.plot.x / ratio, y: layout.plot.y / ratio, width: layout.plot.width / ratio, height: layout.plot.height / ratio, nx: field.nx, ny: field.ny, flipY });
    setTiming(loaded.bytes ? `${formatBytes(loaded.bytes)} fetched in ${loaded.fetchMs.toFixed(0)} ms, drawn in ${drawMs.toFixed(0)} ms` : `drawn in ${drawMs.toFixed(0)} ms`);
    redrawn((k) => k + 1);
  }, [loaded, width, props.colormap, props.lockRange, props.title, model, props.scale, geography, props.coastlines, props.graticule]);

  const cellFromEvent = (e: MouseEvent): Cell | undefined => {
    const current = layoutRef.current;
    const canvas = canvasRef.current;
    if (!current || !canvas) return undefined;
    const rect = canvas.getBoundingClientRect();
    return mapCellAt(current.layout, current.spec, (e.clientX - rect.left) * current.ratio, (e.clientY - rect.top) * current.ratio);
  };

  const onKey = (e: KeyboardEvent) => {
    if (!loaded) return;
    const { nx, ny } = loaded.field;
    const start = cursor ?? { i: Math.floor(nx / 2), j: Math.floor(ny / 2) };
    const step = e.shiftKey ? 10 : 1;
    const north = mapNorthUp(model) ? 1 : -1;
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, north * step], ArrowDown: [0, -north * step] };
    if (moves[e.key]) {
      e.preventDefault();
      const [di, dj] = moves[e.key];
      setCursor({ i: Math.min(nx - 1, Math.max(0, start.i + di)), j: Math.min(ny - 1, Math.max(0, start.j + dj)) });
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      setCursor(start);
      props.onPick(start);
    }
  };

  const where = (cell: Cell) => {
    const ll = locator?.toLonLat(cell.i, cell.j);
    return `${cellText(model, cell)}${ll ? ` (${lonLatText(ll[0], ll[1])})` : ''}`;
  };
  const readout = cursor && loaded ? `${where(cursor)}: ${formatValue(valueAt(loaded.field, cursor.i, cursor.j), unitsText(model.cube.units))}` : '';
  const position = (cell: Cell | undefined) => {
    const current = layoutRef.current;
    if (!cell || !current) return undefined;
    const c = mapCellCentre(current.layout, current.spec, cell.i, cell.j);
    return { x: c.x / current.ratio, y: c.y / current.ratio };
  };
  const marker = (cell: Cell | undefined) => {
    const p = position(cell);
    return p && { left: `${p.x}px`, top: `${p.y}px` };
  };
  const region = regionText(geography, props);
  const description = stats && loaded ? `${describeField(model.cube.name, unitsText(model.cube.units), loaded.field, stats)}${region}` : 'No field drawn yet.';
  const [m0, m1] = (props.marks ?? []).map(position);

  return (
    <figure class="map-figure" aria-busy={loading}>
      <div class="map-toolbar">
        <span class="status" role="status" aria-live="polite">
          {loading ? (
            <>
              <span class="spinner" aria-hidden="true" /> Loading slice {sel}…
            </>
          ) : (
            <span class="muted timing">{timing}</span>
          )}
        </span>
        <button type="button" disabled={!loaded} onClick={() => canvasRef.current && downloadPng(canvasRef.current, `${fileName(props.downloadName, sel)}.png`)}>
          Download PNG
        </button>
      </div>
      {error && <ErrorBox error={error} what={`slice ${sel}`} />}
      <div class="map-wrap" ref={wrapRef}>
        <canvas
          ref={canvasRef}
          class="map"
          tabIndex={0}
          role="img"
          aria-label={`Map of ${props.title}`}
          aria-describedby={describedBy}
          onMouseMove={(e) => setCursor(cellFromEvent(e))}
          onMouseLeave={() => setCursor(undefined)}
          onClick={(e) => {
            const cell = cellFromEvent(e);
            if (cell) props.onPick(cell);
          }}
          onKeyDown={onKey}
        />
        {m0 && m1 && (
          <svg class="section-line" aria-hidden="true">
            <line x1={m0.x} y1={m0.y} x2={m1.x} y2={m1.y} />
          </svg>
        )}
        {(props.marks ?? []).map((m, k) => (
          <span key={k} class="mark" style={marker(m)} aria-hidden="true" />
        ))}
        {cursor && <span class="cursor" style={marker(cursor)} aria-hidden="true" />}
        {props.picked && <span class="picked" style={marker(props.picked)} aria-hidden="true" />}
      </div>
      <figcaption>
        <p id={describedBy} class="description">
          {description}
        </p>
        <p class="readout" aria-live="polite" data-testid={`${prefix}readout`} data-cell={cursor ? `${cursor.i},${cursor.j}` : undefined}>
          {readout ? (
            <>Under the cursor: {readout}</>
          ) : (
            <span class="muted">
              Point at the map (or focus it and use the arrow keys) to read a value{props.clickHint === false ? '' : `; click or press Enter ${props.clickHint ?? 'for its time series'}`}.
            </span>
          )}
        </p>
      </figcaption>
    </figure>
  );
}
