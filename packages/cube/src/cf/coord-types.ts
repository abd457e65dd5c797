import type { DatasetVariable } from '../readers/dataset.js';
import type { GridClass } from './coord-systems.js';
import { isTimePeriod, isTimeReference, textAttribute } from './units.js';

/** Iris's load rules for what kind of coordinate a variable is (latitude, longitude, time, projected). */

/** The coordinate type Iris's load rules give a variable, and the standard name and grid class it implies. */
export interface CoordType {
  coordName?: string;
  gridClass?: GridClass;
}

const LAT_UNITS = new Set(['degrees_north', 'degree_north', 'degree_n', 'degrees_n', 'degreen', 'degreesn', 'degrees', 'degrees north', 'degree north', 'degree n', 'degrees n']);
const LON_UNITS = new Set(['degrees_east', 'degree_east', 'degree_e', 'degrees_e', 'degreee', 'degreese', 'degrees', 'degrees east', 'degree east', 'degree e', 'degrees e']);

/** Iris's `_is_lat_lon`. */
function isLatLon(v: DatasetVariable, units: ReadonlySet<string>, name: string, gridName: string, axis: string, prefixes: string[]): boolean {
  const attrUnitsText = textAttribute(v.attributes, 'units');
  const standardName = textAttribute(v.attributes, 'standard_name')?.toLowerCase();
  const axisText = textAttribute(v.attributes, 'axis')?.toLowerCase();
  if (attrUnitsText !== undefined) {
    const lower = attrUnitsText.toLowerCase();
    if (lower === 'degrees') return standardName !== undefined ? standardName === gridName : axisText === axis;
    return units.has(lower);
  }
  if (standardName !== undefined) return standardName === name || standardName === gridName || prefixes.some((p) => standardName.startsWith(p));
  return axisText === axis;
}

const isLatitude = (v: DatasetVariable) => isLatLon(v, LAT_UNITS, 'latitude', 'grid_latitude', 'y', ['lat', 'rlat']);
const isLongitude = (v: DatasetVariable) => isLatLon(v, LON_UNITS, 'longitude', 'grid_longitude', 'x', ['lon', 'rlon']);

/** Iris's `_is_rotated`. */
function isRotated(v: DatasetVariable, gridName: string): boolean {
  const standardName = textAttribute(v.attributes, 'standard_name');
  if (standardName !== undefined) return standardName.toLowerCase() === gridName;
  return textAttribute(v.attributes, 'units')?.toLowerCase() === 'degrees';
}

function isTime(v: DatasetVariable): boolean {
  const units = textAttribute(v.attributes, 'units');
  return isTimeReference(units) && (textAttribute(v.attributes, 'standard_name') === 'time' || textAttribute(v.attributes, 'axis')?.toLowerCase() === 't');
}

function projectionName(v: DatasetVariable): string | undefined {
  return textAttribute(v.attributes, 'standard_name') || textAttribute(v.attributes, 'long_name');
}

/** Iris's `action_provides_coordinate` for a coordinate variable. */
export function dimCoordType(v: DatasetVariable): CoordType {
  if (isLatitude(v)) {
    return isRotated(v, 'grid_latitude') ? { coordName: 'grid_latitude', gridClass: 'rotated' } : { coordName: 'latitude', gridClass: 'latlon' };
  }
  if (isLongitude(v)) {
    return isRotated(v, 'grid_longitude') ? { coordName: 'grid_longitude', gridClass: 'rotated' } : { coordName: 'longitude', gridClass: 'latlon' };
  }
  if (isTime(v) || isTimePeriod(textAttribute(v.attributes, 'units'))) return {};
  if (projectionName(v) === 'projection_x_coordinate') return { coordName: 'projection_x_coordinate', gridClass: 'projected' };
  if (projectionName(v) === 'projection_y_coordinate') return { coordName: 'projection_y_coordinate', gridClass: 'projected' };
  return {};
}

/** Iris's `action_build_auxiliary_coordinate`: the standard name it gives an auxiliary coordinate, if any. */
export function auxCoordName(v: DatasetVariable): string | undefined {
  if (isTime(v) || isTimePeriod(textAttribute(v.attributes, 'units'))) return undefined;
  if (isLongitude(v)) return isRotated(v, 'grid_longitude') ? 'grid_longitude' : 'longitude';
  if (isLatitude(v)) return isRotated(v, 'grid_latitude') ? 'grid_latitude' : 'latitude';
  return undefined;
}
