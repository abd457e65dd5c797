import type { CoordSystem, Ellipsoid } from '@cubemark/format';

/** A PROJJSON object (PROJ's JSON form of a CRS, as STAC's `reference_system` takes it). */
export type ProjJson = { [key: string]: unknown };

const PROJJSON_SCHEMA = 'https://proj.org/schemas/v0.7/projjson.schema.json';
const WGS84 = { name: 'WGS 84', semi_major_axis: 6378137, inverse_flattening: 298.257223563 };

const degree = (name: string, value: number | undefined) => ({ name, value: value ?? 0, unit: 'degree' });
const metre = (name: string, value: number | undefined) => ({ name, value: value ?? 0, unit: 'metre' });
const unity = (name: string, value: number | undefined) => ({ name, value: value ?? 1, unit: 'unity' });

/** The figure of the Earth; an unspecified one (CF allows it) is taken as WGS 84, and the name says so. */
function ellipsoid(e: Ellipsoid | undefined): { [key: string]: unknown } {
  if (!e || e.semi_major_axis === undefined) return { ...WGS84, name: 'WGS 84 (the publication gives no ellipsoid)' };
  if (e.inverse_flattening !== undefined && e.inverse_flattening > 0) return { name: 'unknown', semi_major_axis: e.semi_major_axis, inverse_flattening: e.inverse_flattening };
  if (e.semi_minor_axis !== undefined && e.semi_minor_axis !== e.semi_major_axis) {
    return { name: 'unknown', semi_major_axis: e.semi_major_axis, semi_minor_axis: e.semi_minor_axis };
  }
  return { name: 'unknown', radius: e.semi_major_axis };
}

function geographic(e: Ellipsoid | undefined): { [key: string]: unknown } {
  const primeMeridian = e?.longitude_of_prime_meridian ? { prime_meridian: { name: 'unknown', longitude: e.longitude_of_prime_meridian } } : {};
  return {
    type: 'GeographicCRS',
    name: 'unknown',
    datum: { type: 'GeodeticReferenceFrame', name: 'unknown', ellipsoid: ellipsoid(e), ...primeMeridian },
    coordinate_system: {
      subtype: 'ellipsoidal',
      axis: [
        { name: 'Geodetic latitude', abbreviation: 'Lat', direction: 'north', unit: 'degree' },
        { name: 'Geodetic longitude', abbreviation: 'Lon', direction: 'east', unit: 'degree' },
      ],
    },
  };
}

/** EPSG method name and parameters of a CF grid mapping. */
function conversion(cs: Exclude<CoordSystem, { kind: 'latitude_longitude' | 'rotated_latitude_longitude' }>): { method: string; parameters: unknown[] } {
  const fe = metre('False easting', cs.false_easting);
  const fn = metre('False northing', cs.false_northing);
  /** A method whose parameters are a natural origin, the scale factor there and the false easting and northing. */
  const naturalOrigin = (method: string, latitude: number | undefined, longitude: number | undefined, scale: number | undefined) => ({
    method,
    parameters: [degree('Latitude of natural origin', latitude), degree('Longitude of natural origin', longitude), unity('Scale factor at natural origin', scale), fe, fn],
  });
  switch (cs.kind) {
    case 'transverse_mercator':
      return naturalOrigin('Transverse Mercator', cs.latitude_of_projection_origin, cs.longitude_of_central_meridian, cs.scale_factor_at_central_meridian);
    case 'lambert_conformal_conic':
    case 'albers_conical_equal_area': {
      const [sp1, sp2 = sp1] = cs.standard_parallel;
      return {
        method: cs.kind === 'lambert_conformal_conic' ? 'Lambert Conic Conformal (2SP)' : 'Albers Equal Area',
        parameters: [
          degree('Latitude of false origin', cs.latitude_of_projection_origin),
          degree('Longitude of false origin', cs.longitude_of_central_meridian),
          degree('Latitude of 1st standard parallel', sp1),
          degree('Latitude of 2nd standard parallel', sp2),
          metre('Easting at false origin', cs.false_easting),
          metre('Northing at false origin', cs.false_northing),
        ],
      };
    }
    case 'mercator':
      return cs.scale_factor_at_projection_origin !== undefined
        ? naturalOrigin('Mercator (variant A)', 0, cs.longitude_of_projection_origin, cs.scale_factor_at_projection_origin)
        : {
            method: 'Mercator (variant B)',
            parameters: [degree('Latitude of 1st standard parallel', cs.standard_parallel), degree('Longitude of natural origin', cs.longitude_of_projection_origin), fe, fn],
          };
    case 'stereographic':
      return naturalOrigin('Stereographic', cs.latitude_of_projection_origin, cs.longitude_of_projection_origin, cs.scale_factor_at_projection_origin);
    case 'polar_stereographic':
      return cs.standard_parallel !== undefined
        ? {
            method: 'Polar Stereographic (variant B)',
            parameters: [degree('Latitude of standard parallel', cs.standard_parallel), degree('Longitude of origin', cs.straight_vertical_longitude_from_pole), fe, fn],
          }
        : naturalOrigin('Polar Stereographic (variant A)', cs.latitude_of_projection_origin, cs.straight_vertical_longitude_from_pole, cs.scale_factor_at_projection_origin);
    case 'lambert_azimuthal_equal_area':
    case 'orthographic':
      return {
        method: cs.kind === 'orthographic' ? 'Orthographic' : 'Lambert Azimuthal Equal Area',
        parameters: [degree('Latitude of natural origin', cs.latitude_of_projection_origin), degree('Longitude of natural origin', cs.longitude_of_projection_origin), fe, fn],
      };
    case 'vertical_perspective':
      return {
        method: 'Vertical Perspective',
        parameters: [
          degree('Latitude of topocentric origin', cs.latitude_of_projection_origin),
          degree('Longitude of topocentric origin', cs.longitude_of_projection_origin),
          metre('Ellipsoidal height of topocentric origin', 0),
          metre('Viewpoint height', cs.perspective_point_height),
        ],
      };
    case 'geostationary':
      return {
        method: `Geostationary Satellite (Sweep ${cs.sweep_angle_axis.toUpperCase()})`,
        parameters: [degree('Longitude of natural origin', cs.longitude_of_projection_origin), metre('Satellite Height', cs.perspective_point_height), fe, fn],
      };
    case 'oblique_mercator':
    case 'rotated_mercator':
      return {
        method: 'Hotine Oblique Mercator (variant B)',
        parameters: [
          degree('Latitude of projection centre', cs.latitude_of_projection_origin),
          degree('Longitude of projection centre', cs.longitude_of_projection_origin),
          degree('Azimuth of initial line', cs.azimuth_of_central_line),
          degree('Angle from Rectified to Skew Grid', cs.azimuth_of_central_line),
          unity('Scale factor on initial line', cs.scale_factor_at_projection_origin),
          metre('Easting at projection centre', cs.false_easting),
          metre('Northing at projection centre', cs.false_northing),
        ],
      };
  }
}

/**
 * STAC's `reference_system` for a coordinate system: EPSG 4326 for latitude-longitude on WGS 84 (or an unstated
 * ellipsoid), otherwise a PROJJSON object: a geographic CRS, a derived geographic CRS for a rotated pole (PROJ's
 * netCDF CF pole rotation), or a projected CRS with the EPSG method of its CF grid mapping.
 */
export function referenceSystem(cs: CoordSystem | undefined): number | ProjJson {
  if (!cs) return 4326;
  if (cs.kind === 'latitude_longitude') {
    const wgs84 = cs.semi_major_axis === undefined || (cs.semi_major_axis === WGS84.semi_major_axis && (cs.inverse_flattening === undefined || Math.abs(cs.inverse_flattening - WGS84.inverse_flattening) < 1e-6));
    return wgs84 && !cs.longitude_of_prime_meridian ? 4326 : { $schema: PROJJSON_SCHEMA, ...geographic(cs) };
  }
  if (cs.kind === 'rotated_latitude_longitude') {
    return {
      $schema: PROJJSON_SCHEMA,
      type: 'DerivedGeographicCRS',
      name: 'rotated pole',
      base_crs: geographic(cs.ellipsoid),
      conversion: {
        name: 'Pole rotation (netCDF CF convention)',
        method: { name: 'Pole rotation (netCDF CF convention)' },
        parameters: [
          degree('Grid north pole latitude (netCDF CF convention)', cs.grid_north_pole_latitude),
          degree('Grid north pole longitude (netCDF CF convention)', cs.grid_north_pole_longitude),
          degree('North pole grid longitude (netCDF CF convention)', cs.north_pole_grid_longitude),
        ],
      },
      coordinate_system: {
        subtype: 'ellipsoidal',
        axis: [
          { name: 'Rotated latitude', abbreviation: 'lat', direction: 'north', unit: 'degree' },
          { name: 'Rotated longitude', abbreviation: 'lon', direction: 'east', unit: 'degree' },
        ],
      },
    };
  }
  const { method, parameters } = conversion(cs);
  return {
    $schema: PROJJSON_SCHEMA,
    type: 'ProjectedCRS',
    name: 'unknown',
    base_crs: geographic(cs.ellipsoid),
    conversion: { name: 'unknown', method: { name: method }, parameters },
    coordinate_system: {
      subtype: 'Cartesian',
      axis: [
        { name: 'Easting', abbreviation: 'E', direction: 'east', unit: 'metre' },
        { name: 'Northing', abbreviation: 'N', direction: 'north', unit: 'metre' },
      ],
    },
  };
}

const RAD = Math.PI / 180;

/** True latitude and longitude (degrees) of a point on a rotated-pole grid (CF rotated_latitude_longitude). */
export function unrotate(rlat: number, rlon: number, poleLat: number, poleLon: number, northPoleGridLon = 0): [number, number] {
  const phi = rlat * RAD;
  const lam = (rlon - northPoleGridLon) * RAD;
  const x = Math.cos(phi) * Math.cos(lam);
  const y = Math.cos(phi) * Math.sin(lam);
  const z = Math.sin(phi);
  // Tilt the rotated pole down to the true pole's latitude (about y), then turn to its longitude (about z).
  const t = -(90 - poleLat) * RAD;
  const x1 = x * Math.cos(t) + z * Math.sin(t);
  const z1 = -x * Math.sin(t) + z * Math.cos(t);
  const lat = Math.asin(Math.max(-1, Math.min(1, z1))) / RAD;
  let lon = Math.atan2(y, x1) / RAD + poleLon + 180;
  lon = ((((lon + 180) % 360) + 360) % 360) - 180;
  return [lat, lon];
}
