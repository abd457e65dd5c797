/**
 * Publications of real NetCDF files for the tests, built from `ncdump` output (Debian's netcdf-bin, the C library)
 * rather than from cubemark's own readers, so the values tests compare against are read independently.
 *
 * `netcdfPublication(path, name, variables)` makes one cube per variable: dims and shape from the header, dimension
 * coordinates (inline points, units, calendar) from the coordinate variables, and the data as a `source` array the
 * scheduler reads lazily through the cube package.
 */
import {
  parse,
  serialize,
  type Coord,
  type CubeMeta,
  type Dtype,
  type NumericDtype,
  type Publication,
  type SourceArray,
} from '@cubemark/format';
import { fileURLToPath } from 'node:url';
import { FIXTURE_CACHE, makeNetcdf } from '../../../cube/test/fixtures/make-netcdf.js';
import { ncdumpHeader, ncdumpValues, type CdlType, type CdlValue } from '../../../cube/test/netcdf/ncdump.js';

export { makeNetcdf, ncdumpValues };

const DTYPES: Partial<Record<CdlType, NumericDtype>> = {
  byte: 'int8',
  ubyte: 'uint8',
  short: 'int16',
  ushort: 'uint16',
  int: 'int32',
  uint: 'uint32',
  float: 'float32',
  double: 'float64',
  int64: 'int64',
  uint64: 'uint64',
};

export const IRIS_DATA = '/work/shared/data/iris-test-data/NetCDF';

/** Where the tests' data lies: the data roots every test scheduler is given explicitly (the Iris files, fixtures). */
export const TEST_SOURCES = { roots: [IRIS_DATA.replace(/\/NetCDF$/, ''), FIXTURE_CACHE, fileURLToPath(new URL('../../../../fixtures/', import.meta.url))] };

function text(attrs: Map<string, { value: string | (number | bigint)[] }>, key: string): string | undefined {
  const v = attrs.get(key)?.value;
  return typeof v === 'string' ? v : undefined;
}
function num(attrs: Map<string, { type: CdlType; value: string | (number | bigint)[] }>, key: string): number[] | undefined {
  const a = attrs.get(key);
  // ncdump prints floats to 9 digits: round back to the float32 the file holds.
  return Array.isArray(a?.value) ? a.value.map((v) => (a.type === 'float' ? Math.fround(Number(v)) : Number(v))) : undefined;
}

function typed(dtype: NumericDtype, values: number[]) {
  switch (dtype) {
    case 'float32':
      return Float32Array.from(values);
    case 'float64':
      return Float64Array.from(values);
    case 'int32':
      return Int32Array.from(values);
    case 'int16':
      return Int16Array.from(values);
    case 'int8':
      return Int8Array.from(values);
    default:
      return Float64Array.from(values);
  }
}

/** One cube per variable of a NetCDF file (classic or NetCDF-4), read lazily from `path`. */
export async function netcdfPublication(path: string, name: string, variables: string[], format: 'netcdf' | 'hdf5' = 'netcdf'): Promise<Publication> {
  const header = await ncdumpHeader(path);
  const size = (dim: string) => header.dimensions.find((d) => d.name === dim)!.size;
  const coordVars = header.variables.filter((v) => v.dims.length === 1 && v.dims[0] === v.name && DTYPES[v.type]);
  const values = coordVars.length === 0 ? new Map<string, CdlValue[]>() : await ncdumpValues(path, coordVars.map((v) => v.name), header);
  const cubes: CubeMeta[] = variables.map((varName) => {
    const v = header.variables.find((x) => x.name === varName)!;
    const dtype = DTYPES[v.type]!;
    const shape = v.dims.map(size);
    const fill = num(v.attributes, '_FillValue');
    const missing = num(v.attributes, 'missing_value');
    const scale = num(v.attributes, 'scale_factor');
    const offset = num(v.attributes, 'add_offset');
    // CF unpacking gives the type of scale_factor (float → float32, double → float64), as Iris does.
    const packedType = (v.attributes.get('scale_factor') ?? v.attributes.get('add_offset'))?.type;
    const cubeDtype: Dtype = packedType === undefined ? dtype : packedType === 'float' ? 'float32' : 'float64';
    const data: SourceArray = {
      kind: 'source',
      dtype: cubeDtype,
      shape,
      source: 0,
      format,
      variable: varName,
      ...(cubeDtype !== dtype && { stored_dtype: dtype }),
      ...(scale && { scale_factor: scale[0] }),
      ...(offset && { add_offset: offset[0] }),
      ...(fill && { fill_value: fill[0] }),
      ...(missing && { missing_value: missing }),
    };
    const dimCoords: Record<string, Coord> = {};
    for (const dim of v.dims) {
      const cv = coordVars.find((c) => c.name === dim);
      if (!cv) continue;
      const cdtype = DTYPES[cv.type]!;
      const points = (values.get(dim) as CdlValue[]).map(Number);
      dimCoords[dim] = {
        ...(text(cv.attributes, 'standard_name') && { standard_name: text(cv.attributes, 'standard_name') }),
        var_name: dim,
        units: text(cv.attributes, 'units') ?? 'unknown',
        ...(text(cv.attributes, 'calendar') && { calendar: text(cv.attributes, 'calendar') }),
        dims: [dim],
        points: { kind: 'inline', dtype: cdtype, shape: [points.length], values: typed(cdtype, points) },
        attributes: {},
      };
    }
    return {
      ...(text(v.attributes, 'standard_name') && { standard_name: text(v.attributes, 'standard_name') }),
      ...(text(v.attributes, 'long_name') && { long_name: text(v.attributes, 'long_name') }),
      var_name: varName,
      units: text(v.attributes, 'units') ?? 'unknown',
      dims: [...v.dims],
      shape,
      dtype: cubeDtype,
      attributes: {},
      global_attributes: {},
      cell_methods: [],
      dim_coords: dimCoords,
      aux_coords: {},
      derived_coords: {},
      cell_measures: {},
      ancillary_variables: {},
      data,
    };
  });
  const pub: Publication = { cubemark: 1, name, title: `${name} (test)`, provenance: {}, sources: [{ uri: path }], coord_systems: {}, cubes };
  // Through the format once, so what tests publish is a document the format accepts.
  const r = parse(serialize(pub));
  if (!r.publication) throw new Error(`test publication ${name} is invalid: ${r.errors.map((e) => e.format()).join('\n')}`);
  return r.publication;
}

/** The `.cube.md` text of a publication, with some prose to check it is kept. */
export function document(pub: Publication, prose = 'Prose written by a person: kept byte for byte.'): string {
  return serialize(pub, { body: `\n# ${pub.title ?? pub.name}\n\n${prose}\n` });
}

/** A small publication with inline data (no files): `cubes` cubes of `n` float64 values each. */
export function inlinePublication(name: string, cubes = 1, n = 4): Publication {
  const cube = (i: number): CubeMeta => ({
    long_name: `field_${i}`,
    var_name: `field_${i}`,
    units: 'K',
    dims: ['x'],
    shape: [n],
    dtype: 'float64',
    attributes: {},
    global_attributes: {},
    cell_methods: [],
    dim_coords: { x: { long_name: 'x', var_name: 'x', units: 'm', dims: ['x'], points: { kind: 'regular', dtype: 'float64', shape: [n], start: [0], step: 1 }, attributes: {} } },
    aux_coords: {},
    derived_coords: {},
    cell_measures: {},
    ancillary_variables: {},
    data: { kind: 'inline', dtype: 'float64', shape: [n], values: Float64Array.from({ length: n }, (_, j) => i * 1000 + j) },
  });
  return { cubemark: 1, name, title: `Inline ${name}`, provenance: {}, sources: [], coord_systems: {}, cubes: Array.from({ length: cubes }, (_, i) => cube(i)) };
}

/** A field4d-like publication: fixture `field4d.nc` from committed CDL, cubes ta(time, level, y, x) and ps(time, y, x). */
export async function field4d(name = 'field4d'): Promise<{ path: string; publication: Publication }> {
  const path = await makeNetcdf('field4d');
  return { path, publication: await netcdfPublication(path, name, ['ta', 'ps']) };
}
