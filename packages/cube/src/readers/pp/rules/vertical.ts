import type { PPHeader } from '../header.js';
import { STASHCODE_IMPLIED_HEIGHTS } from '../tables/stash.generated.js';
import { one, type CoordSpec } from './coords.js';
import { stashText } from './phenomenon.js';

/** A derived coordinate a field asks for, once the field that provides `reference` is found. */
export interface FactorySpec {
  kind: 'hybrid_height' | 'hybrid_pressure';
  /** Long names of the field's coordinates for `delta` and `sigma`. */
  delta: string;
  sigma: string;
  /** The reference field: `orography` (STASH m01s00i033) or `surface_air_pressure` (m01s00i001, m01s00i409). */
  reference: 'orography' | 'surface_air_pressure';
}

/** LBVC values `verticalCoords` interprets; any other gives no vertical coordinate (as in Iris). */
export const KNOWN_LBVC: ReadonlySet<number> = new Set([0, 1, 2, 5, 6, 8, 9, 19, 65, 128, 129, 133, 134, 135, 136, 137, 138, 139, 140, 141, 142, 143, 144, 145, 146, 147, 148, 149, 150]);

/** LBLEV 9999 is the surface / zeroth rho level: model level 0. */
function modelLevel(lblev: number): number {
  return lblev === 9999 ? 0 : lblev;
}

/**
 * Iris's `_convert_vertical_coords` for one field: height (LBVC 1, or implied by the STASH code), model levels
 * and depth (2), soil levels or layers (6), pressure (8), potential temperature (19), hybrid pressure (9) and
 * hybrid height (65) levels with their derived coordinates. `real` is the dtype of the header's reals.
 */
export function verticalCoords(h: PPHeader, real: 'float32' | 'float64'): { coords: CoordSpec[]; factories: FactorySpec[] } {
  const coords: CoordSpec[] = [];
  const factories: FactorySpec[] = [];
  const lbvc = h.lbvc;
  const section = h.lbcode.length === 5;
  const stash = stashText(h);
  const mln = modelLevel(h.lblev);
  const r = (v: number) => one(v, real);
  const pair = (a: number, b: number) => (real === 'float32' ? Float32Array.of(a, b) : Float64Array.of(a, b));
  const implied = STASHCODE_IMPLIED_HEIGHTS[stash];

  if (lbvc === 1 && implied === undefined && h.blev !== -1) {
    coords.push({ standardName: 'height', units: 'm', points: r(h.blev), dtype: real, attributes: { positive: 'up' } });
  }
  if (implied !== undefined) {
    coords.push({ standardName: 'height', units: 'm', points: Float64Array.of(implied), dtype: 'float64', attributes: { positive: 'up' } });
  }
  if (!section && lbvc === 2) {
    coords.push({ standardName: 'model_level_number', units: '1', points: Int32Array.of(mln), dtype: 'int32', attributes: { positive: 'down' } });
    const bounded = h.brsvd(1) !== h.brlev;
    coords.push({
      standardName: 'depth',
      units: 'm',
      points: r(h.blev),
      dtype: real,
      ...(bounded && { bounds: pair(h.brsvd(1), h.brlev) }),
      attributes: { positive: 'down' },
    });
  }
  if (!section && lbvc === 6) {
    if (h.brsvd(1) === 0 && h.brlev === 0) {
      // The UM fills these wrongly for soil levels: Iris keeps them as levels.
      coords.push({ longName: 'soil_model_level_number', units: '1', points: Int32Array.of(mln), dtype: 'int32', attributes: { positive: 'down' } });
    } else if (h.brsvd(1) !== h.brlev) {
      coords.push({ standardName: 'depth', units: 'm', points: r(h.blev), dtype: real, bounds: pair(h.brsvd(1), h.brlev), attributes: { positive: 'down' } });
    }
  }
  if (lbvc === 8 && (!section || (h.lbcode.ix !== 1 && h.lbcode.iy !== 1))) {
    coords.push({ longName: 'pressure', units: 'hPa', points: r(h.blev), dtype: real });
  }
  if (!section && lbvc === 19) {
    coords.push({ standardName: 'air_potential_temperature', units: 'K', points: r(h.blev), dtype: real, attributes: { positive: 'up' } });
  }
  if (lbvc === 9) {
    coords.push(
      { standardName: 'model_level_number', units: '1', points: Int32Array.of(mln), dtype: 'int32', attributes: { positive: 'up' } },
      { longName: 'level_pressure', units: 'Pa', points: r(h.bhlev), dtype: real, bounds: pair(h.bhrlev, h.brsvd(2)) },
      { longName: 'sigma', units: '1', points: r(h.blev), dtype: real, bounds: pair(h.brlev, h.brsvd(1)), aux: true },
    );
    factories.push({ kind: 'hybrid_pressure', delta: 'level_pressure', sigma: 'sigma', reference: 'surface_air_pressure' });
  }
  if (lbvc === 65) {
    coords.push(
      { standardName: 'model_level_number', units: '1', points: Int32Array.of(mln), dtype: 'int32', attributes: { positive: 'up' } },
      { longName: 'level_height', units: 'm', points: r(h.blev), dtype: real, bounds: pair(h.brlev, h.brsvd(1)), attributes: { positive: 'up' } },
      { longName: 'sigma', units: '1', points: r(h.bhlev), dtype: real, bounds: pair(h.bhrlev, h.brsvd(2)), aux: true },
    );
    factories.push({ kind: 'hybrid_height', delta: 'level_height', sigma: 'sigma', reference: 'orography' });
  }
  return { coords, factories };
}

/** Iris's ensemble member (LBRSVD4) and pseudo-level (LBUSER5) scalar coordinates. */
export function memberAndPseudoLevel(h: PPHeader): CoordSpec[] {
  const coords: CoordSpec[] = [];
  if (h.lbrsvd(4) !== 0) coords.push({ standardName: 'realization', units: '1', points: Int32Array.of(h.lbrsvd(4)), dtype: 'int32' });
  if (h.lbuser(5) !== 0) coords.push({ longName: 'pseudo_level', units: '1', points: Int32Array.of(h.lbuser(5)), dtype: 'int32' });
  return coords;
}
