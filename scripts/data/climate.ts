/**
 * A synthetic climate-model example on a 360-day calendar: ten years (2000–2009) of monthly means on a global
 * 2.5° latitude-longitude grid, as a climate model's post-processing writes them, and their monthly climatology.
 *
 * - `tas_Amon_360day_200001-200912.nc`: near-surface air temperature, 120 monthly means (`time: mean`), time
 *   bounds a month (30 days) wide, a scalar `height` of 2 m. About 5 MB.
 * - `clim_Amon_360day_2000-2009.nc`: the climatology of temperature and precipitation, 12 months, with
 *   climatological bounds (`climatology = "climatology_bnds"`: first-year month start to last-year month end) and
 *   the cell methods `time: mean within years time: mean over years`. About 1 MB.
 *
 * Every value is written (smooth, deterministic, seeded); the same options give the same bytes.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Attributes } from '@cubemark/format';
import { writeNetcdf, type NetcdfVariableSpec } from '@cubemark/cube/netcdf';
import { f32, linspace, regularBounds, seededRandom } from './helpers.js';

export interface ClimateOptions {
  /** Varies the fields' phases (default: 1). */
  seed?: number;
}

export interface ClimateRun {
  dir: string;
  files: { name: string; path: string; size: number; variables: string[] }[];
}

const YEARS = 10;
const FIRST_YEAR = 2000;
const NLAT = 73;
const NLON = 144;
const STEP = 2.5;
const TIME_UNITS = 'days since 2000-01-01 00:00:00';

export const CLIMATE_FILES = {
  monthly: 'tas_Amon_360day_200001-200912.nc',
  climatology: 'clim_Amon_360day_2000-2009.nc',
} as const;

const GLOBALS: Attributes = {
  Conventions: 'CF-1.7',
  title: 'Synthetic 360-day-calendar climate model output',
  institution: 'cubemark test data (synthetic)',
  source: 'cubemark scripts/data/climate.ts',
  comment: 'Smooth analytic fields on a 360-day calendar (12 months of 30 days), not model output.',
};

function grid() {
  const lat = linspace(NLAT, -90, STEP);
  const lon = linspace(NLON, 0, STEP);
  const latBnds = regularBounds(lat, STEP);
  // Polar cells end at the poles.
  latBnds[0] = -90;
  latBnds[latBnds.length - 1] = 90;
  return { lat, lon, latBnds, lonBnds: regularBounds(lon, STEP) };
}

function gridVariables(): NetcdfVariableSpec[] {
  const g = grid();
  return [
    { name: 'lat', type: 'double', dims: ['lat'], attributes: { bounds: 'lat_bnds', units: 'degrees_north', axis: 'Y', long_name: 'latitude', standard_name: 'latitude' }, data: g.lat },
    { name: 'lat_bnds', type: 'double', dims: ['lat', 'bnds'], data: g.latBnds },
    { name: 'lon', type: 'double', dims: ['lon'], attributes: { bounds: 'lon_bnds', units: 'degrees_east', axis: 'X', long_name: 'longitude', standard_name: 'longitude' }, data: g.lon },
    { name: 'lon_bnds', type: 'double', dims: ['lon', 'bnds'], data: g.lonBnds },
  ];
}

/** Temperature (K) and precipitation (kg m-2 s-1) for a month of a year (year < 0: the climatology). */
function makeFields(seed: number) {
  const random = seededRandom(seed);
  const [p0, p1, p2] = [random(), random(), random()].map((r) => r * 2 * Math.PI);
  const { lat, lon } = grid();
  const rad = Math.PI / 180;
  const tas = (month: number, year: number, out: Float32Array) => {
    const season = Math.cos((2 * Math.PI * (month - 6.5)) / 12);
    const trend = year < 0 ? 0.135 * 4.5 : 0.03 * year;
    const wobble = year < 0 ? 0 : 0.6 * Math.sin(1.7 * year + p2);
    for (let i = 0; i < NLAT; i++) {
      const phi = lat[i] * rad;
      const zonal = 300 - 48 * Math.sin(phi) ** 2 + 12 * season * Math.sin(phi);
      for (let j = 0; j < NLON; j++) {
        const lam = lon[j] * rad;
        out[i * NLON + j] = zonal + 3 * Math.cos(2 * lam + p0) * Math.cos(phi) + 1.5 * Math.sin(3 * lam + p1) * Math.sin(2 * phi) + trend + wobble;
      }
    }
  };
  const pr = (month: number, out: Float32Array) => {
    const itcz = 6 * Math.cos((2 * Math.PI * (month - 7.5)) / 12);
    for (let i = 0; i < NLAT; i++) {
      const band = Math.exp(-(((lat[i] - itcz) / 10) ** 2)) + 0.45 * Math.exp(-(((Math.abs(lat[i]) - 50) / 12) ** 2));
      for (let j = 0; j < NLON; j++) {
        const lam = lon[j] * rad;
        out[i * NLON + j] = 1e-5 + 1.1e-4 * band * (1 + 0.4 * Math.sin(2 * lam + p0));
      }
    }
  };
  return { tas, pr };
}

const TAS_ATTRIBUTES: Attributes = {
  standard_name: 'air_temperature',
  long_name: 'Near-Surface Air Temperature',
  units: 'K',
  coordinates: 'height',
};

/** Write both files into `dir` (created); resolves to what was written. */
export async function generateClimate360(dir: string, options: ClimateOptions = {}): Promise<ClimateRun> {
  await mkdir(dir, { recursive: true });
  const fields = makeFields(options.seed ?? 1);
  const field = NLAT * NLON;
  const height: NetcdfVariableSpec = { name: 'height', type: 'double', dims: [], attributes: { units: 'm', axis: 'Z', positive: 'up', long_name: 'height', standard_name: 'height' }, data: [2] };
  const files: ClimateRun['files'] = [];

  // Monthly means: point mid-month, bounds the month.
  const nt = YEARS * 12;
  const monthly = join(dir, CLIMATE_FILES.monthly);
  const r1 = await writeNetcdf(monthly, {
    dimensions: [{ name: 'time', size: nt, unlimited: true }, { name: 'lat', size: NLAT }, { name: 'lon', size: NLON }, { name: 'bnds', size: 2 }],
    attributes: { ...GLOBALS, frequency: 'mon' },
    variables: [
      {
        name: 'time',
        type: 'double',
        dims: ['time'],
        attributes: { bounds: 'time_bnds', units: TIME_UNITS, calendar: '360_day', axis: 'T', long_name: 'time', standard_name: 'time' },
        data: Array.from({ length: nt }, (_, m) => 30 * m + 15),
      },
      { name: 'time_bnds', type: 'double', dims: ['time', 'bnds'], data: Array.from({ length: nt }, (_, m) => [30 * m, 30 * (m + 1)]).flat() },
      ...gridVariables(),
      height,
      {
        name: 'tas',
        type: 'float',
        dims: ['time', 'lat', 'lon'],
        attributes: { ...TAS_ATTRIBUTES, cell_methods: 'time: mean', _FillValue: f32(1e20), missing_value: f32(1e20) },
        data: ({ record }) => {
          const out = new Float32Array(field);
          fields.tas(record! % 12, Math.floor(record! / 12), out);
          return out;
        },
      },
    ],
  });
  files.push({ name: CLIMATE_FILES.monthly, path: monthly, size: r1.size, variables: ['tas'] });

  // Climatology: point mid-month of the first year; bounds from that month's start in the first year to its end
  // in the last (CF 7.4 "climatological statistics").
  const clim = join(dir, CLIMATE_FILES.climatology);
  const lastYearStart = 360 * (YEARS - 1);
  const tas = new Float32Array(12 * field);
  const pr = new Float32Array(12 * field);
  for (let m = 0; m < 12; m++) {
    fields.tas(m, -1, tas.subarray(m * field, (m + 1) * field));
    fields.pr(m, pr.subarray(m * field, (m + 1) * field));
  }
  const r2 = await writeNetcdf(clim, {
    dimensions: [{ name: 'time', size: 12 }, { name: 'lat', size: NLAT }, { name: 'lon', size: NLON }, { name: 'bnds', size: 2 }],
    attributes: { ...GLOBALS, frequency: 'monClim', climatology_period: `${FIRST_YEAR}-${FIRST_YEAR + YEARS - 1}` },
    variables: [
      {
        name: 'time',
        type: 'double',
        dims: ['time'],
        attributes: { climatology: 'climatology_bnds', units: TIME_UNITS, calendar: '360_day', axis: 'T', standard_name: 'time' },
        data: Array.from({ length: 12 }, (_, m) => 30 * m + 15),
      },
      { name: 'climatology_bnds', type: 'double', dims: ['time', 'bnds'], data: Array.from({ length: 12 }, (_, m) => [30 * m, lastYearStart + 30 * (m + 1)]).flat() },
      ...gridVariables(),
      height,
      {
        name: 'tas',
        type: 'float',
        dims: ['time', 'lat', 'lon'],
        attributes: { ...TAS_ATTRIBUTES, cell_methods: 'time: mean within years time: mean over years' },
        data: tas,
      },
      {
        name: 'pr',
        type: 'float',
        dims: ['time', 'lat', 'lon'],
        attributes: {
          standard_name: 'precipitation_flux',
          long_name: 'Precipitation',
          units: 'kg m-2 s-1',
          cell_methods: 'time: mean within years time: mean over years',
          valid_min: f32(0),
          comment: 'includes both liquid and solid phases',
        },
        data: pr,
      },
    ],
  });
  files.push({ name: CLIMATE_FILES.climatology, path: clim, size: r2.size, variables: ['tas', 'pr'] });
  return { dir, files };
}
