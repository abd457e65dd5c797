import { useEffect, useMemo, useState } from 'preact/hooks';
import { COLORMAP_NAMES, COLORMAPS, type ColormapName } from '@cubemark/plot';
import type { CoordSystem, CubeDescription } from '@cubemark/format';
import { plotPngUrl } from '../api.js';
import { cubeModel, defaultSelection, mapSel, type DimWidget, type Selection } from '../cube-model.js';
import { formatShape } from '../format.js';
import { replaceQuery } from '../router.js';
import { MapFigure, type Cell } from './MapFigure.js';
import { Series } from './Series.js';

function Widget({ widget, value, onChange }: { widget: DimWidget; value: number; onChange(v: number): void }) {
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

/**
 * Browsing one cube (or one merged cube): its summary, a widget per non-map dimension, the map, and the series
 * at a picked cell. `base` is the API path its data come from.
 */
export function CubeWorkspace(props: { cube: CubeDescription; coordSystems?: Record<string, CoordSystem>; base: string; publication: string; query: URLSearchParams }) {
  const { cube, base } = props;
  const model = useMemo(() => cubeModel(cube, props.coordSystems), [cube, props.coordSystems]);
  const [selection, setSelection] = useState<Selection>(() => {
    const s = defaultSelection(model);
    for (const w of model.widgets) {
      const v = Number(props.query.get(w.dim));
      if (Number.isInteger(v) && v >= 0 && v < w.length) s[w.dim] = v;
    }
    return s;
  });
  const [colormap, setColormap] = useState<ColormapName | 'auto'>(() => {
    const c = props.query.get('colormap');
    return c && (COLORMAP_NAMES as string[]).includes(c) ? (c as ColormapName) : 'auto';
  });
  const [lockRange, setLockRange] = useState(false);
  const [picked, setPicked] = useState<Cell | undefined>();

  useEffect(() => {
    const q = new URLSearchParams(Object.entries(selection).map(([k, v]) => [k, String(v)]));
    if (colormap !== 'auto') q.set('colormap', colormap);
    replaceQuery(q);
  }, [selection, colormap]);

  const seriesAlong = model.widgets.find((w) => w.isTime) ?? model.widgets[0];
  const titleParts = model.widgets.map((w) => (w.isTime ? w.pointLabels[selection[w.dim]] : `${w.dim} ${w.pointLabels[selection[w.dim]]}`));
  const title = [cube.name, ...titleParts].join(', ');
  const downloadName = `${props.publication}-${cube.name}`;

  return (
    <div class="workspace">
      <details class="summary">
        <summary>Summary (Iris style)</summary>
        <pre>{cube.summary}</pre>
      </details>
      {!model.map ? (
        <p class="notice">
          This cube has {cube.dims.length} dimension{cube.dims.length === 1 ? '' : 's'} ({formatShape(cube.shape)}); a map needs two.
        </p>
      ) : (
        <div class="cube-layout">
          <form class="controls" onSubmit={(e) => e.preventDefault()} aria-label="Choose the field to plot">
            {model.widgets.map((w) => (
              <Widget key={w.dim} widget={w} value={selection[w.dim]} onChange={(v) => setSelection((s) => ({ ...s, [w.dim]: v }))} />
            ))}
            <div class="widget">
              <label for="colormap">Colour map</label>
              <select id="colormap" value={colormap} onChange={(e) => setColormap(e.currentTarget.value as ColormapName | 'auto')}>
                <option value="auto">automatic (viridis; RdBu_r when the data span 0)</option>
                {COLORMAP_NAMES.map((name) => (
                  <option key={name} value={name}>
                    {name} — {COLORMAPS[name].description}
                  </option>
                ))}
              </select>
            </div>
            <div class="widget checkbox">
              <input id="lock" type="checkbox" checked={lockRange} onChange={(e) => setLockRange(e.currentTarget.checked)} />
              <label for="lock">Keep this colour range while moving the widgets</label>
            </div>
            <p class="api-link">
              Same plot for scripts:{' '}
              <a href={plotPngUrl(base, mapSel(model, selection), { colormap: colormap === 'auto' ? undefined : colormap })} target="_blank" rel="noopener">
                PNG from the API
              </a>
            </p>
          </form>
          <div class="figures">
            <MapFigure
              model={model}
              base={base}
              selection={selection}
              title={title}
              colormap={colormap}
              lockRange={lockRange}
              onPick={setPicked}
              picked={picked}
              downloadName={downloadName}
            />
            {picked && seriesAlong && <Series model={model} base={base} selection={selection} cell={picked} along={seriesAlong} downloadName={downloadName} />}
            {picked && !seriesAlong && <p class="notice">This cube has no dimension besides the map's, so there is no series to plot.</p>}
          </div>
        </div>
      )}
    </div>
  );
}
