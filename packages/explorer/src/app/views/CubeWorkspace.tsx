import { useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { COLORMAP_NAMES, COLORMAPS, type ColormapName } from '@cubemark/plot';
import type { CoordSystem, CubeDescription } from '@cubemark/format';
import { plotPngUrl } from '../api.js';
import { defaultSelection, mapSel, type CubeModel, type DimWidget, type Selection } from '../cube-model.js';
import { formatShape } from '../format.js';
import { useCubeModel, useGeography } from '../geography.js';
import { href, replaceQuery } from '../router.js';
import { parseCubeRef, type CubeRef } from '../routes.js';
import { verticalWidget, type SectionPath } from '../section.js';
import { Animation, type AnimationState } from './Animation.js';
import { MapFigure, type Cell, type FigureProps } from './MapFigure.js';
import { MeshFigure } from './MeshFigure.js';
import { Section } from './Section.js';
import { Series } from './Series.js';

export function Widget({ widget, value, onChange }: { widget: DimWidget; value: number; onChange(v: number): void }) {
  const id = `w-${widget.dim}`;
  const text = widget.pointLabels[value] ?? String(value);
  const set = (v: number) => onChange(Math.min(widget.length - 1, Math.max(0, v)));
  return (
    <div class="widget">
      <label for={id}>
        {widget.label}
        {widget.calendar && <span class="note"> ({widget.calendar} calendar)</span>}
      </label>
      <div class="widget-row">
        <button type="button" aria-label={`previous ${widget.dim}`} disabled={value <= 0} onClick={() => set(value - 1)}>
          ‹
        </button>
        <input
          id={id}
          type="range"
          min={0}
          max={widget.length - 1}
          step={1}
          value={value}
          aria-valuetext={text}
          disabled={widget.length < 2}
          onInput={(e) => set(Number(e.currentTarget.value))}
        />
        <button type="button" aria-label={`next ${widget.dim}`} disabled={value >= widget.length - 1} onClick={() => set(value + 1)}>
          ›
        </button>
      </div>
      <output for={id} class="widget-value" data-testid={`value-${widget.dim}`}>
        {text} <span class="muted">({value + 1} of {widget.length})</span>
      </output>
    </div>
  );
}

/** The widgets' indices from a URL query (unknown or out-of-range values are ignored). */
export function selectionFromQuery(model: CubeModel, query: URLSearchParams): Selection {
  const s = defaultSelection(model);
  for (const w of model.widgets) {
    const v = Number(query.get(w.dim));
    if (query.has(w.dim) && Number.isInteger(v) && v >= 0 && v < w.length) s[w.dim] = v;
  }
  return s;
}

export function colormapFromQuery(query: URLSearchParams): ColormapName | 'auto' {
  const c = query.get('colormap');
  return c && (COLORMAP_NAMES as string[]).includes(c) ? (c as ColormapName) : 'auto';
}

/** Colour map choice and the overlay toggles, shared by the cube and the compare views. */
export function MapOptions(props: { colormap: ColormapName | 'auto'; onColormap(c: ColormapName | 'auto'): void; coastlines: boolean; onCoastlines(v: boolean): void; graticule: boolean; onGraticule(v: boolean): void }) {
  return (
    <>
      <div class="widget">
        <label for="colormap">Colour map</label>
        <select id="colormap" value={props.colormap} onChange={(e) => props.onColormap(e.currentTarget.value as ColormapName | 'auto')}>
          <option value="auto">automatic (viridis; RdBu_r when the data span 0)</option>
          {COLORMAP_NAMES.map((name) => (
            <option key={name} value={name}>
              {name} — {COLORMAPS[name].description}
            </option>
          ))}
        </select>
      </div>
      <div class="widget checkbox">
        <input id="coastlines" type="checkbox" checked={props.coastlines} onChange={(e) => props.onCoastlines(e.currentTarget.checked)} />
        <label for="coastlines">Coastlines</label>
      </div>
      <div class="widget checkbox">
        <input id="graticule" type="checkbox" checked={props.graticule} onChange={(e) => props.onGraticule(e.currentTarget.checked)} />
        <label for="graticule">Latitude/longitude lines</label>
      </div>
    </>
  );
}

function parseCell(text: string | null): Cell | undefined {
  const m = /^(\d+),(\d+)$/.exec(text ?? '');
  return m ? { i: Number(m[1]), j: Number(m[2]) } : undefined;
}

function parseSection(text: string | null): SectionPath | undefined {
  const m = /^(row|column|line):([\d,]+)$/.exec(text ?? '');
  if (!m) return undefined;
  const n = m[2].split(',').map(Number);
  if (m[1] === 'row' && n.length === 1) return { kind: 'row', j: n[0] };
  if (m[1] === 'column' && n.length === 1) return { kind: 'column', i: n[0] };
  if (m[1] === 'line' && n.length === 4) return { kind: 'line', from: { i: n[0], j: n[1] }, to: { i: n[2], j: n[3] } };
  return undefined;
}

function sectionText(path: SectionPath): string {
  if (path.kind === 'row') return `row:${path.j}`;
  if (path.kind === 'column') return `column:${path.i}`;
  return `line:${path.from.i},${path.from.j},${path.to.i},${path.to.j}`;
}

/**
 * Browsing one cube (or one merged cube): its summary, a widget per non-map dimension, the map with coastlines,
 * animation over a dimension, a vertical section, the series at a picked cell, and a way to compare it with
 * another cube. `base` is the API path its data come from. The whole view is in the URL.
 */
export function CubeWorkspace(props: {
  cube: CubeDescription;
  coordSystems?: Record<string, CoordSystem>;
  base: string;
  publication: string;
  query: URLSearchParams;
  /** This cube as a compare reference, and the cubes it may be compared with. */
  self?: CubeRef;
  others?: { ref: CubeRef; label: string }[];
  /** API path of the cube holding this cube's hybrid-height orography, when the publication has one. */
  orographyBase?: string;
}) {
  const { cube, base, query } = props;
  const model = useCubeModel(cube, props.coordSystems, base);
  const [selection, setSelection] = useState<Selection>(() => selectionFromQuery(model, query));
  const [colormap, setColormap] = useState<ColormapName | 'auto'>(() => colormapFromQuery(query));
  const [coastlines, setCoastlines] = useState(query.get('coast') !== '0');
  const [graticule, setGraticule] = useState(query.get('grat') !== '0');
  const [lockRange, setLockRange] = useState(false);
  const [picked, setPicked] = useState<Cell | undefined>(() => parseCell(query.get('cell')));
  const timeWidget = model.widgets.find((w) => w.isTime) ?? model.widgets.find((w) => w.length > 1) ?? model.widgets[0];
  const [anim, setAnim] = useState<AnimationState>(() => ({
    dim: model.widgets.find((w) => w.dim === query.get('anim'))?.dim ?? timeWidget?.dim ?? '',
    playing: false,
    fps: Number(query.get('fps')) > 0 ? Number(query.get('fps')) : 2,
  }));
  const vertical = model.map ? verticalWidget(model) : undefined;
  const [section, setSection] = useState<SectionPath | undefined>(() => (vertical ? parseSection(query.get('section')) : undefined));
  const [sectionMode, setSectionMode] = useState<'off' | 'row' | 'column' | 'line'>(() => section?.kind ?? 'off');
  const [lineStart, setLineStart] = useState<Cell | undefined>();
  const [otherRef, setOtherRef] = useState('');
  const { locator } = useGeography(model);

  // The URL follows the view at once (a layout effect), so a link copied right after a change shows that change.
  useLayoutEffect(() => {
    const q = new URLSearchParams(Object.entries(selection).map(([k, v]) => [k, String(v)]));
    if (colormap !== 'auto') q.set('colormap', colormap);
    if (!coastlines) q.set('coast', '0');
    if (!graticule) q.set('grat', '0');
    if (picked) q.set('cell', `${picked.i},${picked.j}`);
    if (anim.dim && anim.dim !== timeWidget?.dim) q.set('anim', anim.dim);
    if (anim.fps !== 2) q.set('fps', String(anim.fps));
    if (section) q.set('section', sectionText(section));
    replaceQuery(q);
  }, [selection, colormap, coastlines, graticule, picked, anim.dim, anim.fps, section]);

  // The user moving a widget stops the animation (and so lets go of the frames read ahead).
  const move = (dim: string, v: number) => {
    setAnim((a) => (a.playing ? { ...a, playing: false } : a));
    setSelection((s) => ({ ...s, [dim]: v }));
  };

  const onPick = (cell: Cell) => {
    if (sectionMode === 'line') {
      if (!lineStart) {
        setLineStart(cell);
        return;
      }
      setSection({ kind: 'line', from: lineStart, to: cell });
      setLineStart(undefined);
      return;
    }
    setPicked(cell);
    if (sectionMode === 'row') setSection({ kind: 'row', j: cell.j });
    if (sectionMode === 'column') setSection({ kind: 'column', i: cell.i });
  };
  const chooseSectionMode = (mode: typeof sectionMode) => {
    setSectionMode(mode);
    setLineStart(undefined);
    if (mode === 'off') setSection(undefined);
    else if (mode === 'row' && picked) setSection({ kind: 'row', j: picked.j });
    else if (mode === 'column' && picked) setSection({ kind: 'column', i: picked.i });
    else if (mode !== section?.kind) setSection(undefined);
  };

  const seriesAlong = model.widgets.find((w) => w.isTime) ?? model.widgets[0];
  const titleParts = model.widgets.map((w) => (w.isTime ? w.pointLabels[selection[w.dim]] : `${w.dim} ${w.pointLabels[selection[w.dim]]}`));
  const title = [cube.name, ...titleParts].join(', ');
  const downloadName = `${props.publication}-${cube.name}`;
  const figure: FigureProps = { model, base, selection, title, colormap, lockRange, downloadName, coastlines, graticule };
  const marks = sectionMode === 'line' ? (lineStart ? [lineStart] : section?.kind === 'line' ? [section.from, section.to] : []) : undefined;
  const clickHint = sectionMode === 'line' ? (lineStart ? 'to end the section line' : 'to start a section line') : undefined;
  const compareExtra = Object.fromEntries(Object.entries(selection).map(([k, v]) => [k, String(v)]));

  return (
    <div class="workspace">
      <details class="summary">
        <summary>Summary (Iris style)</summary>
        <pre>{cube.summary}</pre>
      </details>
      {!model.map && !model.mesh?.drawable ? (
        <p class="notice">
          {cube.mesh
            ? cube.mesh.location === 'face'
              ? `This cube's values sit on the faces of the unstructured mesh ${cube.mesh.name}, but its description gives no face outlines (bounds of its mesh coordinates) to draw them by.`
              : `This cube's values sit on the ${cube.mesh.location}s of the unstructured mesh ${cube.mesh.name}: maps draw values on a mesh's faces only (the API's plot.png answers NOT_PLOTTABLE too).`
            : `This cube has ${cube.dims.length} dimension${cube.dims.length === 1 ? '' : 's'} (${formatShape(cube.shape)}); a map needs two.`}
        </p>
      ) : (
        <div class="cube-layout">
          <form class="controls" onSubmit={(e) => e.preventDefault()} aria-label="Choose the field to plot">
            {model.widgets.map((w) => (
              <Widget key={w.dim} widget={w} value={selection[w.dim]} onChange={(v) => move(w.dim, v)} />
            ))}
            {model.widgets.some((w) => w.length > 1) && (
              <Animation model={model} base={base} selection={selection} state={anim} onState={setAnim} onStep={(dim, v) => setSelection((s) => ({ ...s, [dim]: v }))} downloadName={downloadName} />
            )}
            <MapOptions colormap={colormap} onColormap={setColormap} coastlines={coastlines} onCoastlines={setCoastlines} graticule={graticule} onGraticule={setGraticule} />
            <div class="widget checkbox">
              <input id="lock" type="checkbox" checked={lockRange} onChange={(e) => setLockRange(e.currentTarget.checked)} />
              <label for="lock">Keep this colour range while moving the widgets</label>
            </div>
            {vertical && (
              <fieldset class="widget">
                <legend>Vertical section through {vertical.dim}</legend>
                {(['off', 'row', 'column', 'line'] as const).map((mode) => (
                  <div class="checkbox" key={mode}>
                    <input type="radio" id={`section-${mode}`} name="section" checked={sectionMode === mode} onChange={() => chooseSectionMode(mode)} />
                    <label for={`section-${mode}`}>
                      {mode === 'off' ? 'None' : mode === 'row' ? `Along the ${model.x!.dim} row of the picked cell` : mode === 'column' ? `Along the ${model.y!.dim} column of the picked cell` : 'Along a line: click its two ends on the map'}
                    </label>
                  </div>
                ))}
              </fieldset>
            )}
            {props.self && props.others && props.others.length > 0 && (
              <div class="widget">
                <label for="compare-with">Compare with</label>
                <select
                  id="compare-with"
                  value=""
                  onChange={(e) => {
                    const other = props.others![Number(e.currentTarget.value)];
                    if (other) location.hash = href.compare(props.self!, other.ref, compareExtra);
                  }}
                >
                  <option value="">choose a cube…</option>
                  {props.others.map((o, k) => (
                    <option key={k} value={String(k)}>
                      {o.label}
                    </option>
                  ))}
                </select>
                <label for="compare-ref" class="note">
                  or a cube of any publication (<code>name/c/index</code> or <code>name/u/parameter</code>)
                </label>
                <div class="widget-row">
                  <input id="compare-ref" type="text" value={otherRef} onInput={(e) => setOtherRef(e.currentTarget.value)} aria-invalid={otherRef !== '' && !parseCubeRef(otherRef)} />
                  <button
                    type="button"
                    disabled={!parseCubeRef(otherRef)}
                    onClick={() => {
                      const other = parseCubeRef(otherRef);
                      if (other) location.hash = href.compare(props.self!, other, compareExtra);
                    }}
                  >
                    Compare
                  </button>
                </div>
              </div>
            )}
            <p class="api-link">
              Same plot for scripts:{' '}
              <a href={plotPngUrl(base, mapSel(model, selection), { colormap: colormap === 'auto' ? undefined : colormap, coastlines, graticule })} target="_blank" rel="noopener">
                PNG from the API
              </a>
            </p>
          </form>
          <div class="figures">
            {model.mesh?.drawable ? (
              <MeshFigure {...figure} />
            ) : (
              <MapFigure {...figure} onPick={onPick} picked={picked} marks={marks} clickHint={clickHint} />
            )}
            {section && vertical && <Section model={model} base={base} selection={selection} vertical={vertical} path={section} colormap={colormap} locator={locator} title={cube.name} downloadName={downloadName} orographyBase={props.orographyBase} />}
            {picked && model.map && seriesAlong && <Series model={model} base={base} selection={selection} cell={picked} along={seriesAlong} downloadName={downloadName} />}
            {picked && model.map && !seriesAlong && <p class="notice">This cube has no dimension besides the map's, so there is no series to plot.</p>}
          </div>
        </div>
      )}
    </div>
  );
}
