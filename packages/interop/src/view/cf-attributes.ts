import { CF_FORMULAS, type AttributeValue, type Attributes, type CellMethod, type Coord, type CoordSystem, type Ellipsoid, type FactoryKind } from '@cubemark/format';
import type { NcAttribute } from './types.js';

/** CF attributes and names as Iris writes them: names, units, cell methods, grid mappings, axes, formulas. */

/** The argument of each Iris aux factory whose variable carries the formula (CF's names: format's `CF_FORMULAS`). */
export const FORMULA_PRIMARY: Record<FactoryKind, string> = {
  hybrid_height: 'delta',
  hybrid_pressure: 'delta',
  atmosphere_sigma: 'sigma',
  ocean_sigma_z: 'zlev',
  ocean_sigma: 'sigma',
  ocean_s: 's',
  ocean_s_g1: 's',
  ocean_s_g2: 's',
};

/** A NetCDF-safe name (letters, digits, `_ . @ + -`, not starting with a digit or punctuation). */
export function safeName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_.@+-]/g, '_');
  return /^[A-Za-z_]/.test(s) ? s : `_${s}`;
}

/** CF `cell_methods` text: `time: mean (interval: 1 hour comment: x)`. */
export function cellMethodsText(methods: readonly CellMethod[]): string {
  return methods
    .map((m) => {
      const head = [...m.coords.map((c) => `${c}:`), m.method].join(' ');
      const extra = [...m.intervals.map((i) => `interval: ${i}`), ...m.comments.map((c) => (m.intervals.length ? `comment: ${c}` : c))].join(' ');
      return extra ? `${head} (${extra})` : head;
    })
    .join(' ');
}
export const f64 = (v: number): AttributeValue => ({ dtype: 'float64', values: Float64Array.of(v) });
export function attributeList(attrs: Attributes): NcAttribute[] {
  return Object.entries(attrs).map(([name, value]) => ({ name, value }));
}

/** CF units of latitude and longitude in degrees (Iris writes these for the true latitude and longitude). */
function cfUnits(standardName: string | undefined, units: string): string {
  if (units !== 'degrees') return units;
  if (standardName === 'latitude') return 'degrees_north';
  if (standardName === 'longitude') return 'degrees_east';
  return units;
}

export function namesAttributes(item: { standard_name?: string; long_name?: string; units?: string; calendar?: string }): NcAttribute[] {
  const out: NcAttribute[] = [];
  if (item.standard_name) out.push({ name: 'standard_name', value: item.standard_name });
  if (item.long_name) out.push({ name: 'long_name', value: item.long_name });
  if (item.units !== undefined && item.units !== 'unknown') out.push({ name: 'units', value: cfUnits(item.standard_name, item.units) });
  if (item.calendar) out.push({ name: 'calendar', value: item.calendar });
  return out;
}

const ELLIPSOID_KEYS = new Set(['semi_major_axis', 'semi_minor_axis', 'inverse_flattening', 'longitude_of_prime_meridian']);

/** CF figure-of-the-Earth attributes, as Iris writes them: `earth_radius` for a sphere, else both semi-axes. */
function ellipsoidAttributes(e: Ellipsoid): NcAttribute[] {
  const out: NcAttribute[] = [];
  const a = e.semi_major_axis;
  if (a !== undefined) {
    const b = e.semi_minor_axis ?? (e.inverse_flattening ? a - a / e.inverse_flattening : a);
    if (b === a) out.push({ name: 'earth_radius', value: f64(a) });
    else out.push({ name: 'semi_major_axis', value: f64(a) }, { name: 'semi_minor_axis', value: f64(b) });
  }
  if (e.longitude_of_prime_meridian !== undefined) out.push({ name: 'longitude_of_prime_meridian', value: f64(e.longitude_of_prime_meridian) });
  return out;
}

/** CF grid-mapping attributes of a coordinate system. */
export function gridMappingAttributes(cs: CoordSystem): NcAttribute[] {
  const out: NcAttribute[] = [{ name: 'grid_mapping_name', value: cs.kind }];
  const flat = cs as unknown as Record<string, unknown>;
  const ellipsoid = (cs.kind === 'latitude_longitude' ? cs : (flat.ellipsoid as Ellipsoid | undefined)) ?? {};
  for (const [key, value] of Object.entries(cs)) {
    if (key === 'kind' || key === 'ellipsoid' || ELLIPSOID_KEYS.has(key) || value === undefined) continue;
    if (typeof value === 'number') {
      out.push({ name: key, value: f64(value) });
    } else if (Array.isArray(value)) {
      out.push({ name: key, value: { dtype: 'float64', values: Float64Array.from(value as number[]) } });
    } else if (typeof value === 'string') {
      out.push({ name: key, value });
    }
  }
  out.push(...ellipsoidAttributes(ellipsoid));
  return out;
}

const X_NAMES = new Set(['longitude', 'grid_longitude', 'projection_x_coordinate']);
const Y_NAMES = new Set(['latitude', 'grid_latitude', 'projection_y_coordinate']);
const Z_NAMES = new Set([...Object.values(CF_FORMULAS).map((f) => f.standard_name), 'altitude', 'height', 'depth', 'air_pressure', 'model_level_number']);
const PRESSURE = /^(h|k)?pa$|^mbar$|^millibar$|^bar$/i;

/** Iris's guess of a 1-D coordinate's axis (`guess_coord_axis`), written as CF `axis`. */
export function axisOf(coord: Coord): 'X' | 'Y' | 'Z' | 'T' | undefined {
  const name = coord.standard_name ?? '';
  if (X_NAMES.has(name)) return 'X';
  if (Y_NAMES.has(name)) return 'Y';
  if (/ since /i.test(coord.units)) return 'T';
  if (Z_NAMES.has(name) || PRESSURE.test(coord.units) || coord.attributes.positive !== undefined) return 'Z';
  return undefined;
}
