import type { Attributes, CoordSystem, Ellipsoid } from '@cubemark/format';
import { textAttribute } from './units.js';
import type { WarningLog } from './warnings.js';

/**
 * CF grid mappings as Iris reads them (`_nc_load_rules.helpers.build_*_coordinate_system`): the grid_mapping_name
 * picks the coordinate system, its CF parameters fill it, Iris's defaults stand in where Iris has them, and a
 * grid mapping Iris cannot build (unknown name, unsupported or missing parameters) gives none, with a warning.
 */

function numbers(attributes: Attributes, name: string): number[] | undefined {
  const value = attributes[name];
  if (value === undefined || typeof value === 'string' || Array.isArray(value)) {
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return [Number(value)];
    return undefined;
  }
  return Array.from(value.values as ArrayLike<number | bigint>, Number);
}

function number(attributes: Attributes, name: string): number | undefined {
  return numbers(attributes, name)?.[0];
}

/**
 * Iris's `_get_ellipsoid`: semi-major and semi-minor axes (inverse flattening is dropped when both are given), or
 * one axis and the inverse flattening, or `earth_radius` for a sphere; completed as Iris's GeogCS completes it.
 */
export function ellipsoidOf(attributes: Attributes): Ellipsoid | undefined {
  let major = number(attributes, 'semi_major_axis');
  let minor = number(attributes, 'semi_minor_axis');
  let inverse = number(attributes, 'inverse_flattening');
  if (major !== undefined && minor !== undefined) inverse = undefined;
  if (major === undefined && minor === undefined && inverse === undefined) major = number(attributes, 'earth_radius');
  if (major === undefined && minor === undefined && inverse === undefined) return undefined;
  if (major === undefined && minor !== undefined && inverse !== undefined && inverse !== 0) major = minor / (1 - 1 / inverse);
  if (major === undefined) major = minor;
  if (major === undefined) return undefined;
  if (minor === undefined) minor = inverse === undefined || inverse === 0 ? major : major - major / inverse;
  if (inverse === undefined) inverse = major === minor ? 0 : 1 / ((major - minor) / major);
  const ellipsoid: Ellipsoid = { semi_major_axis: major, semi_minor_axis: minor, inverse_flattening: inverse };
  const meridian = number(attributes, 'longitude_of_prime_meridian');
  if (meridian !== undefined && meridian !== 0) ellipsoid.longitude_of_prime_meridian = meridian;
  return ellipsoid;
}

/** How a grid mapping's coordinates are classed by Iris: geographic, rotated, or projected. */
export type GridClass = 'latlon' | 'rotated' | 'projected';

export function gridClassOf(cs: CoordSystem): GridClass {
  if (cs.kind === 'latitude_longitude') return 'latlon';
  if (cs.kind === 'rotated_latitude_longitude') return 'rotated';
  return 'projected';
}

class MissingParameter extends Error {}

/** The coordinate system of a grid mapping variable, or undefined (with a warning) when Iris would build none. */
export function coordSystemOf(name: string, attributes: Attributes, log: WarningLog): CoordSystem | undefined {
  const mapping = textAttribute(attributes, 'grid_mapping_name')?.toLowerCase();
  if (mapping === undefined) {
    log.add('CF_GRID_MAPPING', `Coordinate system not created: grid mapping variable '${name}' has no grid_mapping_name.`, name);
    return undefined;
  }
  const get = (p: string): number | undefined => number(attributes, p);
  const need = (p: string, fallback?: number): number => {
    const v = get(p) ?? fallback;
    if (v === undefined) throw new MissingParameter(p);
    return v;
  };
  const ellipsoid = ellipsoidOf(attributes);
  const projected = (): { false_easting?: number; false_northing?: number; ellipsoid?: Ellipsoid } => {
    const out: { false_easting?: number; false_northing?: number; ellipsoid?: Ellipsoid } = {};
    const fe = get('false_easting');
    const fn = get('false_northing');
    if (fe !== undefined) out.false_easting = fe;
    if (fn !== undefined) out.false_northing = fn;
    if (ellipsoid) out.ellipsoid = ellipsoid;
    return out;
  };
  const optional = <K extends string>(key: K, value: number | undefined): { [P in K]?: number } =>
    (value === undefined ? {} : { [key]: value }) as { [P in K]?: number };
  const invalid = (why: string): undefined => {
    log.add('CF_GRID_MAPPING', `Coordinate system not created from grid mapping variable '${name}' (${mapping}): ${why}.`, name);
    return undefined;
  };
  // Mercator and polar stereographic are scaled by a standard parallel or a scale factor, not both.
  const parallelOrScale = () => {
    const standardParallel = get('standard_parallel');
    const scale = get('scale_factor_at_projection_origin');
    return {
      given: (standardParallel !== undefined ? 1 : 0) + (scale !== undefined ? 1 : 0),
      fields: { ...optional('standard_parallel', standardParallel), ...optional('scale_factor_at_projection_origin', scale) },
    };
  };
  const BOTH_GIVEN = 'it does not make sense to provide both "scale_factor_at_projection_origin" and "standard_parallel"';
  try {
    switch (mapping) {
      case 'latitude_longitude':
        if (!ellipsoid) return invalid('no ellipsoid specified');
        return { kind: 'latitude_longitude', ...ellipsoid };
      case 'rotated_latitude_longitude':
        return {
          kind: 'rotated_latitude_longitude',
          grid_north_pole_latitude: get('grid_north_pole_latitude') ?? 90,
          grid_north_pole_longitude: get('grid_north_pole_longitude') ?? 0,
          north_pole_grid_longitude: get('north_pole_grid_longitude') ?? 0,
          ...(ellipsoid && { ellipsoid }),
        };
      case 'transverse_mercator':
        return {
          kind: 'transverse_mercator',
          latitude_of_projection_origin: need('latitude_of_projection_origin'),
          // CF names the meridian two ways for this projection; Iris takes either.
          longitude_of_central_meridian: need('longitude_of_central_meridian', get('longitude_of_projection_origin')),
          ...optional('scale_factor_at_central_meridian', get('scale_factor_at_central_meridian') ?? get('scale_factor_at_projection_origin')),
          ...projected(),
        };
      case 'lambert_conformal_conic':
        return {
          kind: 'lambert_conformal_conic',
          latitude_of_projection_origin: get('latitude_of_projection_origin') ?? 39,
          longitude_of_central_meridian: get('longitude_of_central_meridian') ?? -96,
          standard_parallel: numbers(attributes, 'standard_parallel') ?? [33, 45],
          ...projected(),
        };
      case 'mercator': {
        const scaling = parallelOrScale();
        if (scaling.given === 2) return invalid(BOTH_GIVEN);
        return {
          kind: 'mercator',
          longitude_of_projection_origin: get('longitude_of_projection_origin') ?? 0,
          ...scaling.fields,
          ...projected(),
        };
      }
      case 'stereographic':
        return {
          kind: 'stereographic',
          latitude_of_projection_origin: need('latitude_of_projection_origin'),
          longitude_of_projection_origin: need('longitude_of_projection_origin'),
          ...optional('scale_factor_at_projection_origin', get('scale_factor_at_projection_origin')),
          ...projected(),
        };
      case 'polar_stereographic': {
        const latitude = get('latitude_of_projection_origin');
        const scaling = parallelOrScale();
        if (latitude !== 90 && latitude !== -90) return invalid('"latitude_of_projection_origin" must be +90 or -90');
        if (scaling.given === 2) return invalid(BOTH_GIVEN);
        if (scaling.given === 0) return invalid('one of "scale_factor_at_projection_origin" and "standard_parallel" is required');
        return {
          kind: 'polar_stereographic',
          latitude_of_projection_origin: latitude,
          straight_vertical_longitude_from_pole: need('straight_vertical_longitude_from_pole'),
          ...scaling.fields,
          ...projected(),
        };
      }
      case 'lambert_azimuthal_equal_area':
        return {
          kind: 'lambert_azimuthal_equal_area',
          latitude_of_projection_origin: get('latitude_of_projection_origin') ?? 0,
          longitude_of_projection_origin: get('longitude_of_projection_origin') ?? 0,
          ...projected(),
        };
      case 'albers_conical_equal_area':
        return {
          kind: 'albers_conical_equal_area',
          latitude_of_projection_origin: get('latitude_of_projection_origin') ?? 0,
          longitude_of_central_meridian: get('longitude_of_central_meridian') ?? 0,
          standard_parallel: numbers(attributes, 'standard_parallel') ?? [20, 50],
          ...projected(),
        };
      case 'vertical_perspective':
        return {
          kind: 'vertical_perspective',
          latitude_of_projection_origin: need('latitude_of_projection_origin'),
          longitude_of_projection_origin: need('longitude_of_projection_origin'),
          perspective_point_height: need('perspective_point_height'),
          ...projected(),
        };
      case 'geostationary': {
        const sweep = textAttribute(attributes, 'sweep_angle_axis')?.trim().toLowerCase();
        if (sweep !== 'x' && sweep !== 'y') return invalid('sweep_angle_axis must be "x" or "y"');
        return {
          kind: 'geostationary',
          latitude_of_projection_origin: need('latitude_of_projection_origin'),
          longitude_of_projection_origin: need('longitude_of_projection_origin'),
          perspective_point_height: need('perspective_point_height'),
          sweep_angle_axis: sweep,
          ...projected(),
        };
      }
      case 'oblique_mercator':
      case 'rotated_mercator':
        return {
          kind: mapping,
          // A rotated Mercator is an oblique one whose central line runs at 90 degrees.
          azimuth_of_central_line: mapping === 'rotated_mercator' ? 90 : need('azimuth_of_central_line'),
          latitude_of_projection_origin: need('latitude_of_projection_origin'),
          longitude_of_projection_origin: need('longitude_of_projection_origin'),
          ...optional('scale_factor_at_projection_origin', get('scale_factor_at_projection_origin')),
          ...projected(),
        };
      case 'orthographic':
        // The format has the kind (Iris writes it), but Iris's loader has no rule for it: neither has this one.
        log.add(
          'CF_UNHANDLED_GRID_MAPPING',
          `Grid mapping variable '${name}' (orthographic): Iris has no rule to load orthographic projections, so no coordinate system is made and the projection coordinates that need one are not created (as Iris does not create them).`,
          name,
        );
        return undefined;
      default:
        return invalid(`unhandled grid mapping type '${mapping}'`);
    }
  } catch (error) {
    if (error instanceof MissingParameter) return invalid(`no ${error.message}`);
    throw error;
  }
}

/**
 * A `grid_mapping` attribute, as Iris's `_parse_extended_grid_mapping`: `crs` (one mapping for the dimension
 * coordinates: key `null`) or `crs: lat lon crs2: x y` (coordinate → mapping variable). Undefined when malformed.
 */
export function parseGridMapping(text: string): Map<string | null, string> | undefined {
  const trimmed = text.trim();
  if (/^\w+$/.test(trimmed)) return new Map([[null, trimmed]]);
  if (/\w+: +\w+:/.test(trimmed) || /\w+: *$/.test(trimmed) || /^\w+ +\w+/.test(trimmed)) return undefined;
  const result = new Map<string | null, string>();
  for (const m of trimmed.matchAll(/(\w+):((?:\s+(?!\w+:)\w+)+)/g)) {
    for (const coord of m[2].trim().split(/\s+/)) result.set(coord, m[1]);
  }
  return result.size > 0 ? result : undefined;
}
