import { useEffect, useRef, useState } from 'preact/hooks';
import { drawSeries, unitsText } from '@cubemark/plot';
import { getSlice } from '../api.js';
import { downloadPng, fileName, pixelRatio } from '../canvas.js';
import { seriesSel, type CubeModel, type DimWidget, type Selection } from '../cube-model.js';
import type { Cell } from './MapFigure.js';
import { useElementWidth } from '../hooks.js';
import { ErrorBox } from './status.js';

/** The values along one dimension (time, by preference) at the picked cell, as a small line chart. */
export function Series(props: { model: CubeModel; base: string; selection: Selection; cell: Cell; along: DimWidget; downloadName: string }) {
  const { model, base, selection, cell, along } = props;
  const sel = seriesSel(model, selection, along.dim, cell);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [values, setValues] = useState<Float64Array | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const wrapRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(wrapRef, 280, 600);

  useEffect(() => {
    const controller = new AbortController();
    setValues(undefined);
    setError(undefined);
    getSlice(base, sel, controller.signal).then(
      (slice) => {
        const out = Float64Array.from(slice.values as ArrayLike<number>, (v, k) => (slice.mask?.[k] ? NaN : v));
        if (!controller.signal.aborted) setValues(out);
      },
      (e: unknown) => controller.signal.aborted || setError(e instanceof Error ? e : new Error(String(e))),
    );
    return () => controller.abort();
  }, [base, sel]);

  const x = model.x!;
  const y = model.y!;
  const where = `${y.dim} ${y.spec.points ? Number(y.spec.points[cell.j].toPrecision(6)) : `index ${cell.j}`}, ${x.dim} ${x.spec.points ? Number(x.spec.points[cell.i].toPrecision(6)) : `index ${cell.i}`}`;
  const units = unitsText(model.cube.units);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !values) return;
    const ratio = pixelRatio();
    const height = 240;
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    drawSeries(canvas.getContext('2d')!, {
      values,
      xLabels: along.pointLabels,
      xTitle: `${along.label}${along.calendar ? ` (${along.calendar} calendar)` : ''}`,
      yTitle: units ? `${model.cube.name} / ${units}` : model.cube.name,
      title: `${model.cube.name} at ${where}`,
      width: width * ratio,
      height: height * ratio,
      pixelRatio: ratio,
      highlight: selection[along.dim],
    });
  }, [values, width, along, where, selection]);

  const finite = values ? [...values].filter(Number.isFinite) : [];
  return (
    <section class="series" aria-labelledby="series-heading">
      <h3 id="series-heading">
        {along.label} series at {where}
      </h3>
      {error && <ErrorBox error={error} what="the series" />}
      {!values && !error && (
        <p class="loading" role="status">
          <span class="spinner" aria-hidden="true" /> Loading series…
        </p>
      )}
      <div ref={wrapRef} class="series-wrap">
        <canvas
          ref={canvasRef}
          role="img"
          aria-label={`Line chart of ${model.cube.name} along ${along.label} at ${where}`}
          aria-describedby="series-desc"
          data-sel={sel}
        />
      </div>
      <p id="series-desc" class="description">
        {values
          ? finite.length
            ? `${values.length} values; minimum ${Math.min(...finite).toPrecision(6)}, maximum ${Math.max(...finite).toPrecision(6)}${units ? ` ${units}` : ''}.`
            : `${values.length} values, all missing.`
          : ''}
      </p>
      <button type="button" disabled={!values} onClick={() => canvasRef.current && downloadPng(canvasRef.current, `${fileName(props.downloadName, 'series', sel)}.png`)}>
        Download PNG
      </button>
    </section>
  );
}
