/**
 * Which coordinates of a cube place its map on the Earth: the map dimensions' own coordinates in a coordinate
 * system the overlays draw (rotated pole, a projection, plain latitude-longitude), else 2-D latitude and
 * longitude auxiliary coordinates over the map dimensions, else dimension coordinates named latitude and longitude
 * without a system (taken as WGS84). The explorer and the PNG route both ask this, then fetch the points.
 */
import type { CoordSystem } from '@cubemark/format';
import { proj4Definition } from './crs.js';
import type { GridAxis, GridGeoSpec } from './grid.js';

/** What choosing needs to know of a coordinate (a format `Coord` with its key, or the API's description). */
export interface GeoCoordInfo {
  key: string;
  standard_name?: string;
  dims: readonly string[];
  units?: string;
  coord_system?: string;
}

export type GeoCoordChoice =
  | { kind: 'axes'; x: string; y: string; coordSystem: CoordSystem }
  | {
      kind: 'curvilinear';
      lon: string;
      lat: string;
      /** The 2-D coordinates run `[x, y]` (not `[y, x]`), so their values need transposing. */
      transposed: boolean;
    };

/** Plain latitude-longitude on WGS84, for lat/lon dimension coordinates that name no system. */
const WGS84: CoordSystem = { kind: 'latitude_longitude' };

export function pickGeoCoords(map: { x: string; y: string }, coords: readonly GeoCoordInfo[], coordSystems: Readonly<Record<string, CoordSystem>> = {}): GeoCoordChoice | undefined {
  const along = (dim: string) => coords.find((c) => c.dims.length === 1 && c.dims[0] === dim && c.key === dim) ?? coords.find((c) => c.dims.length === 1 && c.dims[0] === dim);
  const x = along(map.x);
  const y = along(map.y);
  const cs = x?.coord_system && x.coord_system === y?.coord_system ? coordSystems[x.coord_system] : undefined;
  if (x && y && cs && proj4Definition(cs)) return { kind: 'axes', x: x.key, y: y.key, coordSystem: cs };
  const twoD = (name: string) => coords.find((c) => c.standard_name === name && c.dims.length === 2 && c.dims.includes(map.x) && c.dims.includes(map.y));
  const lon = twoD('longitude');
  const lat = twoD('latitude');
  if (lon && lat) return { kind: 'curvilinear', lon: lon.key, lat: lat.key, transposed: lon.dims[0] === map.x };
  if (x && y && x.standard_name === 'longitude' && y.standard_name === 'latitude' && !x.coord_system) return { kind: 'axes', x: x.key, y: y.key, coordSystem: WGS84 };
  return undefined;
}

/** The grid spec from the chosen coordinates' values (2-D ones row-major in their own dimension order). */
export function gridGeoSpec(
  choice: GeoCoordChoice,
  values: { x?: GridAxis; y?: GridAxis; lon?: ArrayLike<number>; lat?: ArrayLike<number>; nx: number; ny: number },
): GridGeoSpec | undefined {
  if (choice.kind === 'axes') return values.x && values.y ? { kind: 'axes', coordSystem: choice.coordSystem, x: values.x, y: values.y } : undefined;
  const { lon, lat, nx, ny } = values;
  if (!lon || !lat || lon.length !== nx * ny || lat.length !== nx * ny) return undefined;
  if (!choice.transposed) return { kind: 'curvilinear', nx, ny, lon, lat };
  const tl = new Float64Array(nx * ny);
  const tt = new Float64Array(nx * ny);
  for (let i = 0; i < nx; i++) {
    for (let j = 0; j < ny; j++) {
      tl[j * nx + i] = lon[i * ny + j];
      tt[j * nx + i] = lat[i * ny + j];
    }
  }
  return { kind: 'curvilinear', nx, ny, lon: tl, lat: tt };
}
