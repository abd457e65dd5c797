import { useEffect, useRef, useState } from 'preact/hooks';
import { colourScale, describeField, drawMap, fieldStats, renderRgba, unitsText, type ColormapName, type Field2D } from '@cubemark/plot';
import { ApiError, getCoordValues, getSlice } from '../api.js';
import { downloadPng, fileName, imageCanvas, pixelRatio } from '../canvas.js';
import type { CubeModel, DimWidget, Selection } from '../cube-model.js';
import type { GridLocator } from '@cubemark/plot';
import { distancesKm, hybridHeight, levelsSel, lineCells, orographyAlong, orographyTerm, sectionSel, sectionXAxis, terrainFollowing, transposed, verticalAxis, type SectionPath } from '../section.js';
import { loadSlice } from '../slices.js';
import { useElementWidth } from '../hooks.js';
import { ErrorBox } from './status.js';

const CONCURRENCY = 6;

/** Values along a path through every level, as a field of `levels` rows and one column per place along the path. */
async function loadSection(model: CubeModel, base: string, selection: Selection, vertical: DimWidget, path: SectionPath, signal: AbortSignal): Promise<{ field: Field2D; sel: string; count: number }> {
  const levels = vertical.length;
  if (path.kind !== 'line') {
    const sel = sectionSel(model, selection, vertical.dim, path);
    const slice = await getSlice(base, sel, signal);
    const levelsFirst = slice.dims[0] === vertical.dim;
    const n = levelsFirst ? slice.shape[1] : slice.shape[0];
    const values = new Float32Array(levels * n);
    const mask = new Uint8Array(levels * n);
    for (let k = 0; k < levels; k++) {
      for (let s = 0; s < n; s++) {
        const from = levelsFirst ? k * n + s : s * levels + k;
        values[k * n + s] = Number(slice.values[from]);
        mask[k * n + s] = slice.mask?.[from] ?? 0;
      }
    }
    return { field: { values, mask, nx: n, ny: levels }, sel, count: 1 };
  }
  const cells = lineCells(path.from, path.to);
  const n = cells.length;
  const values = new Float32Array(levels * n).fill(NaN);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const s = next++;
      const slice = await getSlice(base, levelsSel(model, selection, vertical.dim, cells[s]), signal);
      for (let k = 0; k < levels; k++) values[k * n + s] = slice.mask?.[k] ? NaN : Number(slice.values[k]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, n) }, worker));
  return { field: { values, nx: n, ny: levels }, sel: `${levelsSel(model, selection, vertical.dim, path.from)} → ${levelsSel(model, selection, vertical.dim, path.to)}`, count: n };
}

export function pathText(model: CubeModel, path: SectionPath): string {
  const at = (axis: 'x' | 'y', k: number) => {
    const a = model[axis]!;
    const v = a.spec.points?.[k];
    return `${a.dim} ${v === undefined ? `index ${k}` : Number(v.toPrecision(6))}`;
  };
  if (path.kind === 'row') return `along ${at('y', path.j)}`;
  if (path.kind === 'column') return `along ${at('x', path.i)}`;
  return `from (${at('y', path.from.j)}, ${at('x', path.from.i)}) to (${at('y', path.to.j)}, ${at('x', path.to.i)})`;
}

/**
 * The hybrid-height orography over the whole map, `[y, x]` rows (NaN where missing): the cube's own orography term
 * from the coordinate-values route, else (a scheduler without it) the publication's orography cube at
 * `orographyBase`; undefined when neither is at hand.
 */
async function loadOrography(model: CubeModel, base: string, orographyBase: string | undefined, signal: AbortSignal): Promise<Float64Array | undefined> {
  const term = orographyTerm(model);
  const asNumbers = (s: { values: ArrayLike<number>; mask?: Uint8Array }) => Float64Array.from(s.values, (v, k) => (s.mask?.[k] ? NaN : v));
  if (term) {
    try {
      const points = asNumbers(await getCoordValues(base, term.key, 'points', signal));
      return term.transposed ? transposed(points, model.x!.length, model.y!.length) : points;
    } catch (e) {
      const noRoute = e instanceof ApiError && e.status === 404 && (e.code === 'ROUTE_NOT_FOUND' || e.code.startsWith('HTTP_'));
      if (!noRoute) throw e;
    }
  }
  return orographyBase ? asNumbers(await loadSlice(orographyBase, ':,:', signal)) : undefined;
}

/** A vertical section of the cube along a row, a column or a line of the map, levels labelled in their units. */
export function Section(props: {
  model: CubeModel;
  base: string;
  selection: Selection;
  vertical: DimWidget;
  path: SectionPath;
  colormap: ColormapName | 'auto';
  locator?: GridLocator;
  title: string;
  downloadName: string;
  /**
   * API path of a cube holding the hybrid-height orography on the map's grid (`[y, x]`), used when the scheduler
   * has no coordinate-values route to give the cube's own orography term.
   */
  orographyBase?: string;
}) {
  const { model, base, selection, vertical, path } = props;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const cellsRef = useRef<HTMLCanvasElement | undefined>(undefined);
  const width = useElementWidth(wrapRef, 300, 600);
  const [result, setResult] = useState<{ field: Field2D; sel: string; count: number; altitudes?: number[] } | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const key = JSON.stringify([path, model.cube.dims.map((d) => (d === vertical.dim ? ':' : selection[d]))]);
  // The orography does not change with the path or the other widgets: fetched once per cube, not per section.
  const orographyRef = useRef<{ key: string; promise: Promise<Float64Array | undefined>; controller: AbortController } | undefined>(undefined);
  useEffect(() => () => orographyRef.current?.controller.abort(), []);
  const cachedOrography = (): Promise<Float64Array | undefined> => {
    const id = `${base}|${props.orographyBase ?? ''}`;
    if (orographyRef.current?.key !== id) {
      orographyRef.current?.controller.abort();
      const controller = new AbortController();
      const promise = loadOrography(model, base, props.orographyBase, controller.signal);
      // A failed fetch is not kept: the next section asks again.
      promise.catch(() => orographyRef.current?.promise === promise && (orographyRef.current = undefined));
      orographyRef.current = { key: id, promise, controller };
    }
    return orographyRef.current.promise;
  };

  useEffect(() => {
    const controller = new AbortController();
    setResult(undefined);
    setError(undefined);
    const hybrid = hybridHeight(model, vertical);
    const withTerrain = async () => {
      const [section, orography] = await Promise.all([
        loadSection(model, base, selection, vertical, path, controller.signal),
        hybrid ? cachedOrography() : undefined,
      ]);
      if (!hybrid || !orography) return section;
      const along = orographyAlong(orography, model.x!.length, model.y!.length, path);
      const t = terrainFollowing(section.field, hybrid, along);
      return { ...section, field: { values: t.values, nx: t.nx, ny: t.ny }, altitudes: t.altitudes };
    };
    withTerrain().then(
      (r) => controller.signal.aborted || setResult(r),
      (e: unknown) => controller.signal.aborted || setError(e instanceof Error ? e : new Error(String(e))),
    );
    return () => controller.abort();
  }, [base, key]);

  const levelAxis = verticalAxis(model, vertical);
  const hybridUnits = hybridHeight(model, vertical)?.units ?? 'm';
  const axis = result?.altitudes
    ? { label: `altitude / ${hybridUnits}`, note: 'hybrid height with the orography: each level follows the ground', points: result.altitudes, flipY: true }
    : levelAxis;
  const cells = path.kind === 'line' ? lineCells(path.from, path.to) : undefined;
  const distances = cells && props.locator ? distancesKm(cells.map((c) => props.locator!.toLonLat(c.i, c.j))) : undefined;
  const x = sectionXAxis(model, path, distances);
  const where = pathText(model, path);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !result) return;
    const ratio = pixelRatio();
    const colormap = props.colormap === 'auto' ? undefined : props.colormap;
    const scale = colourScale(result.field, { colormap });
    const rgba = renderRgba(result.field, scale, { flipY: axis.flipY });
    cellsRef.current = imageCanvas(cellsRef.current, rgba.data, rgba.width, rgba.height);
    const height = 320;
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    drawMap(
      canvas.getContext('2d')!,
      {
        field: result.field,
        scale,
        flipY: axis.flipY,
        fill: true,
        title: `${props.title}, section ${where}`,
        units: unitsText(model.cube.units),
        x,
        y: { label: axis.label, points: axis.points },
        width: width * ratio,
        height: height * ratio,
        pixelRatio: ratio,
      },
      cellsRef.current,
    );
    canvas.dataset.sel = result.sel;
    canvas.dataset.shape = `${result.field.ny},${result.field.nx}`;
    canvas.dataset.requests = String(result.count);
  }, [result, width, props.colormap, where, axis.label]);

  const stats = result ? fieldStats(result.field) : undefined;
  return (
    <section class="section" aria-labelledby="section-heading">
      <h3 id="section-heading">Vertical section {where}</h3>
      {error && <ErrorBox error={error} what="the section" />}
      {!result && !error && (
        <p class="loading" role="status">
          <span class="spinner" aria-hidden="true" /> Loading the section{path.kind === 'line' ? ` (${cells!.length} columns of levels)` : ''}…
        </p>
      )}
      <div ref={wrapRef} class="series-wrap">
        <canvas ref={canvasRef} class="section-canvas" role="img" aria-label={`Vertical section of ${model.cube.name} ${where}`} aria-describedby="section-desc" />
      </div>
      <p id="section-desc" class="description">
        {stats && result
          ? `${describeField(model.cube.name, unitsText(model.cube.units), result.field, stats).replace(/ on a (\d+) × (\d+) grid/, result.altitudes ? ` on ${vertical.length} levels at ${result.field.ny} heights × ${result.field.nx} places` : ` on ${result.field.ny} levels × ${result.field.nx} places`)} Levels: ${axis.label}${axis.note ? `, ${axis.note}` : ''}.`
          : ''}
      </p>
      <button type="button" disabled={!result} onClick={() => canvasRef.current && downloadPng(canvasRef.current, `${fileName(props.downloadName, 'section', where)}.png`)}>
        Download PNG
      </button>
    </section>
  );
}
