import { rgb } from 'd3-color';
import {
  interpolateBrBG,
  interpolateCividis,
  interpolateInferno,
  interpolateMagma,
  interpolatePlasma,
  interpolatePuOr,
  interpolateRdBu,
  interpolateViridis,
} from 'd3-scale-chromatic';
import { PlotError } from '../errors.js';

export type ColormapKind = 'sequential' | 'diverging';

export interface ColormapInfo {
  kind: ColormapKind;
  /** What it is good for, for a picker's tooltip. */
  description: string;
  /** Colour at `t` in [0, 1], as CSS text (d3 interpolators return `rgb(…)` or `#rrggbb`). */
  interpolate(t: number): string;
}

/**
 * The colour maps offered. Sequential ones are perceptually uniform (viridis family, cividis also for colour-vision
 * deficiency). Diverging ones are ColorBrewer's, reversed where needed so that low values are cool (blue) and high
 * ones warm (red), as meteorologists expect of anomalies and wind components.
 */
export const COLORMAPS = {
  viridis: { kind: 'sequential', description: 'perceptually uniform, blue to yellow (default)', interpolate: interpolateViridis },
  cividis: { kind: 'sequential', description: 'perceptually uniform and readable with colour-vision deficiency', interpolate: interpolateCividis },
  magma: { kind: 'sequential', description: 'perceptually uniform, black to light yellow', interpolate: interpolateMagma },
  inferno: { kind: 'sequential', description: 'perceptually uniform, black to yellow', interpolate: interpolateInferno },
  plasma: { kind: 'sequential', description: 'perceptually uniform, blue to yellow through pink', interpolate: interpolatePlasma },
  RdBu_r: { kind: 'diverging', description: 'blue below zero, red above (default when the data span 0)', interpolate: (t: number) => interpolateRdBu(1 - t) },
  PuOr_r: { kind: 'diverging', description: 'purple below zero, orange above', interpolate: (t: number) => interpolatePuOr(1 - t) },
  BrBG: { kind: 'diverging', description: 'brown below zero, teal above (precipitation anomalies)', interpolate: interpolateBrBG },
} as const satisfies Record<string, ColormapInfo>;

export type ColormapName = keyof typeof COLORMAPS;

export const COLORMAP_NAMES = Object.keys(COLORMAPS) as ColormapName[];

/** The default colour map of each kind. */
export const DEFAULT_COLORMAP: Record<ColormapKind, ColormapName> = { sequential: 'viridis', diverging: 'RdBu_r' };

export function isColormapName(name: string): name is ColormapName {
  return Object.hasOwn(COLORMAPS, name);
}

export function colormapInfo(name: string): ColormapInfo {
  if (!isColormapName(name)) {
    throw new PlotError('UNKNOWN_COLORMAP', `unknown colour map '${name}'; known: ${COLORMAP_NAMES.join(', ')}`);
  }
  return COLORMAPS[name];
}

/** Number of entries in a lookup table (as matplotlib's default `N`). */
export const LUT_SIZE = 256;

const lutCache = new Map<string, Uint8ClampedArray>();

/**
 * The colour map as a lookup table of `LUT_SIZE` opaque RGBA entries (4 bytes each), entry `k` being the colour at
 * `k / (LUT_SIZE - 1)`. Cached: building one parses 256 CSS colours, drawing a field must not.
 */
export function colormapLut(name: ColormapName | string): Uint8ClampedArray {
  let lut = lutCache.get(name);
  if (lut) return lut;
  const { interpolate } = colormapInfo(name);
  lut = new Uint8ClampedArray(LUT_SIZE * 4);
  for (let k = 0; k < LUT_SIZE; k++) {
    const c = rgb(interpolate(k / (LUT_SIZE - 1)));
    lut[k * 4] = c.r;
    lut[k * 4 + 1] = c.g;
    lut[k * 4 + 2] = c.b;
    lut[k * 4 + 3] = 255;
  }
  lutCache.set(name, lut);
  return lut;
}

/** CSS `rgb(r g b)` of a colour map at `t` in [0, 1] (for legends and line colours). */
export function colormapCss(name: ColormapName | string, t: number): string {
  const lut = colormapLut(name);
  const k = Math.round(Math.min(1, Math.max(0, t)) * (LUT_SIZE - 1)) * 4;
  return `rgb(${lut[k]} ${lut[k + 1]} ${lut[k + 2]})`;
}
