import type { ArrayData, Coord, Publication } from '@cubemark/format';
import { decodeTime, isTimeReference, regularValues } from '@cubemark/format';
import { cannotExpress } from '../errors.js';
import type { SourceAccess } from '../sources.js';
import { netcdfView, type NcVariable } from '../view/netcdf-view.js';
import { referenceSystem, unrotate, type ProjJson } from './crs.js';

export const STAC_VERSION = '1.0.0';
export const DATACUBE_EXTENSION = 'https://stac-extensions.github.io/datacube/v2.3.0/schema.json';
const TARGET = 'a STAC Item';

/** A STAC Item (GeoJSON Feature) with the datacube extension; the fields cubemark writes. */
export interface StacItem {
  type: 'Feature';
  stac_version: string;
  stac_extensions: string[];
  id: string;
  geometry: { type: 'Polygon'; coordinates: number[][][] } | null;
  bbox?: number[];
  properties: {
    datetime: string | null;
    start_datetime?: string;
    end_datetime?: string;
    title?: string;
    description?: string;
    created?: string;
    updated?: string;
    'cube:dimensions': Record<string, DatacubeDimension>;
    'cube:variables': Record<string, DatacubeVariable>;
    [key: string]: unknown;
  };
  links: { rel: string; href: string; type?: string; title?: string }[];
  assets: Record<string, { href: string; type?: string; title?: string; roles?: string[] }>;
  collection?: string;
}

export interface DatacubeDimension {
  type: string;
  axis?: 'x' | 'y' | 'z';
  description?: string;
  extent?: (number | string | null)[];
  values?: (number | string)[];
  step?: number | null;
  unit?: string;
  reference_system?: number | ProjJson;
}

export interface DatacubeVariable {
  dimensions: string[];
  variable_type: 'data' | 'auxiliary';
  description?: string;
  unit?: string;
}

const X_NAMES = new Set(['longitude', 'grid_longitude', 'projection_x_coordinate', 'projection_x_angular_coordinate']);
const Y_NAMES = new Set(['latitude', 'grid_latitude', 'projection_y_coordinate', 'projection_y_angular_coordinate']);
const Z_NAMES = new Set([
  'altitude',
  'height',
  'height_above_reference_ellipsoid',
  'depth',
  'air_pressure',
  'model_level_number',
  'atmosphere_hybrid_height_coordinate',
  'atmosphere_hybrid_sigma_pressure_coordinate',
  'atmosphere_sigma_coordinate',
  'level_height',
]);
const GREGORIAN = new Set(['standard', 'gregorian', 'proleptic_gregorian']);

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function numbersOf(values: ArrayLike<unknown>): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const n = typeof v === 'bigint' ? Number(v) : (v as number);
    if (typeof n === 'number' && Number.isFinite(n)) out.push(n);
  }
  return out;
}

function minMax(values: readonly number[]): [number, number] | undefined {
  if (values.length === 0) return undefined;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** An RFC 3339 UTC date-time for a time value, in a Gregorian calendar only (STAC has no other). */
function isoTime(value: number, coord: Coord, what: string): string {
  const calendar = (coord.calendar ?? 'standard').toLowerCase();
  if (!GREGORIAN.has(calendar)) throw cannotExpress(TARGET, `${what}: its times are in the ${calendar} calendar, and STAC dates are Gregorian (RFC 3339)`);
  const d = decodeTime(value, coord.units, coord.calendar);
  if (d.year < 0 || d.year > 9999) throw cannotExpress(TARGET, `${what}: year ${d.year} has no RFC 3339 form`);
  const fraction = d.microsecond ? `.${pad(d.microsecond, 6)}` : '';
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}T${pad(d.hour)}:${pad(d.minute)}:${pad(d.second)}${fraction}Z`;
}

function mediaType(uri: string, format: string | undefined): string | undefined {
  if (format === 'netcdf' || /\.nc4?$/i.test(uri)) return 'application/netcdf';
  if (format === 'hdf5' || /\.h5$/i.test(uri)) return 'application/x-hdf5';
  if (format === 'zarr' || /\.zarr\/?$/i.test(uri)) return 'application/vnd+zarr';
  return undefined;
}

export interface StacOptions {
  /** Links to add (the `.cube.md` file, a kerchunk reference file, ...). */
  links?: StacItem['links'];
  /** Extra assets (e.g. `{references: {href: 'x.json', type: 'application/json', roles: ['references']}}`). */
  assets?: StacItem['assets'];
  /** The Collection this Item belongs to. */
  collection?: string;
  /** The Item's time when its cubes have no time coordinate (a run's orography dated by the run). */
  defaultTime?: Pick<StacItem['properties'], 'datetime' | 'start_datetime' | 'end_datetime'>;
}

/**
 * One STAC Item for a publication, with the datacube extension: every dimension of the publication's NetCDF view
 * (`netcdfView`) — horizontal ones with their extent in the cube's coordinate system (`reference_system`: EPSG 4326
 * or PROJJSON), vertical and other ones with extent and unit, time with RFC 3339 dates — and every variable. The
 * Item's `bbox` and `geometry` are the WGS 84 extent, from latitude/longitude coordinates or a rotated pole's grid
 * edges; a grid in a map projection without latitude/longitude coordinates gets a null geometry (cubemark does not
 * carry a projection library). Reads coordinate values that live in sources (never cube data).
 */
export async function publicationStacItem(publication: Publication, access: SourceAccess, options: StacOptions = {}): Promise<StacItem> {
  const view = netcdfView(publication, { target: TARGET });
  const values = async (data: ArrayData): Promise<ArrayLike<unknown>> =>
    data.kind === 'inline' ? data.values : data.kind === 'regular' ? regularValues(data) : (await access.read(data)).values;

  const dimensions: Record<string, DatacubeDimension> = {};
  const times: string[] = [];
  const coordVars = new Map(view.variables.filter((v) => v.role === 'dim_coord').map((v) => [v.name, v]));
  for (const d of view.dimensions) {
    const v = coordVars.get(d.name);
    const coord = v?.coord;
    if (!v || !coord || !v.data) {
      if (/^bnds\d*$/.test(d.name)) continue;
      dimensions[d.name] = { type: 'index', extent: [0, Math.max(0, d.length - 1)], description: `${d.length} positions without a coordinate` };
      continue;
    }
    const what = `dimension '${d.name}'`;
    const points = numbersOf(await values(v.data));
    const extent = minMax(points);
    const step = v.data.kind === 'regular' ? v.data.step : null;
    const description = coord.long_name ?? coord.standard_name ?? coord.var_name;
    const unit = coord.units !== 'unknown' ? coord.units : undefined;
    if (isTimeReference(coord.units)) {
      const iso = extent ? ([isoTime(extent[0], coord, what), isoTime(extent[1], coord, what)] as const) : undefined;
      if (iso) times.push(...iso);
      dimensions[d.name] = { type: 'temporal', extent: iso ? [...iso] : [null, null], ...(description && { description }) };
      continue;
    }
    const name = coord.standard_name ?? '';
    const axis = X_NAMES.has(name) ? 'x' : Y_NAMES.has(name) ? 'y' : Z_NAMES.has(name) || coord.attributes.positive !== undefined ? 'z' : undefined;
    if (axis === 'x' || axis === 'y') {
      if (!extent) throw cannotExpress(TARGET, `${what}: a horizontal dimension with no finite coordinate value`);
      const cs = coord.coord_system ? publication.coord_systems[coord.coord_system] : undefined;
      dimensions[d.name] = { type: 'spatial', axis, extent: [...extent], step, reference_system: referenceSystem(cs), ...(description && { description }) };
    } else if (axis === 'z') {
      dimensions[d.name] = { type: 'spatial', axis, extent: extent ? [...extent] : [null, null], step, ...(unit && { unit }), ...(description && { description }) };
    } else {
      dimensions[d.name] = { type: name || 'other', extent: extent ? [...extent] : [null, null], step, ...(unit && { unit }), ...(description && { description }) };
    }
  }

  const variables: Record<string, DatacubeVariable> = {};
  for (const v of view.variables) {
    if (v.role === 'grid_mapping' || v.role === 'bounds' || v.role === 'dim_coord') continue;
    const text = (n: string) => v.attributes.find((a) => a.name === n)?.value;
    const units = text('units');
    const description = text('long_name') ?? text('standard_name');
    variables[v.name] = {
      dimensions: v.dims,
      variable_type: v.role === 'data' ? 'data' : 'auxiliary',
      ...(typeof description === 'string' && { description }),
      ...(typeof units === 'string' && { unit: units }),
    };
  }

  // Scalar and auxiliary time coordinates date the Item too (a forecast's validity time, a climatology's period).
  for (const v of view.variables) {
    const coord = v.coord;
    if (v.role !== 'aux_coord' || !coord || !v.data || !isTimeReference(coord.units)) continue;
    const range = minMax(numbersOf(await values(v.data)));
    if (range) times.push(isoTime(range[0], coord, `coordinate '${v.name}'`), isoTime(range[1], coord, `coordinate '${v.name}'`));
  }
  const bbox = await wgs84Box(publication, view.variables, values);
  const properties: StacItem['properties'] = { datetime: null, 'cube:dimensions': dimensions, 'cube:variables': variables };
  if (times.length) {
    const sorted = [...times].sort();
    if (sorted[0] === sorted[sorted.length - 1]) properties.datetime = sorted[0];
    else Object.assign(properties, { start_datetime: sorted[0], end_datetime: sorted[sorted.length - 1] });
  } else if (options.defaultTime) {
    Object.assign(properties, options.defaultTime);
  } else {
    const when = publication.modified ?? publication.created;
    if (!when) throw cannotExpress(TARGET, 'a publication with no time coordinate and no created or modified date (a STAC Item needs a datetime)');
    properties.datetime = new Date(when).toISOString();
  }
  if (publication.title) properties.title = publication.title;
  if (publication.created) properties.created = new Date(publication.created).toISOString();
  if (publication.modified) properties.updated = new Date(publication.modified).toISOString();

  const assets: StacItem['assets'] = {};
  publication.sources.forEach((s, i) => {
    const format = [...view.variables].map((v) => v.data).find((d) => d?.kind === 'source' && d.source === i);
    const type = mediaType(s.uri, format?.kind === 'source' ? format.format : undefined);
    assets[`source-${i}`] = { href: s.uri, ...(type && { type }), roles: ['data'] };
  });
  Object.assign(assets, options.assets ?? {});

  return {
    type: 'Feature',
    stac_version: STAC_VERSION,
    stac_extensions: [DATACUBE_EXTENSION],
    id: publication.name,
    geometry: bbox ? { type: 'Polygon', coordinates: [[[bbox[0], bbox[1]], [bbox[2], bbox[1]], [bbox[2], bbox[3]], [bbox[0], bbox[3]], [bbox[0], bbox[1]]]] } : null,
    ...(bbox && { bbox }),
    properties,
    links: options.links ?? [],
    assets,
    ...(options.collection && { collection: options.collection }),
  };
}

/** West, south, east, north in WGS 84 degrees, over every cube's horizontal coordinates; undefined when unknown. */
async function wgs84Box(
  publication: Publication,
  variables: readonly NcVariable[],
  values: (data: ArrayData) => Promise<ArrayLike<unknown>>,
): Promise<[number, number, number, number] | undefined> {
  const lats: number[] = [];
  const lons: number[] = [];
  const coords = variables.filter((v) => (v.role === 'dim_coord' || v.role === 'aux_coord') && v.coord && v.data);
  const geographic = (v: NcVariable) => {
    const cs = v.coord!.coord_system ? publication.coord_systems[v.coord!.coord_system] : undefined;
    return !cs || cs.kind === 'latitude_longitude';
  };
  for (const v of coords) {
    if (!geographic(v)) continue;
    if (v.coord!.standard_name === 'latitude') lats.push(...numbersOf(await values(v.data!)));
    if (v.coord!.standard_name === 'longitude') lons.push(...numbersOf(await values(v.data!)).map((x) => ((((x + 180) % 360) + 360) % 360) - 180));
  }
  // Without latitudes and longitudes, rotated-pole grids: the true positions of the grid's edge points.
  const rotatedX = lats.length && lons.length ? [] : coords.filter((v) => v.role === 'dim_coord' && v.coord!.standard_name === 'grid_longitude');
  for (const x of rotatedX) {
    const cs = x.coord!.coord_system ? publication.coord_systems[x.coord!.coord_system] : undefined;
    if (cs?.kind !== 'rotated_latitude_longitude') continue;
    const y = coords.find((v) => v.role === 'dim_coord' && v.coord!.standard_name === 'grid_latitude' && v.coord!.coord_system === x.coord!.coord_system);
    if (!y) continue;
    const xs = numbersOf(await values(x.data!));
    const ys = numbersOf(await values(y.data!));
    const edge: [number, number][] = [];
    for (const xv of xs) edge.push([ys[0], xv], [ys[ys.length - 1], xv]);
    for (const yv of ys) edge.push([yv, xs[0]], [yv, xs[xs.length - 1]]);
    for (const [rlat, rlon] of edge) {
      const [lat, lon] = unrotate(rlat, rlon, cs.grid_north_pole_latitude, cs.grid_north_pole_longitude, cs.north_pole_grid_longitude ?? 0);
      lats.push(lat);
      lons.push(lon);
    }
  }
  const la = minMax(lats);
  const lo = minMax(lons);
  if (!la || !lo) return undefined;
  return [lo[0], la[0], lo[1], la[1]];
}
