import { linearTicks } from '../axes/ticks.js';
import { DEFAULT_FONT_FAMILY, fitText, type Canvas2D, type Rect } from './canvas.js';
import type { FigureFrame } from './frame.js';

/** A line chart of one value against an index (a time series at a point). */
export interface SeriesSpec extends FigureFrame {
  /** Values; NaN (missing) breaks the line. */
  values: ArrayLike<number>;
  /** Label of each point along x (dates for a time series); a few are shown as ticks. */
  xLabels?: readonly string[];
  xTitle?: string;
  /** Title of the y axis (name / units). */
  yTitle?: string;
  title?: string;
  /** Line colour (default: viridis blue). */
  colour?: string;
  /** Index to mark (the time step the map shows). */
  highlight?: number;
}

export interface SeriesLayout {
  plot: Rect;
  /** Data range on y. */
  min: number;
  max: number;
}

/** Draw a series chart; points are drawn as dots too so a series of one or two steps is still visible. */
export function drawSeries<I>(ctx: Canvas2D<I>, spec: SeriesSpec): SeriesLayout {
  const r = spec.pixelRatio ?? 1;
  const fs = (spec.fontSize ?? 12) * r;
  const family = spec.fontFamily ?? DEFAULT_FONT_FAMILY;
  const fg = spec.foreground ?? '#1a1a1a';
  const n = spec.values.length;
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < n; k++) {
    const v = spec.values[k];
    if (Number.isFinite(v)) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  if (min === Infinity) [min, max] = [0, 1];
  if (min === max) [min, max] = [min - 0.5, max + 0.5];
  const pad = (max - min) * 0.05;
  min -= pad;
  max += pad;
  const top = spec.title ? fs * 2.2 : fs;
  const plot = { x: fs * 6.2, y: top, width: Math.max(8, spec.width - fs * 7.2), height: Math.max(8, spec.height - top - fs * 3.6) };
  ctx.font = `${fs}px ${family}`;
  const labels = spec.xLabels ?? Array.from({ length: n }, (_, k) => String(k));
  const labelWidths = labels.map((l) => ctx.measureText(l).width);
  // Room on the right for half of the last label, which is centred on the plot's right edge.
  plot.width = Math.max(8, Math.min(plot.width, spec.width - plot.x - (labelWidths[n - 1] ?? 0) / 2 - fs * 0.5));
  const xOf = (k: number) => plot.x + (n > 1 ? (k / (n - 1)) * plot.width : plot.width / 2);
  const yOf = (v: number) => plot.y + plot.height - ((v - min) / (max - min)) * plot.height;

  ctx.save();
  ctx.clearRect(0, 0, spec.width, spec.height);
  ctx.fillStyle = spec.background ?? '#ffffff';
  ctx.fillRect(0, 0, spec.width, spec.height);
  ctx.strokeStyle = fg;
  ctx.fillStyle = fg;
  ctx.lineWidth = Math.max(1, r);
  ctx.font = `${fs}px ${family}`;
  ctx.strokeRect(plot.x, plot.y, plot.width, plot.height);

  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of linearTicks(min, max, Math.max(2, Math.floor(plot.height / (fs * 2.5))))) {
    const y = yOf(t.value);
    ctx.beginPath();
    ctx.moveTo(plot.x - fs * 0.4, y);
    ctx.lineTo(plot.x, y);
    ctx.stroke();
    ctx.fillText(t.label, plot.x - fs * 0.6, y);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  if (n > 0) {
    const widest = Math.max(...labelWidths, fs);
    const every = Math.max(1, Math.ceil((n * (widest + fs)) / plot.width));
    for (let k = 0; k < n; k += every) {
      const x = xOf(k);
      ctx.beginPath();
      ctx.moveTo(x, plot.y + plot.height);
      ctx.lineTo(x, plot.y + plot.height + fs * 0.4);
      ctx.stroke();
      ctx.fillText(labels[k] ?? '', x, plot.y + plot.height + fs * 0.6);
    }
  }
  if (spec.xTitle) ctx.fillText(fitText(ctx, spec.xTitle, plot.width), plot.x + plot.width / 2, plot.y + plot.height + fs * 2);
  if (spec.yTitle) {
    ctx.save();
    ctx.translate(plot.x - fs * 5.2, plot.y + plot.height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(fitText(ctx, spec.yTitle, plot.height), 0, 0);
    ctx.restore();
  }
  if (spec.highlight !== undefined && spec.highlight >= 0 && spec.highlight < n) {
    ctx.strokeStyle = '#999999';
    ctx.beginPath();
    ctx.moveTo(xOf(spec.highlight), plot.y);
    ctx.lineTo(xOf(spec.highlight), plot.y + plot.height);
    ctx.stroke();
  }

  const colour = spec.colour ?? '#3b528b';
  ctx.strokeStyle = colour;
  ctx.fillStyle = colour;
  ctx.lineWidth = 2 * r;
  ctx.beginPath();
  let drawing = false;
  for (let k = 0; k < n; k++) {
    const v = spec.values[k];
    if (!Number.isFinite(v)) {
      drawing = false;
      continue;
    }
    if (drawing) ctx.lineTo(xOf(k), yOf(v));
    else ctx.moveTo(xOf(k), yOf(v));
    drawing = true;
  }
  ctx.stroke();
  for (let k = 0; k < n; k++) {
    const v = spec.values[k];
    if (!Number.isFinite(v)) continue;
    ctx.beginPath();
    ctx.arc(xOf(k), yOf(v), 2.5 * r, 0, Math.PI * 2);
    ctx.fill();
  }
  if (spec.title) {
    ctx.fillStyle = fg;
    ctx.font = `bold ${fs * 1.1}px ${family}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(fitText(ctx, spec.title, spec.width - fs * 2), spec.width / 2, fs * 1.1);
  }
  ctx.restore();
  return { plot, min, max };
}
