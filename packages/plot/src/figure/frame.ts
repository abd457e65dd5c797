import { fitText, type Canvas2D, type Rect } from './canvas.js';

/** What every figure takes besides what it shows: its size, type and colours. */
export interface FigureFrame {
  /** Figure size in pixels. */
  width: number;
  height: number;
  /** Base font size in pixels (default: 12, scaled by `pixelRatio`). */
  fontSize?: number;
  fontFamily?: string;
  /** Device pixels per CSS pixel: everything but the data is scaled by it (default: 1). */
  pixelRatio?: number;
  /** Figure background (default: white). Missing values show it. */
  background?: string;
  /** Text and line colour (default: near black). */
  foreground?: string;
}

/** A tick at a figure pixel along its axis, and its label. */
export interface PlacedTick {
  at: number;
  label: string;
}

/** What `drawAxes` draws: ticks below and left of the plot, and the axes' labels. */
export interface PlotAxes {
  x: readonly PlacedTick[];
  y: readonly PlacedTick[];
  xLabel?: string;
  yLabel?: string;
}

/**
 * The plot's border in `foreground`, x ticks below it, y ticks left of it, and the axis labels (y rotated, just left
 * of the widest tick label but never off the figure). Leaves the font at `fontSize` and both styles `foreground`.
 */
export function drawAxes<I>(
  ctx: Canvas2D<I>,
  layout: { width: number; height: number; plot: Rect; fontSize: number },
  style: { foreground: string; family: string; lineWidth: number },
  axes: PlotAxes,
): void {
  const { plot, fontSize: fs } = layout;
  ctx.strokeStyle = style.foreground;
  ctx.fillStyle = style.foreground;
  ctx.lineWidth = style.lineWidth;
  ctx.strokeRect(plot.x, plot.y, plot.width, plot.height);
  ctx.font = `${fs}px ${style.family}`;
  const tick = fs * 0.4;

  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of axes.x) {
    ctx.beginPath();
    ctx.moveTo(t.at, plot.y + plot.height);
    ctx.lineTo(t.at, plot.y + plot.height + tick);
    ctx.stroke();
    ctx.fillText(t.label, t.at, plot.y + plot.height + tick * 1.5);
  }
  if (axes.xLabel) ctx.fillText(fitText(ctx, axes.xLabel, layout.width - fs), plot.x + plot.width / 2, plot.y + plot.height + fs * 2);

  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  let widest = 0;
  for (const t of axes.y) {
    ctx.beginPath();
    ctx.moveTo(plot.x, t.at);
    ctx.lineTo(plot.x - tick, t.at);
    ctx.stroke();
    ctx.fillText(t.label, plot.x - tick * 1.5, t.at);
    widest = Math.max(widest, ctx.measureText(t.label).width);
  }
  if (axes.yLabel) {
    ctx.save();
    ctx.translate(Math.max(fs * 0.7, plot.x - tick * 1.5 - widest - fs * 0.8), plot.y + plot.height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText(fitText(ctx, axes.yLabel, layout.height - fs), 0, 0);
    ctx.restore();
  }
}
