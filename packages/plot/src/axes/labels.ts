import { nameOf, type CoordSystem, type CoordSystemKind, type Names } from '@cubemark/format';

/** Short human names of coordinate systems, as an axis label qualifier. */
export const COORD_SYSTEM_LABELS: Record<CoordSystemKind, string> = {
  latitude_longitude: 'geographic',
  rotated_latitude_longitude: 'rotated pole',
  transverse_mercator: 'transverse Mercator',
  lambert_conformal_conic: 'Lambert conformal',
  mercator: 'Mercator',
  stereographic: 'stereographic',
  polar_stereographic: 'polar stereographic',
  lambert_azimuthal_equal_area: 'Lambert azimuthal equal area',
  albers_conical_equal_area: 'Albers equal area',
  orthographic: 'orthographic',
  vertical_perspective: 'vertical perspective',
  geostationary: 'geostationary',
  oblique_mercator: 'oblique Mercator',
  rotated_mercator: 'rotated Mercator',
};

/**
 * What an axis label needs of a coordinate: its names and units. A format `Coord` is one, and so is the API's
 * JSON description of a coordinate.
 */
export interface LabelledCoord extends Names {
  units?: string;
}

/** What to put on an axis for a coordinate. */
export interface AxisLabel {
  /** The coordinate's name, qualified by its coordinate system when that is not plain geographic. */
  name: string;
  units?: string;
  /** `name / units` (Iris quickplot's style), or just `name` for dimensionless or unknown units. */
  text: string;
}

/**
 * The label of an axis drawn along `coord`. A coordinate on a non-geographic grid says so (`grid_latitude
 * (rotated pole)`): a rotated-pole latitude is not a latitude, and a reader who takes it for one misplaces the
 * field by thousands of kilometres.
 */
export function axisLabel(coord: LabelledCoord, coordSystem?: Pick<CoordSystem, 'kind'>): AxisLabel {
  let name = nameOf(coord);
  if (coordSystem && coordSystem.kind !== 'latitude_longitude') name += ` (${COORD_SYSTEM_LABELS[coordSystem.kind]})`;
  const units = coord.units && coord.units !== 'unknown' && coord.units !== 'no_unit' && coord.units !== '1' ? coord.units : undefined;
  return { name, units, text: units ? `${name} / ${units}` : name };
}

/** Units shown next to a value or on a colour bar: `K`, or nothing for `unknown`/`no_unit`. */
export function unitsText(units: string | undefined): string {
  return !units || units === 'unknown' || units === 'no_unit' ? '' : units;
}
