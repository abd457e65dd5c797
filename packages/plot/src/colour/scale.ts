import { PlotError } from '../errors.js';
import { checkField, type Field2D } from '../field.js';
import { colormapInfo, DEFAULT_COLORMAP, type ColormapKind, type ColormapName } from './colormaps.js';

/** Most values looked at to estimate percentiles: beyond it, an evenly strided sample is used. */
export const PERCENTILE_SAMPLE = 1 << 16;

/**
 * The `lower`-th and `upper`-th percentiles (0–100) of the values that are not missing, or undefined when every
 * value is missing. Robust to a few wild values (a fill value that was not declared, a spike) that would
 * otherwise squash every other colour into one end of the map. Exact up to `PERCENTILE_SAMPLE` values, estimated
 * from an evenly strided sample above it (a UKV slice has ~500 000; sorting all of them would cost ~30 ms per
 * redraw, the sample ~3 ms, and colour limits do not need more precision).
 */
export function robustRange(field: Field2D, lower = 2, upper = 98): [number, number] | undefined {
  checkField(field);
  if (!(lower >= 0 && upper <= 100 && lower <= upper)) {
    throw new PlotError('BAD_RANGE', `percentiles must satisfy 0 <= lower <= upper <= 100; got ${lower}, ${upper}`);
  }
  const { values, mask } = field;
  const stride = Math.max(1, Math.ceil(values.length / PERCENTILE_SAMPLE));
  const sample = new Float64Array(Math.ceil(values.length / stride));
  let n = 0;
  for (let k = 0; k < values.length; k += stride) {
    const v = values[k];
    if (v !== v || (mask && mask[k])) continue;
    sample[n++] = v;
  }
  if (n === 0) return undefined;
  const sorted = sample.subarray(0, n).sort();
  return [quantileOfSorted(sorted, lower / 100), quantileOfSorted(sorted, upper / 100)];
}

/** The p-quantile of sorted values, interpolating linearly (R-7, as d3's `quantileSorted` and NumPy's default). */
function quantileOfSorted(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const k = Math.floor(h);
  return k + 1 < sorted.length ? sorted[k] + (sorted[k + 1] - sorted[k]) * (h - k) : sorted[k];
}

export interface ColourScaleOptions {
  /** Fixed data range `[min, max]`; when given, no percentiles are computed (default: the robust range). */
  range?: readonly [number, number];
  /** Percentiles for the robust range (default: `[2, 98]`). */
  percentiles?: readonly [number, number];
  /**
   * `sequential`, `diverging` (centred on 0, symmetric), or `auto` (default): diverging when the range spans 0
   * (one end below, the other above), so that the sign of a wind component or anomaly reads at a glance.
   */
  kind?: ColormapKind | 'auto';
  /** Colour map (default: viridis for sequential, RdBu_r for diverging). */
  colormap?: ColormapName;
}

/** How values become colours: linear from `min` (first colour) to `max` (last), clamped at both ends. */
export interface ColourScale {
  kind: ColormapKind;
  colormap: ColormapName;
  min: number;
  max: number;
}

/**
 * The colour scale for a field. All-missing fields get `[0, 1]` so that a figure can still be drawn (empty), and
 * a constant field gets a range of ±0.5 around its value (or ±0.5 % of it) so its one colour sits mid-map.
 */
export function colourScale(field: Field2D, options: ColourScaleOptions = {}): ColourScale {
  let range: readonly [number, number] | undefined = options.range;
  if (range) {
    if (!Number.isFinite(range[0]) || !Number.isFinite(range[1]) || range[0] > range[1]) {
      throw new PlotError('BAD_RANGE', `a colour range needs finite min <= max; got [${range[0]}, ${range[1]}]`);
    }
  } else {
    const [lo, hi] = options.percentiles ?? [2, 98];
    range = robustRange(field, lo, hi) ?? [0, 1];
  }
  let [min, max] = range;
  const spansZero = min < 0 && max > 0;
  const kind: ColormapKind =
    options.kind === 'sequential' || options.kind === 'diverging'
      ? options.kind
      : options.colormap
        ? colormapInfo(options.colormap).kind
        : spansZero
          ? 'diverging'
          : 'sequential';
  if (kind === 'diverging') {
    // Symmetric about 0 so that white (the map's middle) means zero, whatever the data's skew.
    const m = Math.max(Math.abs(min), Math.abs(max)) || 1;
    min = -m;
    max = m;
  } else if (min === max) {
    const pad = min === 0 ? 0.5 : Math.abs(min) * 0.005;
    min -= pad;
    max += pad;
  }
  const colormap = options.colormap ?? DEFAULT_COLORMAP[kind];
  colormapInfo(colormap);
  return { kind, colormap, min, max };
}

/** Where `value` falls on the scale, in [0, 1] (clamped). */
export function scaleFraction(scale: ColourScale, value: number): number {
  const t = (value - scale.min) / (scale.max - scale.min);
  return t <= 0 ? 0 : t >= 1 ? 1 : t;
}
