/**
 * A synthetic UKV-like model run: NetCDF classic files laid out as the Met Office UKV (the UK variable-resolution
 * configuration of the Unified Model) is when saved by Iris. One file per parameter, each with the rotated pole
 * grid (`grid_latitude`/`grid_longitude` dimension coordinates, 2-D `latitude`/`longitude` auxiliary coordinates,
 * a `rotated_latitude_longitude` grid mapping), `time` (with bounds for processed fields), `forecast_period`, a
 * scalar `forecast_reference_time`, and for model-level fields the hybrid height coordinate (`model_level_number`,
 * `level_height` and `sigma` with bounds, `surface_altitude`, `formula_terms`). Surface fields carry a `height`
 * scalar coordinate and time-processed ones their cell methods (`time: mean`, `time: maximum`, ...). Every data
 * variable has a `um_stash_source` attribute with the real STASH code of that diagnostic.
 *
 *   import { generateUkvRun } from './scripts/data/ukv.js';
 *   const run = await generateUkvRun('/tmp/ukv', { scale: 'demo', seed: 1 });
 *
 * Scales:
 * - `demo`: 81 × 62 points, 5 model levels, 4 times; every value written (smooth, deterministic fields, a few
 *   masked points via `_FillValue`); about 6 MB in classic (CDF-1) files.
 * - `full`: the real sizes, 810 × 621 points, 70 levels, 37 times: ten 3-D parameters of 5.2 GB each and
 *   eighteen 2-D ones of 74 MB, about 53 GB in 64-bit-offset (CDF-2) files, written SPARSE: only the first
 *   field (time 0, level 1) of each parameter, and every field of the screen temperature and of the mean sea
 *   level pressure, are written; the rest are holes, which read as zeros. Needs about 400 MB of disk.
 *
 * The data is made up (smooth analytic fields with a made-up island for orography), not a forecast: the files say
 * so in their `comment` attribute. The same options always give the same bytes.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Attributes } from '@cubemark/format';
import { writeNetcdf, type NetcdfVariableSpec, type NetcdfWriteFormat, type NetcdfWriteResult } from '@cubemark/cube/netcdf';
import { byField, f32, f64, i32, linspace, regularBounds, seededRandom, unrotate } from './helpers.js';

export type UkvScale = 'demo' | 'full';

export interface UkvOptions {
  scale: UkvScale;
  /** Varies the fields' phases (default: 1). */
  seed?: number;
}

export interface UkvGrid {
  /** grid_latitude points (rows). */
  ny: number;
  /** grid_longitude points (columns). */
  nx: number;
  /** Model levels of the 3-D parameters. */
  nz: number;
  /** Times per file. */
  nt: number;
  /** Grid spacing, degrees. */
  spacing: number;
}

export interface UkvFile {
  /** File name inside the run directory. */
  name: string;
  path: string;
  parameter: string;
  /** Dimensions of the parameter's variable. */
  dims: string[];
  shape: number[];
  /** Apparent size in bytes. */
  size: number;
  /** Bytes of values actually written. */
  written: number;
  /** Bytes the NetCDF header takes. */
  headerBytes: number;
  /** Which (time, level) fields hold real values; `all` when every field does. */
  filled: 'all' | [number, number][];
}

export interface UkvRun {
  dir: string;
  scale: UkvScale;
  seed: number;
  format: NetcdfWriteFormat;
  grid: UkvGrid;
  /** In file-name order. */
  files: UkvFile[];
  /** Sum of the files' apparent sizes. */
  totalBytes: number;
}

export const UKV_GRIDS: Record<UkvScale, UkvGrid> = {
  demo: { ny: 81, nx: 62, nz: 5, nt: 4, spacing: 0.135 },
  full: { ny: 810, nx: 621, nz: 70, nt: 37, spacing: 0.0135 },
};

/** Levels of the full 70-level set (the demo takes the lowest ones). */
const FULL_LEVELS = 70;
const MODEL_TOP = 40_000;
/** Hybrid height: sigma (the orography-following part) reaches 0 at this fraction of the model top. */
const ETA_I = 0.3;
const POLE_LAT = 37.5;
const POLE_LON = 177.5;
/** The UM's missing-data indicator, used as `_FillValue`. */
const RMDI = -1073741824;
/** 2024-06-01T03:00:00Z, hours since 1970-01-01. */
const FORECAST_REFERENCE_TIME = Date.UTC(2024, 5, 1, 3) / 3_600_000;
const RUN_ID = '20240601T0300Z';

type Kind = '3d' | '2d';

interface Parameter {
  /** File-name stem and variable name. */
  id: string;
  kind: Kind;
  standard_name: string;
  units: string;
  stash: string;
  /** Scalar `height` coordinate (m), for screen-level and 10 m fields. */
  height?: number;
  /** CF cell_methods; a time-processed field has time bounds over the hour before each point. */
  cell_methods?: string;
  /** Masks a few points (deterministically chosen) with `_FillValue`. */
  masked?: boolean;
  /** At full scale, every field is written (not just the first). */
  filledAtFull?: boolean;
}

export const UKV_PARAMETERS: readonly Parameter[] = [
  { id: 'air_temperature', kind: '3d', standard_name: 'air_temperature', units: 'K', stash: 'm01s16i004' },
  { id: 'air_potential_temperature', kind: '3d', standard_name: 'air_potential_temperature', units: 'K', stash: 'm01s00i004' },
  { id: 'specific_humidity', kind: '3d', standard_name: 'specific_humidity', units: 'kg kg-1', stash: 'm01s00i010' },
  { id: 'x_wind', kind: '3d', standard_name: 'x_wind', units: 'm s-1', stash: 'm01s00i002' },
  { id: 'y_wind', kind: '3d', standard_name: 'y_wind', units: 'm s-1', stash: 'm01s00i003' },
  { id: 'upward_air_velocity', kind: '3d', standard_name: 'upward_air_velocity', units: 'm s-1', stash: 'm01s00i150' },
  { id: 'air_pressure', kind: '3d', standard_name: 'air_pressure', units: 'Pa', stash: 'm01s00i408' },
  { id: 'cloud_fraction', kind: '3d', standard_name: 'cloud_area_fraction_in_atmosphere_layer', units: '1', stash: 'm01s00i266' },
  { id: 'cloud_liquid_water', kind: '3d', standard_name: 'mass_fraction_of_cloud_liquid_water_in_air', units: 'kg kg-1', stash: 'm01s00i254' },
  { id: 'cloud_ice', kind: '3d', standard_name: 'mass_fraction_of_cloud_ice_in_air', units: 'kg kg-1', stash: 'm01s00i012' },
  { id: 'screen_temperature', kind: '2d', standard_name: 'air_temperature', units: 'K', stash: 'm01s03i236', height: 1.5, masked: true, filledAtFull: true },
  { id: 'screen_temperature_max', kind: '2d', standard_name: 'air_temperature', units: 'K', stash: 'm01s03i236', height: 1.5, cell_methods: 'time: maximum' },
  { id: 'screen_temperature_min', kind: '2d', standard_name: 'air_temperature', units: 'K', stash: 'm01s03i236', height: 1.5, cell_methods: 'time: minimum' },
  { id: 'screen_specific_humidity', kind: '2d', standard_name: 'specific_humidity', units: 'kg kg-1', stash: 'm01s03i237', height: 1.5 },
  { id: 'screen_relative_humidity', kind: '2d', standard_name: 'relative_humidity', units: '%', stash: 'm01s03i245', height: 1.5 },
  { id: 'x_wind_10m', kind: '2d', standard_name: 'x_wind', units: 'm s-1', stash: 'm01s03i225', height: 10 },
  { id: 'y_wind_10m', kind: '2d', standard_name: 'y_wind', units: 'm s-1', stash: 'm01s03i226', height: 10 },
  { id: 'wind_gust_10m', kind: '2d', standard_name: 'wind_speed_of_gust', units: 'm s-1', stash: 'm01s03i463', height: 10, cell_methods: 'time: maximum' },
  { id: 'mean_sea_level_pressure', kind: '2d', standard_name: 'air_pressure_at_sea_level', units: 'Pa', stash: 'm01s16i222', filledAtFull: true },
  { id: 'surface_pressure', kind: '2d', standard_name: 'surface_air_pressure', units: 'Pa', stash: 'm01s00i409' },
  { id: 'precipitation_rate', kind: '2d', standard_name: 'precipitation_flux', units: 'kg m-2 s-1', stash: 'm01s05i216', cell_methods: 'time: mean' },
  { id: 'low_cloud', kind: '2d', standard_name: 'low_type_cloud_area_fraction', units: '1', stash: 'm01s09i203' },
  { id: 'medium_cloud', kind: '2d', standard_name: 'medium_type_cloud_area_fraction', units: '1', stash: 'm01s09i204' },
  { id: 'high_cloud', kind: '2d', standard_name: 'high_type_cloud_area_fraction', units: '1', stash: 'm01s09i205' },
  { id: 'total_cloud', kind: '2d', standard_name: 'cloud_area_fraction', units: '1', stash: 'm01s09i217' },
  { id: 'surface_temperature', kind: '2d', standard_name: 'surface_temperature', units: 'K', stash: 'm01s00i024', masked: true },
  { id: 'visibility', kind: '2d', standard_name: 'visibility_in_air', units: 'm', stash: 'm01s03i247', height: 1.5 },
  {
    id: 'surface_shortwave_down',
    kind: '2d',
    standard_name: 'surface_downwelling_shortwave_flux_in_air',
    units: 'W m-2',
    stash: 'm01s01i235',
    cell_methods: 'time: mean',
  },
];

/** The file a parameter goes to. */
export function ukvFileName(parameterId: string): string {
  return `ukv_${RUN_ID}_${parameterId}.nc`;
}

/** Hybrid height of model level `k` (1-based, of 70): `a` (level_height) and `b` (sigma), with bounds. */
function hybridLevel(k: number): { a: number; aLow: number; aHigh: number } {
  const eta = (x: number) => (x / FULL_LEVELS) ** 2;
  const a = MODEL_TOP * eta(k);
  return { a, aLow: k === 1 ? 0 : MODEL_TOP * eta(k - 0.5), aHigh: MODEL_TOP * eta(k + 0.5) };
}

const sigmaOf = (a: number) => Math.max(0, 1 - a / MODEL_TOP / ETA_I) ** 2;

/** Everything the fields are computed from, made once per run. */
class Fields {
  readonly gridLat: Float32Array;
  readonly gridLon: Float32Array;
  readonly orography: Float32Array;
  readonly levelHeight: Float32Array;
  readonly sigma: Float32Array;
  /** Phases per parameter, from the seed. */
  private readonly phases: Map<string, number[]>;
  private readonly maskedAt: Set<number>;

  constructor(
    readonly grid: UkvGrid,
    seed: number,
  ) {
    const { ny, nx, spacing } = grid;
    this.gridLat = linspace(ny, -((ny - 1) / 2) * spacing, spacing, 'float32') as Float32Array;
    this.gridLon = linspace(nx, 360 - ((nx - 1) / 2) * spacing, spacing, 'float32') as Float32Array;
    const random = seededRandom(seed);
    const islandPhase = random() * 2 * Math.PI;
    this.orography = new Float32Array(ny * nx);
    for (let i = 0; i < ny; i++) {
      const y = this.gridLat[i];
      for (let j = 0; j < nx; j++) {
        const x = this.gridLon[j] - 360;
        const f = 1 - (x / 3.4) ** 2 - (y / 5.2) ** 2 + 0.3 * Math.sin(2.1 * y + islandPhase) * Math.cos(1.7 * x);
        this.orography[i * nx + j] = f > 0 ? Math.fround(1100 * f ** 1.5 * (0.5 + 0.5 * Math.sin(4 * y) ** 2 * Math.cos(3 * x) ** 2)) : 0;
      }
    }
    this.levelHeight = new Float32Array(grid.nz);
    this.sigma = new Float32Array(grid.nz);
    for (let k = 0; k < grid.nz; k++) {
      const { a } = hybridLevel(k + 1);
      this.levelHeight[k] = a;
      this.sigma[k] = sigmaOf(a);
    }
    this.phases = new Map(UKV_PARAMETERS.map((p) => [p.id, [random(), random(), random(), random()].map((r) => r * 2 * Math.PI)]));
    // A few masked points: about one in 2000, the same in every field of a masked parameter.
    this.maskedAt = new Set();
    const count = Math.max(3, Math.round((ny * nx) / 2000));
    while (this.maskedAt.size < count) this.maskedAt.add(Math.floor(random() * ny * nx));
  }

  /**
   * A smooth pattern in [-1.5, 1.5]: two travelling waves, separable in rows and columns so a field costs two
   * multiplications per point.
   */
  private pattern(id: string, hour: number, k: number): (i: number, j: number) => number {
    const [p0, p1, p2, p3] = this.phases.get(id)!;
    const { ny, nx } = this.grid;
    const w = 2 * Math.PI * (hour / 30);
    const sx = new Float64Array(nx);
    const cx = new Float64Array(nx);
    for (let j = 0; j < nx; j++) {
      const u = j / Math.max(1, nx - 1);
      sx[j] = Math.sin(2 * Math.PI * 1.6 * u + p0 + w + 0.05 * k);
      cx[j] = Math.cos(2 * Math.PI * 3.1 * u + p2);
    }
    const cy = new Float64Array(ny);
    const sy = new Float64Array(ny);
    for (let i = 0; i < ny; i++) {
      const v = i / Math.max(1, ny - 1);
      cy[i] = Math.cos(2 * Math.PI * 1.2 * v + p1);
      sy[i] = Math.sin(2 * Math.PI * 2.3 * v + p3 - 0.7 * w + 0.03 * k);
    }
    return (i, j) => sx[j] * cy[i] + 0.5 * cx[j] * sy[i];
  }

  /** Fill one field of parameter `p` at time index `t` (hours after the reference time) and level index `k`. */
  fill(p: Parameter, hour: number, k: number, out: Float32Array): void {
    const { ny, nx } = this.grid;
    const pat = this.pattern(p.id, hour, k);
    const h = this.levelHeight[k] ?? 0;
    const s = this.sigma[k] ?? 0;
    const diurnal = Math.sin((2 * Math.PI * (hour + 3 - 9)) / 24);
    const sun = Math.max(0, Math.sin((Math.PI * (hour + 3 - 4)) / 16));
    const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
    for (let i = 0; i < ny; i++) {
      const north = i / Math.max(1, ny - 1) - 0.5;
      for (let j = 0; j < nx; j++) {
        const n = i * nx + j;
        const orog = this.orography[n];
        const z = h + s * orog;
        const q = pat(i, j);
        let value: number;
        switch (p.id) {
          case 'air_temperature':
            value = Math.max(216.65, 289 - 0.0065 * z - 6 * north + 2.5 * q);
            break;
          case 'air_potential_temperature': {
            const t = Math.max(216.65, 289 - 0.0065 * z - 6 * north + 2.5 * q);
            value = t * (100_000 / (101_325 * Math.exp(-z / 8000))) ** 0.2857;
            break;
          }
          case 'specific_humidity':
            value = Math.max(1e-6, 0.008 * Math.exp(-z / 2500) * (1 + 0.3 * q));
            break;
          case 'x_wind':
            value = 6 + 22 * Math.min(1, z / 11_000) + 5 * q;
            break;
          case 'y_wind':
            value = 1 + 4 * Math.min(1, z / 11_000) + 5 * q;
            break;
          case 'upward_air_velocity':
            value = 0.15 * q * Math.exp(-(((z - 3000) / 4000) ** 2));
            break;
          case 'air_pressure':
            value = 101_325 * Math.exp(-z / 8000) * (1 + 0.006 * q);
            break;
          case 'cloud_fraction':
            value = clamp((0.4 + 0.8 * q) * Math.exp(-(((z - 2000) / 2500) ** 2)), 0, 1);
            break;
          case 'cloud_liquid_water':
            value = Math.max(0, 3e-4 * (0.2 + q) * Math.exp(-(((z - 1500) / 1500) ** 2)));
            break;
          case 'cloud_ice':
            value = Math.max(0, 8e-5 * (0.2 + q) * Math.exp(-(((z - 7000) / 2500) ** 2)));
            break;
          case 'screen_temperature':
            value = 285 - 6 * north - 0.0065 * orog + 2.5 * q + 4 * diurnal;
            break;
          case 'screen_temperature_max':
            value = 286.2 - 6 * north - 0.0065 * orog + 2.5 * q + 4 * diurnal;
            break;
          case 'screen_temperature_min':
            value = 283.8 - 6 * north - 0.0065 * orog + 2.5 * q + 4 * diurnal;
            break;
          case 'surface_temperature':
            value = 285.5 - 6 * north - 0.0065 * orog + 2.5 * q + 6 * diurnal;
            break;
          case 'screen_specific_humidity':
            value = Math.max(1e-4, 0.0072 + 0.0012 * q);
            break;
          case 'screen_relative_humidity':
            value = clamp(72 + 20 * q - 10 * diurnal, 5, 100);
            break;
          case 'x_wind_10m':
            value = 5 + 4 * q;
            break;
          case 'y_wind_10m':
            value = 1.5 - 3 * q;
            break;
          case 'wind_gust_10m':
            value = 9 + 6 * Math.abs(q) + orog / 200;
            break;
          case 'mean_sea_level_pressure':
            value = 101_300 + 1200 * q - 600 * north;
            break;
          case 'surface_pressure':
            value = (101_300 + 1200 * q - 600 * north) * Math.exp(-orog / 8000);
            break;
          case 'precipitation_rate':
            value = Math.max(0, q - 0.4) * 8e-4;
            break;
          case 'low_cloud':
          case 'medium_cloud':
          case 'high_cloud':
          case 'total_cloud':
            value = clamp(0.45 + 0.7 * q, 0, 1);
            break;
          case 'visibility':
            value = Math.max(200, 22_000 + 16_000 * q);
            break;
          case 'surface_shortwave_down':
            value = 850 * sun * clamp(0.75 - 0.35 * q, 0.1, 1);
            break;
          default:
            throw new Error(`no field for parameter '${p.id}'`);
        }
        out[n] = p.masked && this.maskedAt.has(n) ? RMDI : value;
      }
    }
  }
}

const GLOBALS: Attributes = {
  Conventions: 'CF-1.7',
  source: 'Data from Met Office Unified Model',
  um_version: '13.1',
  institution: 'cubemark test data (synthetic)',
  comment:
    'Synthetic data in the layout of a Met Office UKV run, written by cubemark scripts/data/ukv.ts. ' +
    'The values are smooth analytic fields, not a forecast.',
};

/** The variables of one parameter's file. */
function fileVariables(p: Parameter, fields: Fields, scale: UkvScale): { dims: { name: string; size: number; unlimited?: boolean }[]; variables: NetcdfVariableSpec[]; filled: UkvFile['filled'] } {
  const { grid } = fields;
  const { ny, nx, nz, nt } = grid;
  const processed = p.cell_methods !== undefined;
  // Instantaneous fields at T+0..T+(nt-1); processed ones at the end of each hour T+1..T+nt.
  const hours = Array.from({ length: nt }, (_, t) => (processed ? t + 1 : t));
  const dims = [
    { name: 'time', size: nt, unlimited: true },
    ...(p.kind === '3d' ? [{ name: 'model_level_number', size: nz }] : []),
    { name: 'grid_latitude', size: ny },
    { name: 'grid_longitude', size: nx },
    { name: 'bnds', size: 2 },
  ];
  const dataDims = p.kind === '3d' ? ['time', 'model_level_number', 'grid_latitude', 'grid_longitude'] : ['time', 'grid_latitude', 'grid_longitude'];
  const coordinates = [
    'forecast_period',
    'forecast_reference_time',
    ...(p.height !== undefined ? ['height'] : []),
    'latitude',
    ...(p.kind === '3d' ? ['level_height'] : []),
    'longitude',
    ...(p.kind === '3d' ? ['sigma', 'surface_altitude'] : []),
  ];
  const fieldSize = ny * nx;
  const filledAll = scale === 'demo' || p.filledAtFull === true;
  const filled: UkvFile['filled'] = filledAll ? 'all' : [[0, 0]];
  const data = byField(fieldSize, (index, out) => {
    const [t, k = 0] = index;
    if (!filledAll && !(t === 0 && k === 0)) return false;
    fields.fill(p, hours[t], k, out);
    return true;
  });

  const variables: NetcdfVariableSpec[] = [
    {
      name: p.id,
      type: 'float',
      dims: dataDims,
      attributes: {
        _FillValue: f32(RMDI),
        standard_name: p.standard_name,
        units: p.units,
        um_stash_source: p.stash,
        ...(p.cell_methods ? { cell_methods: p.cell_methods } : {}),
        grid_mapping: 'rotated_latitude_longitude',
        coordinates: coordinates.join(' '),
      },
      data,
    },
    {
      name: 'rotated_latitude_longitude',
      type: 'int',
      dims: [],
      attributes: {
        grid_mapping_name: 'rotated_latitude_longitude',
        longitude_of_prime_meridian: f64(0),
        earth_radius: f64(6371229),
        grid_north_pole_latitude: f64(POLE_LAT),
        grid_north_pole_longitude: f64(POLE_LON),
        north_pole_grid_longitude: f64(0),
      },
      data: [-2147483647],
    },
    {
      name: 'time',
      type: 'double',
      dims: ['time'],
      attributes: {
        axis: 'T',
        ...(processed ? { bounds: 'time_bnds' } : {}),
        units: 'hours since 1970-01-01 00:00:00',
        standard_name: 'time',
        calendar: 'standard',
      },
      data: hours.map((h) => FORECAST_REFERENCE_TIME + h),
    },
    ...(processed
      ? [{ name: 'time_bnds', type: 'double' as const, dims: ['time', 'bnds'], data: hours.flatMap((h) => [FORECAST_REFERENCE_TIME + h - 1, FORECAST_REFERENCE_TIME + h]) }]
      : []),
  ];
  if (p.kind === '3d') {
    variables.push({
      name: 'model_level_number',
      type: 'int',
      dims: ['model_level_number'],
      attributes: { axis: 'Z', units: '1', standard_name: 'model_level_number', positive: 'up' },
      data: Array.from({ length: nz }, (_, k) => k + 1),
    });
  }
  variables.push(
    {
      name: 'grid_latitude',
      type: 'float',
      dims: ['grid_latitude'],
      attributes: { axis: 'Y', bounds: 'grid_latitude_bnds', units: 'degrees', standard_name: 'grid_latitude' },
      data: fields.gridLat,
    },
    { name: 'grid_latitude_bnds', type: 'float', dims: ['grid_latitude', 'bnds'], data: regularBounds(fields.gridLat, grid.spacing, 'float32') },
    {
      name: 'grid_longitude',
      type: 'float',
      dims: ['grid_longitude'],
      attributes: { axis: 'X', bounds: 'grid_longitude_bnds', units: 'degrees', standard_name: 'grid_longitude' },
      data: fields.gridLon,
    },
    { name: 'grid_longitude_bnds', type: 'float', dims: ['grid_longitude', 'bnds'], data: regularBounds(fields.gridLon, grid.spacing, 'float32') },
    {
      name: 'forecast_period',
      type: 'double',
      dims: ['time'],
      attributes: { ...(processed ? { bounds: 'forecast_period_bnds' } : {}), units: 'hours', standard_name: 'forecast_period' },
      data: hours,
    },
    ...(processed ? [{ name: 'forecast_period_bnds', type: 'double' as const, dims: ['time', 'bnds'], data: hours.flatMap((h) => [h - 1, h]) }] : []),
    {
      name: 'forecast_reference_time',
      type: 'double',
      dims: [],
      attributes: { units: 'hours since 1970-01-01 00:00:00', standard_name: 'forecast_reference_time', calendar: 'standard' },
      data: [FORECAST_REFERENCE_TIME],
    },
  );
  if (p.height !== undefined) {
    variables.push({ name: 'height', type: 'double', dims: [], attributes: { units: 'm', standard_name: 'height', positive: 'up' }, data: [p.height] });
  }
  if (p.kind === '3d') {
    const levels = Array.from({ length: nz }, (_, k) => hybridLevel(k + 1));
    variables.push(
      {
        name: 'level_height',
        type: 'float',
        dims: ['model_level_number'],
        attributes: {
          bounds: 'level_height_bnds',
          units: 'm',
          long_name: 'level_height',
          standard_name: 'atmosphere_hybrid_height_coordinate',
          axis: 'Z',
          positive: 'up',
          formula_terms: 'a: level_height b: sigma orog: surface_altitude',
        },
        data: fields.levelHeight,
      },
      {
        name: 'level_height_bnds',
        type: 'float',
        dims: ['model_level_number', 'bnds'],
        attributes: { formula_terms: 'a: level_height_bnds b: sigma_bnds orog: surface_altitude' },
        data: levels.flatMap((l) => [l.aLow, l.aHigh]),
      },
      { name: 'sigma', type: 'float', dims: ['model_level_number'], attributes: { bounds: 'sigma_bnds', units: '1', long_name: 'sigma' }, data: fields.sigma },
      { name: 'sigma_bnds', type: 'float', dims: ['model_level_number', 'bnds'], data: levels.flatMap((l) => [sigmaOf(l.aLow), sigmaOf(l.aHigh)]) },
      {
        name: 'surface_altitude',
        type: 'float',
        dims: ['grid_latitude', 'grid_longitude'],
        attributes: { units: 'm', standard_name: 'surface_altitude', grid_mapping: 'rotated_latitude_longitude', coordinates: 'latitude longitude' },
        data: fields.orography,
      },
    );
  }
  const { lat, lon } = latLon(fields);
  variables.push(
    { name: 'latitude', type: 'float', dims: ['grid_latitude', 'grid_longitude'], attributes: { units: 'degrees_north', standard_name: 'latitude' }, data: lat },
    { name: 'longitude', type: 'float', dims: ['grid_latitude', 'grid_longitude'], attributes: { units: 'degrees_east', standard_name: 'longitude' }, data: lon },
  );
  return { dims, variables, filled };
}

const latLonCache = new WeakMap<Fields, { lat: Float32Array; lon: Float32Array }>();
function latLon(fields: Fields): { lat: Float32Array; lon: Float32Array } {
  let found = latLonCache.get(fields);
  if (!found) {
    found = unrotate(fields.gridLat, fields.gridLon, POLE_LAT, POLE_LON);
    latLonCache.set(fields, found);
  }
  return found;
}

/**
 * Write a UKV-like run into `dir` (created; `.nc` files already there are replaced, nothing else is touched).
 * Resolves to what was written. See the module comment for the scales.
 */
export async function generateUkvRun(dir: string, options: UkvOptions): Promise<UkvRun> {
  const { scale } = options;
  const seed = options.seed ?? 1;
  const grid = UKV_GRIDS[scale];
  if (!grid) throw new Error(`unknown UKV scale '${String(scale)}' (demo or full)`);
  const format: NetcdfWriteFormat = scale === 'full' ? '64bit-offset' : 'classic';
  await mkdir(dir, { recursive: true });
  for (const name of await readdir(dir)) if (name.startsWith('ukv_') && name.endsWith('.nc')) await rm(join(dir, name));
  const fields = new Fields(grid, seed);
  const files: UkvFile[] = [];
  for (const p of UKV_PARAMETERS) {
    const name = ukvFileName(p.id);
    const path = join(dir, name);
    const { dims, variables, filled } = fileVariables(p, fields, scale);
    const result: NetcdfWriteResult = await writeNetcdf(path, { dimensions: dims, attributes: GLOBALS, variables }, { format, blockBytes: grid.ny * grid.nx * 4 });
    const main = variables[0];
    files.push({
      name,
      path,
      parameter: p.id,
      dims: main.dims,
      shape: main.dims.map((d) => dims.find((x) => x.name === d)!.size),
      size: result.size,
      written: result.written,
      headerBytes: result.headerBytes,
      filled,
    });
  }
  files.sort((a, b) => a.name.localeCompare(b.name));
  return { dir, scale, seed, format, grid, files, totalBytes: files.reduce((n, f) => n + f.size, 0) };
}
