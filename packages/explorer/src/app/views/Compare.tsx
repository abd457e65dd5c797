import { useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { colourScale, type ColormapName } from '@cubemark/plot';
import type { CoordSystem, CubeDescription } from '@cubemark/format';
import { cubeUrl, getPublication, getUnified, unifiedUrl } from '../api.js';
import { mapSel, sliceToField, type CubeModel, type Selection } from '../cube-model.js';
import { useCubeModel } from '../geography.js';
import { useLoad } from '../hooks.js';
import { href, replaceQuery } from '../router.js';
import { cubeRefText, type CubeRef } from '../routes.js';
import { difference, meshField, sameGrid, sameMesh, sharedScale } from '../compare.js';
import { loadSlice } from '../slices.js';
import { colormapFromQuery, MapOptions, selectionFromQuery, Widget } from './CubeWorkspace.js';
import type { Field2D } from '@cubemark/plot';
import { MapFigure, type LoadedField } from './MapFigure.js';
import { MeshFigure } from './MeshFigure.js';
import { ErrorBox, Loading } from './status.js';

interface Side {
  ref: CubeRef;
  cube: CubeDescription;
  coordSystems?: Record<string, CoordSystem>;
  base: string;
  /** `ukv-demo cube 4` or `ukv-demo air_temperature (unified)`. */
  label: string;
}

async function loadSide(ref: CubeRef, signal: AbortSignal): Promise<Side> {
  if ('index' in ref) {
    const pub = await getPublication(ref.name, signal);
    const cube = pub.cubes[ref.index];
    if (!cube) throw new Error(`publication ${ref.name} has ${pub.cubes.length} cubes; there is no cube ${ref.index}.`);
    return { ref, cube, coordSystems: pub.coord_systems, base: cubeUrl(ref.name, ref.index), label: `${ref.name} cube ${ref.index}` };
  }
  const u = await getUnified(ref.name, ref.parameter, signal);
  if (u.status !== 'merged') throw new Error(u.status === 'failed' ? `the cubes of ${ref.parameter} do not merge: ${u.reasons.join('; ')}` : u.message);
  return { ref, cube: u.cube, coordSystems: u.coordSystems, base: unifiedUrl(ref.name, ref.parameter), label: `${ref.name} ${ref.parameter} (unified)` };
}

function selectionFor(model: CubeModel, selection: Selection): Selection {
  return Object.fromEntries(model.widgets.map((w) => [w.dim, Math.min(w.length - 1, selection[w.dim] ?? 0)]));
}

/**
 * Two cubes (of one publication or two) side by side on one colour range, or, when their grids agree, the map of
 * their difference. The widgets are the first cube's; the second follows by dimension name. The URL holds the
 * whole view (both cubes, mode, indices, colour map, overlays), so a link shows a colleague the same thing.
 */
export function Compare({ a, b, query }: { a: CubeRef; b: CubeRef; query: URLSearchParams }) {
  const sides = useLoad((signal) => Promise.all([loadSide(a, signal), loadSide(b, signal)]), [cubeRefText(a), cubeRefText(b)]);
  if (sides.state === 'loading') return <Loading what="the two cubes" />;
  if (sides.state === 'error') return <ErrorBox error={sides.error} what="the comparison" />;
  return <CompareLoaded key={`${cubeRefText(a)}|${cubeRefText(b)}`} left={sides.value[0]} right={sides.value[1]} query={query} />;
}

function CompareLoaded({ left, right, query }: { left: Side; right: Side; query: URLSearchParams }) {
  const modelA = useCubeModel(left.cube, left.coordSystems, left.base);
  const modelB = useCubeModel(right.cube, right.coordSystems, right.base);
  // Two gridded maps, or two maps on the faces of meshes: each kind is drawn, and subtracted, its own way.
  const meshes = !!modelA.mesh?.drawable && !!modelB.mesh?.drawable;
  const comparable = meshes ? sameMesh(modelA, modelB) : sameGrid(modelA, modelB);
  const [selection, setSelection] = useState<Selection>(() => ({ ...selectionFromQuery(modelB, query), ...selectionFromQuery(modelA, query) }));
  const [mode, setMode] = useState<'side' | 'diff'>(() => (query.get('mode') === 'diff' && comparable ? 'diff' : 'side'));
  const [colormap, setColormap] = useState<ColormapName | 'auto'>(() => colormapFromQuery(query));
  const [coastlines, setCoastlines] = useState(query.get('coast') !== '0');
  const [graticule, setGraticule] = useState(query.get('grat') !== '0');
  const [fieldA, setFieldA] = useState<Field2D | undefined>();
  const [fieldB, setFieldB] = useState<Field2D | undefined>();
  const [diff, setDiff] = useState<LoadedField | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const selA = selectionFor(modelA, selection);
  const selB = selectionFor(modelB, selection);

  // The whole view as the URL's query: kept in the address bar, and offered as a link.
  const view = new URLSearchParams({ a: cubeRefText(left.ref), b: cubeRefText(right.ref) });
  if (mode === 'diff') view.set('mode', 'diff');
  for (const [k, v] of Object.entries(selection)) view.set(k, String(v));
  if (colormap !== 'auto') view.set('colormap', colormap);
  if (!coastlines) view.set('coast', '0');
  if (!graticule) view.set('grat', '0');
  const viewText = view.toString();
  useLayoutEffect(() => replaceQuery(new URLSearchParams(viewText)), [viewText]);

  // The difference: both slices (from the shared slice cache), subtracted.
  const slA = modelA.map || meshes ? mapSel(modelA, selA) : '';
  const slB = modelB.map || meshes ? mapSel(modelB, selB) : '';
  useEffect(() => {
    if (mode !== 'diff') return;
    const controller = new AbortController();
    const started = performance.now();
    Promise.all([loadSlice(left.base, slA, controller.signal), loadSlice(right.base, slB, controller.signal)]).then(
      ([sa, sb]) => {
        const arrived = performance.now();
        const field = meshes ? difference(meshField(sa.values, sa.mask), meshField(sb.values, sb.mask)) : difference(sliceToField(modelA, sa.values, sa.mask), sliceToField(modelB, sb.values, sb.mask));
        setError(undefined);
        setDiff({ field, sel: `${slA} − ${slB}`, bytes: sa.bytes + sb.bytes, fetchMs: arrived - started, started, arrived });
      },
      (e: unknown) => controller.signal.aborted || setError(e instanceof Error ? e : new Error(String(e))),
    );
    return () => controller.abort();
  }, [mode, slA, slB]);

  const cm = colormap === 'auto' ? undefined : colormap;
  const shared = useMemo(() => (fieldA && fieldB ? sharedScale(fieldA, fieldB, cm) : undefined), [fieldA, fieldB, cm]);
  const diffModel = useMemo(() => ({ ...modelA, cube: { ...modelA.cube, name: `${left.cube.name} difference` } }), [modelA]);
  const diffScale = useMemo(() => (diff ? colourScale(diff.field, { kind: 'diverging', colormap: cm }) : undefined), [diff, cm]);
  const titleOf = (model: CubeModel, s: Selection, side: Side) =>
    [side.label, model.cube.name, ...model.widgets.map((w) => (w.isTime ? w.pointLabels[s[w.dim]] : `${w.dim} ${w.pointLabels[s[w.dim]]}`))].join(', ');

  if (!meshes && (!modelA.map || !modelB.map)) {
    return <p class="notice">Both cubes need two map dimensions, or both values on the faces of a mesh, to be compared.</p>;
  }
  return (
    <article aria-labelledby="compare-heading">
      <h1 id="compare-heading">
        {left.cube.name} <span class="muted">compared with</span> {right.cube.name}
      </h1>
      <p class="meta">
        <a href={'index' in left.ref ? href.cube(left.ref.name, left.ref.index) : href.unified(left.ref.name, left.ref.parameter)}>{left.label}</a> and{' '}
        <a href={'index' in right.ref ? href.cube(right.ref.name, right.ref.index) : href.unified(right.ref.name, right.ref.parameter)}>{right.label}</a>
        {comparable ? (meshes ? ' · same mesh' : ' · same grid') : meshes ? ' · different meshes (no difference map)' : ' · different grids (no difference map)'}
      </p>
      <div class="cube-layout">
        <form class="controls" onSubmit={(e) => e.preventDefault()} aria-label="Choose the fields to compare">
          {modelA.widgets.map((w) => (
            <Widget key={w.dim} widget={w} value={selA[w.dim]} onChange={(v) => setSelection((s) => ({ ...s, [w.dim]: v }))} />
          ))}
          <fieldset class="widget">
            <legend>Show</legend>
            <div class="checkbox">
              <input type="radio" id="mode-side" name="mode" checked={mode === 'side'} onChange={() => setMode('side')} />
              <label for="mode-side">Side by side, one colour range</label>
            </div>
            <div class="checkbox">
              <input type="radio" id="mode-diff" name="mode" checked={mode === 'diff'} disabled={!comparable} onChange={() => setMode('diff')} />
              <label for="mode-diff">Difference (first − second){comparable ? '' : meshes ? ': needs the same mesh' : ': needs the same grid'}</label>
            </div>
          </fieldset>
          <MapOptions colormap={colormap} onColormap={setColormap} coastlines={coastlines} onCoastlines={setCoastlines} graticule={graticule} onGraticule={setGraticule} />
          <p class="api-link">
            This view's link: <a href={`#/compare?${viewText}`}>copy it to share</a>
          </p>
        </form>
        <div class={mode === 'side' ? 'figures compare-pair' : 'figures'}>
          {error && <ErrorBox error={error} what="the difference" />}
          {meshes ? (
            mode === 'side' ? (
              <>
                <MeshFigure model={modelA} base={left.base} selection={selA} title={titleOf(modelA, selA, left)} colormap={colormap} lockRange={false} downloadName={`compare-a-${left.cube.name}`} coastlines={coastlines} graticule={graticule} scale={shared} onField={setFieldA} idPrefix="a-" />
                <MeshFigure model={modelB} base={right.base} selection={selB} title={titleOf(modelB, selB, right)} colormap={colormap} lockRange={false} downloadName={`compare-b-${right.cube.name}`} coastlines={coastlines} graticule={graticule} scale={shared} onField={setFieldB} idPrefix="b-" />
              </>
            ) : (
              diff && (
                <MeshFigure model={diffModel} base={left.base} selection={selA} title={`${titleOf(modelA, selA, left)} − ${right.label}`} colormap={colormap} lockRange={false} downloadName={`difference-${left.cube.name}`} coastlines={coastlines} graticule={graticule} scale={diffScale} field={diff} idPrefix="d-" />
              )
            )
          ) : mode === 'side' ? (
            <>
              <MapFigure model={modelA} base={left.base} selection={selA} title={titleOf(modelA, selA, left)} colormap={colormap} lockRange={false} onPick={() => {}} downloadName={`compare-a-${left.cube.name}`} coastlines={coastlines} graticule={graticule} scale={shared} onField={(f) => setFieldA(f?.field)} idPrefix="a-" clickHint={false} />
              <MapFigure model={modelB} base={right.base} selection={selB} title={titleOf(modelB, selB, right)} colormap={colormap} lockRange={false} onPick={() => {}} downloadName={`compare-b-${right.cube.name}`} coastlines={coastlines} graticule={graticule} scale={shared} onField={(f) => setFieldB(f?.field)} idPrefix="b-" clickHint={false} />
            </>
          ) : (
            diff && (
              <MapFigure
                model={diffModel}
                base={left.base}
                selection={selA}
                title={`${titleOf(modelA, selA, left)} − ${right.label}`}
                colormap={colormap}
                lockRange={false}
                onPick={() => {}}
                downloadName={`difference-${left.cube.name}`}
                coastlines={coastlines}
                graticule={graticule}
                scale={diffScale}
                field={diff}
                idPrefix="d-"
                clickHint={false}
              />
            )
          )}
        </div>
      </div>
    </article>
  );
}
