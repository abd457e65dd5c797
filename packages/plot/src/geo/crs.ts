/**
 * A cube's coordinate system (CF grid mapping, as the format holds it) as a proj4 transform between geographic
 * longitude/latitude and the grid's own coordinates: degrees for latitude-longitude and rotated-pole grids, metres
 * for projections. The proj4 parameters follow cartopy's (which Iris uses), so a grid lands where Iris plots it.
 */
import proj4 from 'proj4';
import type { CoordSystem, Ellipsoid } from '@cubemark/format';

/** lon/lat (degrees) to grid coordinates and back; undefined where the projection has no answer. */
export interface GeoTransform {
  /** The proj4 definition of the grid's system. */
  definition: string;
  /** Whether grid coordinates are angles (degrees) that wrap every 360 (latitude-longitude, rotated pole). */
  angular: boolean;
  forward(lon: number, lat: number): [number, number] | undefined;
  inverse(x: number, y: number): [number, number] | undefined;
}

const num = (v: number | undefined, fallback: number) => (v === undefined || !Number.isFinite(v) ? fallback : v);

/** The figure of the Earth: CF's semi-axes or inverse flattening; a sphere when only the major axis is given; WGS84 when none. */
function ellipsoidParams(e: Ellipsoid | undefined): string {
  const pm = e?.longitude_of_prime_meridian ? ` +pm=${e.longitude_of_prime_meridian}` : '';
  const a = e?.semi_major_axis;
  if (!a) return `+ellps=WGS84${pm}`;
  if (e.semi_minor_axis) return `+a=${a} +b=${e.semi_minor_axis}${pm}`;
  if (e.inverse_flattening) return `+a=${a} +rf=${e.inverse_flattening}${pm}`;
  return `+a=${a} +b=${a}${pm}`;
}

function falseOrigin(cs: { false_easting?: number; false_northing?: number }): string {
  return `+x_0=${num(cs.false_easting, 0)} +y_0=${num(cs.false_northing, 0)}`;
}

/** The proj4 definition of a coordinate system, or undefined for kinds the overlays do not draw. */
export function proj4Definition(cs: CoordSystem): string | undefined {
  switch (cs.kind) {
    case 'latitude_longitude':
      return `+proj=longlat ${ellipsoidParams(cs)} +no_defs`;
    case 'rotated_latitude_longitude':
      // cartopy's RotatedPole: the pole at (grid_north_pole_latitude, grid_north_pole_longitude), lon_0 opposite it.
      return `+proj=ob_tran +o_proj=longlat +o_lon_p=${num(cs.north_pole_grid_longitude, 0)} +o_lat_p=${cs.grid_north_pole_latitude} +lon_0=${180 + cs.grid_north_pole_longitude} ${ellipsoidParams(cs.ellipsoid)} +no_defs`;
    case 'transverse_mercator':
      return `+proj=tmerc +lat_0=${cs.latitude_of_projection_origin} +lon_0=${cs.longitude_of_central_meridian} +k=${num(cs.scale_factor_at_central_meridian, 1)} ${falseOrigin(cs)} ${ellipsoidParams(cs.ellipsoid)} +units=m +no_defs`;
    case 'lambert_conformal_conic': {
      const [lat1, lat2 = lat1] = cs.standard_parallel.length ? cs.standard_parallel : [cs.latitude_of_projection_origin];
      return `+proj=lcc +lat_1=${lat1} +lat_2=${lat2} +lat_0=${cs.latitude_of_projection_origin} +lon_0=${cs.longitude_of_central_meridian} ${falseOrigin(cs)} ${ellipsoidParams(cs.ellipsoid)} +units=m +no_defs`;
    }
    case 'mercator': {
      const scale = cs.standard_parallel !== undefined ? `+lat_ts=${cs.standard_parallel}` : `+k=${num(cs.scale_factor_at_projection_origin, 1)}`;
      return `+proj=merc +lon_0=${cs.longitude_of_projection_origin} ${scale} ${falseOrigin(cs)} ${ellipsoidParams(cs.ellipsoid)} +units=m +no_defs`;
    }
    case 'stereographic': {
      const scale = cs.standard_parallel !== undefined ? `+lat_ts=${cs.standard_parallel}` : `+k=${num(cs.scale_factor_at_projection_origin, 1)}`;
      return `+proj=stere +lat_0=${cs.latitude_of_projection_origin} +lon_0=${cs.longitude_of_projection_origin} ${scale} ${falseOrigin(cs)} ${ellipsoidParams(cs.ellipsoid)} +units=m +no_defs`;
    }
    case 'polar_stereographic': {
      const scale = cs.standard_parallel !== undefined ? `+lat_ts=${cs.standard_parallel}` : `+k=${num(cs.scale_factor_at_projection_origin, 1)}`;
      return `+proj=stere +lat_0=${cs.latitude_of_projection_origin} +lon_0=${cs.straight_vertical_longitude_from_pole} ${scale} ${falseOrigin(cs)} ${ellipsoidParams(cs.ellipsoid)} +units=m +no_defs`;
    }
    case 'lambert_azimuthal_equal_area':
      return `+proj=laea +lat_0=${cs.latitude_of_projection_origin} +lon_0=${cs.longitude_of_projection_origin} ${falseOrigin(cs)} ${ellipsoidParams(cs.ellipsoid)} +units=m +no_defs`;
    case 'albers_conical_equal_area': {
      const [lat1, lat2 = lat1] = cs.standard_parallel;
      return `+proj=aea +lat_1=${lat1} +lat_2=${lat2} +lat_0=${cs.latitude_of_projection_origin} +lon_0=${cs.longitude_of_central_meridian} ${falseOrigin(cs)} ${ellipsoidParams(cs.ellipsoid)} +units=m +no_defs`;
    }
    case 'orthographic':
      return `+proj=ortho +lat_0=${cs.latitude_of_projection_origin} +lon_0=${cs.longitude_of_projection_origin} ${falseOrigin(cs)} ${ellipsoidParams(cs.ellipsoid)} +units=m +no_defs`;
    case 'geostationary':
      return `+proj=geos +h=${cs.perspective_point_height} +lon_0=${cs.longitude_of_projection_origin} +sweep=${cs.sweep_angle_axis} ${falseOrigin(cs)} ${ellipsoidParams(cs.ellipsoid)} +units=m +no_defs`;
    default:
      return undefined;
  }
}

function ellipsoidOf(cs: CoordSystem): Ellipsoid | undefined {
  return cs.kind === 'latitude_longitude' ? cs : cs.ellipsoid;
}

function finitePair(p: readonly number[]): [number, number] | undefined {
  return Number.isFinite(p[0]) && Number.isFinite(p[1]) ? [p[0], p[1]] : undefined;
}

const transforms = new Map<string, GeoTransform>();

/**
 * The transform for a coordinate system (cached by its definition), or undefined for kinds the overlays do not
 * draw. Longitude/latitude are taken on the system's own ellipsoid, as cartopy does: no datum shift.
 */
export function geoTransform(cs: CoordSystem): GeoTransform | undefined {
  const definition = proj4Definition(cs);
  if (!definition) return undefined;
  const cached = transforms.get(definition);
  if (cached) return cached;
  const angular = cs.kind === 'latitude_longitude' || cs.kind === 'rotated_latitude_longitude';
  let transform: GeoTransform;
  if (cs.kind === 'latitude_longitude') {
    const pm = ellipsoidOf(cs)?.longitude_of_prime_meridian ?? 0;
    transform = {
      definition,
      angular,
      forward: (lon, lat) => (Number.isFinite(lon) && Number.isFinite(lat) ? [lon - pm, lat] : undefined),
      inverse: (x, y) => (Number.isFinite(x) && Number.isFinite(y) ? [x + pm, y] : undefined),
    };
  } else {
    const geographic = `+proj=longlat ${ellipsoidParams(ellipsoidOf(cs))} +no_defs`;
    const converter = proj4(geographic, definition);
    transform = {
      definition,
      angular,
      forward(lon, lat) {
        try {
          return finitePair(converter.forward([lon, lat]));
        } catch {
          return undefined;
        }
      },
      inverse(x, y) {
        try {
          return finitePair(converter.inverse([x, y]));
        } catch {
          return undefined;
        }
      },
    };
  }
  transforms.set(definition, transform);
  return transform;
}

/** Metres per unit of a projection coordinate (`m`, `km`, ...); 1 for angles and anything unknown. */
export function metresPerUnit(units: string | undefined): number {
  const u = (units ?? '').trim().toLowerCase();
  if (u === 'km' || u === 'kilometre' || u === 'kilometer' || u === 'kilometres' || u === 'kilometers') return 1000;
  if (u === '100 km' || u === '100km') return 100_000;
  return 1;
}
