import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  colourScale,
  drawMeshMap,
  facesFromBounds,
  fieldStats,
  formatValue,
  mapGeography,
  meshGeoSpec,
  mapOverlay,
  meshMapLayout,
  meshMapSizeForWidth,
  unitsText,
  type ColourScale,
  type MapGeography,
  type MapLayout,
  type MeshFaces,
  type MeshMapSpec,
} from '@cubemark/plot';
import { getCoordValues, type Slice } from '../api.js';
import { downloadPng, fileName, pixelRatio, sizeCanvas } from '../canvas.js';
import { mapSel } from '../cube-model.js';
import { formatBytes } from '../format.js';
import { lonLatText, regionText } from '../geography.js';
import { useLayoutWidth } from '../hooks.js';
import { loadSlice } from '../slices.js';
import type { Field2D } from '@cubemark/plot';
import { meshField } from '../compare.js';
import type { FigureProps } from './MapFigure.js';
import { ErrorBox } from './status.js';

/**
 * The faces of a cube's mesh, from the bounds of its mesh coordinates (the coordinates of each face's nodes, from
 * the coordinate-values route): fetched once per cube, whatever the other dimensions' choice.
 */
async function loadFaces(base: string, geographic: boolean, signal: AbortSignal): Promise<MeshFaces> {
  const [x, y] = await Promise.all([getCoordValues(base, 'mesh:x', 'bounds', signal), getCoordValues(base, 'mesh:y', 'bounds', signal)]);
  return facesFromBounds(x.values, y.values, [x.shape[0], x.shape[1]], { wrapLongitude: geographic });
}

/** Whether (x, y) lies inside face `f` (even-odd rule), or inside it a turn away on a global mesh. */
function inFace(faces: MeshFaces, f: number, x: number, y: number): boolean {
  const from = faces.offsets[f];
  const to = faces.offsets[f + 1];
  for (const shift of faces.period ? [0, -faces.period, faces.period] : [0]) {
    let inside = false;
    for (let i = from, j = to - 1; i < to; j = i++) {
      const xi = faces.xs[i] + shift;
      const xj = faces.xs[j] + shift;
      const yi = faces.ys[i];
      const yj = faces.ys[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    if (inside) return true;
  }
  return false;
}

/**
 * The map of a cube's values on the faces of its unstructured mesh, drawn in the browser by @cubemark/plot's
 * `drawMeshMap` (as the API's `plot.png` draws it): one polygon per face, coastlines and a graticule when the mesh's
 * coordinates are longitude and latitude. Pointing at the map (or the arrow keys on it) reads the face's value.
 */
export interface MeshFigureProps extends FigureProps {
  /** A colour scale to use instead of the field's own (side-by-side maps share one). */
  scale?: ColourScale;
  /** Values per face computed by the caller (a difference), and what they are of, instead of a slice from `base`. */
  field?: { field: Field2D; sel: string };
  /** Told about each field drawn (or undefined while loading), for callers that combine maps. */
  onField?(field: Field2D | undefined): void;
  /** Ids on the page must be unique: a prefix per map when there are several. */
  idPrefix?: string;
}

export function MeshFigure(props: MeshFigureProps) {
  const { model, base } = props;
  const mesh = model.mesh!;
  const sel = mapSel(model, props.selection);
  const [faces, setFaces] = useState<MeshFaces | undefined>();
  const [slice, setSlice] = useState<{ slice: Slice; sel: string } | undefined>();
  const [geography, setGeography] = useState<MapGeography | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const wrapRef = useRef<HTMLDivElement>(null);
  const width = useLayoutWidth(wrapRef);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const layoutRef = useRef<{ layout: MapLayout; ratio: number } | undefined>(undefined);
  const lockedRef = useRef<ColourScale | undefined>(undefined);
  const units = unitsText(model.cube.units);
  const describedBy = `${props.idPrefix ?? ''}mesh-map-desc-${model.cube.index}`;

  useEffect(() => {
    const controller = new AbortController();
    setFaces(undefined);
    loadFaces(base, mesh.geographic, controller.signal).then(
      (f) => controller.signal.aborted || setFaces(f),
      (e: unknown) => controller.signal.aborted || setError(e instanceof Error ? e : new Error(String(e))),
    );
    return () => controller.abort();
  }, [base, mesh.geographic]);

  useEffect(() => {
    if (props.field) return;
    const controller = new AbortController();
    loadSlice(base, sel, controller.signal).then(
      (s) => {
        if (controller.signal.aborted) return;
        setError(undefined);
        setSlice({ slice: s, sel });
      },
      (e: unknown) => controller.signal.aborted || setError(e instanceof Error ? e : new Error(String(e))),
    );
    return () => controller.abort();
  }, [base, sel, !!props.field]);

  useEffect(() => {
    let live = true;
    setGeography(undefined);
    if (faces && mesh.geographic) {
      mapGeography(meshGeoSpec(faces)).then(
        (g) => live && setGeography(g),
        (e: unknown) => console.warn('coastlines could not be loaded', e),
      );
    }
    return () => {
      live = false;
    };
  }, [faces, mesh.geographic]);

  useEffect(() => {
    lockedRef.current = undefined;
  }, [props.colormap, props.lockRange]);

  const fetched = useMemo(() => (slice ? meshField(slice.slice.values, slice.slice.mask) : undefined), [slice]);
  const field = props.field?.field ?? fetched;
  const drawnSel = props.field ? props.field.sel : slice?.sel;
  const current = !!props.field || drawnSel === sel;
  const { onField } = props;
  useEffect(() => onField?.(current ? field : undefined), [field, current]);
  const stats = useMemo(() => (field ? fieldStats(field) : undefined), [field]);

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!faces || !field || !drawnSel || !canvas || width < 50) return;
    if (field.values.length !== faces.count) {
      setError(new Error(`the slice has ${field.values.length} values for ${faces.count} faces`));
      return;
    }
    const t0 = performance.now();
    const colormap = props.colormap === 'auto' ? undefined : props.colormap;
    const scale = props.scale ?? ((props.lockRange && lockedRef.current) || colourScale(field, { colormap }));
    if (props.lockRange) lockedRef.current = scale;
    const ratio = pixelRatio();
    const w = width * ratio;
    const h = Math.min(meshMapSizeForWidth(faces, w, { pixelRatio: ratio, title: props.title }).height, Math.max(320, (innerHeight - 40) * ratio));
    const overlay = mapOverlay(geography, props);
    const label = (c: typeof mesh.x) => (c ? `${c.name}${c.units && c.units !== '1' && c.units !== 'unknown' ? ` / ${c.units}` : ''}` : undefined);
    const spec: MeshMapSpec = {
      faces,
      values: field.values,
      mask: field.mask,
      scale,
      title: props.title,
      units,
      x: { label: label(mesh.x) ?? 'x' },
      y: { label: label(mesh.y) ?? 'y' },
      width: w,
      height: h,
      pixelRatio: ratio,
      overlay,
    };
    const layout = meshMapLayout(spec);
    sizeCanvas(canvas, w, h, ratio);
    drawMeshMap(canvas.getContext('2d')!, spec, layout);
    layoutRef.current = { layout, ratio };
    // Exposed for the end-to-end tests and for anyone measuring.
    canvas.dataset.sel = drawnSel;
    canvas.dataset.faces = String(faces.count);
    canvas.dataset.drawMs = (performance.now() - t0).toFixed(1);
    canvas.dataset.coastlines = String(overlay?.coastlines?.length ?? 0);
    canvas.dataset.graticule = String(overlay?.graticule?.length ?? 0);
    canvas.dataset.scale = JSON.stringify(scale);
    canvas.dataset.plot = JSON.stringify({ x: layout.plot.x / ratio, y: layout.plot.y / ratio, width: layout.plot.width / ratio, height: layout.plot.height / ratio, bounds: faces.bounds });
  }, [faces, field, width, props.colormap, props.lockRange, props.title, geography, props.coastlines, props.graticule, props.scale]);

  /** The point of the map under a figure position (CSS pixels from the canvas's corner), in the mesh's x and y. */
  const pointAt = (px: number, py: number): { x: number; y: number } | undefined => {
    const current = layoutRef.current;
    if (!current || !faces) return undefined;
    const { plot } = current.layout;
    const fx = (px * current.ratio - plot.x) / plot.width;
    const fy = (py * current.ratio - plot.y) / plot.height;
    if (fx < 0 || fx > 1 || fy < 0 || fy > 1) return undefined;
    const { xmin, xmax, ymin, ymax } = faces.bounds;
    return { x: xmin + fx * (xmax - xmin), y: ymax - fy * (ymax - ymin) };
  };
  /** Where a point of the map is on the figure (CSS pixels), for the keyboard cursor. */
  const positionOf = (p: { x: number; y: number }) => {
    const current = layoutRef.current;
    if (!current || !faces) return undefined;
    const { plot } = current.layout;
    const { xmin, xmax, ymin, ymax } = faces.bounds;
    return { left: `${(plot.x + ((p.x - xmin) / (xmax - xmin)) * plot.width) / current.ratio}px`, top: `${(plot.y + ((ymax - p.y) / (ymax - ymin)) * plot.height) / current.ratio}px` };
  };
  const [cursor, setCursor] = useState<{ x: number; y: number } | undefined>();
  // Once per cursor position, not per render (a render also follows a field or the coastlines arriving).
  const faceUnder = useMemo(() => {
    if (!cursor || !faces) return -1;
    for (let f = 0; f < faces.count; f++) if (inFace(faces, f, cursor.x, cursor.y)) return f;
    return -1;
  }, [cursor, faces]);
  const readout = (() => {
    if (!cursor || !faces || !field) return '';
    const face = faceUnder;
    const where = mesh.geographic ? lonLatText(cursor.x, cursor.y) : `x ${Number(cursor.x.toPrecision(6))}, y ${Number(cursor.y.toPrecision(6))}`;
    if (face < 0) return `${where}: no face`;
    const value = field.mask?.[face] ? undefined : Number(field.values[face]);
    return `face ${face} (${where}): ${formatValue(value, units)}`;
  })();
  const onMove = (e: MouseEvent) => {
    const rect = canvasRef.current!.getBoundingClientRect();
    setCursor(pointAt(e.clientX - rect.left, e.clientY - rect.top));
  };
  // Arrow keys move the cursor by a fortieth of the map (ten with Shift), from its middle.
  const onKey = (e: KeyboardEvent) => {
    if (!faces) return;
    const { xmin, xmax, ymin, ymax } = faces.bounds;
    const start = cursor ?? { x: (xmin + xmax) / 2, y: (ymin + ymax) / 2 };
    const k = (e.shiftKey ? 10 : 1) / 40;
    const moves: Record<string, [number, number]> = { ArrowLeft: [-k, 0], ArrowRight: [k, 0], ArrowUp: [0, k], ArrowDown: [0, -k] };
    if (!moves[e.key]) return;
    e.preventDefault();
    const [dx, dy] = moves[e.key];
    setCursor({ x: Math.min(xmax, Math.max(xmin, start.x + dx * (xmax - xmin))), y: Math.min(ymax, Math.max(ymin, start.y + dy * (ymax - ymin))) });
  };

  const region = regionText(geography, props);
  const what = `${model.cube.name}${units ? ` in ${units}` : ''} on the ${faces?.count ?? field?.nx ?? ''} faces of mesh ${mesh.name}`;
  const description = !stats ? 'No field drawn yet.' : stats.valid === 0 ? `${what}: every face is missing.${region}` : `${what}: minimum ${formatValue(stats.min)}, maximum ${formatValue(stats.max)}${stats.missing ? `; ${stats.missing} face${stats.missing === 1 ? '' : 's'} missing` : ''}.${region}`;
  const loading = !faces || !current;

  return (
    <figure class="map-figure" aria-busy={loading}>
      <div class="map-toolbar">
        <span class="status" role="status" aria-live="polite">
          {loading ? (
            <>
              <span class="spinner" aria-hidden="true" /> Loading {faces ? `slice ${sel}` : 'the mesh faces'}…
            </>
          ) : (
            <span class="muted timing">{props.field ? `${faces?.count} faces` : slice ? `${formatBytes(slice.slice.bytes)} of values for ${faces?.count} faces` : ''}</span>
          )}
        </span>
        <button type="button" disabled={loading} onClick={() => canvasRef.current && downloadPng(canvasRef.current, `${fileName(props.downloadName, sel)}.png`)}>
          Download PNG
        </button>
      </div>
      {error && <ErrorBox error={error} what={`the mesh map ${sel}`} />}
      <div class="map-wrap" ref={wrapRef}>
        <canvas
          ref={canvasRef}
          class="map mesh-map"
          tabIndex={0}
          role="img"
          aria-label={`Map of ${props.title}`}
          aria-describedby={describedBy}
          onMouseMove={onMove}
          onMouseLeave={() => setCursor(undefined)}
          onKeyDown={onKey}
        />
        {cursor && <span class="cursor" style={positionOf(cursor)} aria-hidden="true" />}
      </div>
      <figcaption>
        <p id={describedBy} class="description">
          {description}
        </p>
        <p class="readout" aria-live="polite" data-testid="readout">
          {readout ? <>Under the cursor: {readout}</> : <span class="muted">Point at the map (or focus it and use the arrow keys) to read a face's value.</span>}
        </p>
      </figcaption>
    </figure>
  );
}
