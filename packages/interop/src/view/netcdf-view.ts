import type {
  ArrayData,
  AttributeValue,
  Attributes,
  CellMethod,
  Coord,
  CoordSystem,
  Dtype,
  Ellipsoid,
  FactoryKind,
  NumericDtype,
  Publication,
  SourceArray,
} from '@cubemark/format';
import { InteropError, cannotExpress } from '../errors.js';

/**
 * The NetCDF (CF) view of a publication: the dimensions, variables and attributes a CF-writing tool such as Iris
 * would write for its cubes. Every export (kerchunk, CDL, NcML, STAC) starts from it, so they agree on names.
 */
export interface NcView {
  dimensions: NcDimension[];
  variables: NcVariable[];
  /** File-global attributes: those every cube's `global_attributes` hold with the same value. */
  globals: NcAttribute[];
}

export interface NcDimension {
  name: string;
  length: number;
  /** The record dimension of the NetCDF classic file its variables come from. */
  unlimited?: boolean;
}

export interface NcAttribute {
  name: string;
  value: AttributeValue;
}

/** What a variable is for; exporters treat data and coordinates differently (STAC's data vs auxiliary). */
export type NcRole = 'data' | 'dim_coord' | 'aux_coord' | 'bounds' | 'grid_mapping' | 'cell_measure' | 'ancillary';

export interface NcVariable {
  name: string;
  role: NcRole;
  dims: string[];
  shape: number[];
  /** The stored dtype: a source reference's `stored_dtype` (packed data), else the array's dtype. */
  dtype: Dtype;
  /** The dtype values have once unpacked (differs from `dtype` for packed data). */
  valueDtype: Dtype;
  attributes: NcAttribute[];
  /** Where the stored values are; absent for a grid-mapping variable (no values, only attributes). */
  data?: ArrayData;
  /** For data variables: the index of the cube in the publication. */
  cube?: number;
  /** For coordinates: the publication's coordinate (its coordinate system, bounds, calendar). */
  coord?: Coord;
}

/** CF term names of each Iris aux factory, its CF standard name, and the term whose variable carries the formula. */
const FORMULAS: Record<FactoryKind, { standard_name: string; primary: string; terms: Record<string, string> }> = {
  hybrid_height: { standard_name: 'atmosphere_hybrid_height_coordinate', primary: 'delta', terms: { delta: 'a', sigma: 'b', orography: 'orog' } },
  hybrid_pressure: { standard_name: 'atmosphere_hybrid_sigma_pressure_coordinate', primary: 'delta', terms: { delta: 'ap', sigma: 'b', surface_air_pressure: 'ps' } },
  atmosphere_sigma: { standard_name: 'atmosphere_sigma_coordinate', primary: 'sigma', terms: { pressure_at_top: 'ptop', sigma: 'sigma', surface_air_pressure: 'ps' } },
  ocean_sigma_z: { standard_name: 'ocean_sigma_z_coordinate', primary: 'zlev', terms: { sigma: 'sigma', eta: 'eta', depth: 'depth', depth_c: 'depth_c', nsigma: 'nsigma', zlev: 'zlev' } },
  ocean_sigma: { standard_name: 'ocean_sigma_coordinate', primary: 'sigma', terms: { sigma: 'sigma', eta: 'eta', depth: 'depth' } },
  ocean_s: { standard_name: 'ocean_s_coordinate', primary: 's', terms: { s: 's', eta: 'eta', depth: 'depth', a: 'a', b: 'b', depth_c: 'depth_c' } },
  ocean_s_g1: { standard_name: 'ocean_s_coordinate_g1', primary: 's', terms: { s: 's', c: 'C', eta: 'eta', depth: 'depth', depth_c: 'depth_c' } },
  ocean_s_g2: { standard_name: 'ocean_s_coordinate_g2', primary: 's', terms: { s: 's', c: 'C', eta: 'eta', depth: 'depth', depth_c: 'depth_c' } },
};

/** Iris's `name()`. */
export function nameOf(item: { standard_name?: string; long_name?: string; var_name?: string }): string {
  return item.standard_name || item.long_name || item.var_name || 'unknown';
}

/** A NetCDF-safe name (letters, digits, `_ . @ + -`, not starting with a digit or punctuation). */
export function safeName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_.@+-]/g, '_');
  return /^[A-Za-z_]/.test(s) ? s : `_${s}`;
}

/** CF `cell_methods` text: `time: mean (interval: 1 hour comment: x)`. */
export function cellMethodsText(methods: readonly CellMethod[]): string {
  return methods
    .map((m) => {
      const head = [...m.coords.map((c) => `${c}:`), m.method].join(' ');
      const extra = [...m.intervals.map((i) => `interval: ${i}`), ...m.comments.map((c) => (m.intervals.length ? `comment: ${c}` : c))].join(' ');
      return extra ? `${head} (${extra})` : head;
    })
    .join(' ');
}

function stable(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number | bigint>, (x) => (typeof x === 'bigint' ? `${x}n` : Number.isNaN(x) ? 'NaN' : x));
    return v;
  });
}

const f64 = (v: number): AttributeValue => ({ dtype: 'float64', values: Float64Array.of(v) });

/** A numeric attribute of the stored dtype (fill and missing values, valid range). */
function storedAttr(dtype: Dtype, values: readonly number[]): AttributeValue {
  const d: NumericDtype = dtype === 'string' ? 'float64' : dtype;
  switch (d) {
    case 'int8':
      return { dtype: d, values: Int8Array.from(values) };
    case 'uint8':
      return { dtype: d, values: Uint8Array.from(values) };
    case 'int16':
      return { dtype: d, values: Int16Array.from(values) };
    case 'uint16':
      return { dtype: d, values: Uint16Array.from(values) };
    case 'int32':
      return { dtype: d, values: Int32Array.from(values) };
    case 'uint32':
      return { dtype: d, values: Uint32Array.from(values) };
    case 'int64':
      return { dtype: d, values: BigInt64Array.from(values, (v) => BigInt(v)) };
    case 'uint64':
      return { dtype: d, values: BigUint64Array.from(values, (v) => BigInt(v)) };
    case 'float32':
      return { dtype: d, values: Float32Array.from(values) };
    default:
      return { dtype: 'float64', values: Float64Array.from(values) };
  }
}

/** The first source reference of an array (itself, or the parts of a combination, which must agree on packing). */
export function packingOf(data: ArrayData, what: string): SourceArray | undefined {
  if (data.kind === 'source') return data;
  if (data.kind !== 'combined') return undefined;
  const parts = data.parts.filter((p): p is SourceArray => p.kind === 'source');
  if (parts.length !== data.parts.length) throw cannotExpress('a NetCDF variable', `${what}: a combination of parts that are not source references`);
  const key = (p: SourceArray) => stable([p.stored_dtype, p.scale_factor, p.add_offset, p.fill_value, p.missing_value, p.valid_min, p.valid_max]);
  if (parts.some((p) => key(p) !== key(parts[0]))) {
    throw cannotExpress('a NetCDF variable', `${what}: its parts differ in packing or masking (scale_factor, add_offset, _FillValue, missing_value, valid range), which one variable's attributes cannot say`);
  }
  return parts[0];
}

/** NetCDF's default fill values (`NC_FILL_*`), which NetCDF readers treat as missing without a `_FillValue`. */
const DEFAULT_FILL: Record<NumericDtype, number> = {
  int8: -127,
  uint8: 255,
  int16: -32767,
  uint16: 65535,
  int32: -2147483647,
  uint32: 4294967295,
  int64: -9223372036854775806,
  uint64: 18446744073709551614,
  float32: Math.fround(9.969209968386869e36),
  float64: 9.969209968386869e36,
};

/** CF packing and masking attributes of a source reference (as netCDF4-python and Iris read them). */
function packingAttributes(ref: SourceArray | undefined, storedDtype: Dtype, valueDtype: Dtype, omitDefaultFill = false): NcAttribute[] {
  if (!ref) return [];
  const out: NcAttribute[] = [];
  const packType: NumericDtype = valueDtype === 'float32' ? 'float32' : 'float64';
  // Compared in the stored dtype: a file says `9.96921e+36` for float32's default fill.
  const asStored = (v: number) => (storedDtype === 'float32' ? Math.fround(v) : v);
  const defaultFill = storedDtype !== 'string' && ref.fill_value !== undefined && asStored(ref.fill_value) === DEFAULT_FILL[storedDtype];
  if (ref.fill_value !== undefined && !(omitDefaultFill && defaultFill)) out.push({ name: '_FillValue', value: storedAttr(storedDtype, [ref.fill_value]) });
  if (ref.missing_value?.length) out.push({ name: 'missing_value', value: storedAttr(storedDtype, ref.missing_value) });
  if (ref.valid_min !== undefined && ref.valid_max !== undefined) out.push({ name: 'valid_range', value: storedAttr(storedDtype, [ref.valid_min, ref.valid_max]) });
  else if (ref.valid_min !== undefined) out.push({ name: 'valid_min', value: storedAttr(storedDtype, [ref.valid_min]) });
  else if (ref.valid_max !== undefined) out.push({ name: 'valid_max', value: storedAttr(storedDtype, [ref.valid_max]) });
  if (ref.scale_factor !== undefined) out.push({ name: 'scale_factor', value: storedAttr(packType, [ref.scale_factor]) });
  if (ref.add_offset !== undefined) out.push({ name: 'add_offset', value: storedAttr(packType, [ref.add_offset]) });
  return out;
}

function attributeList(attrs: Attributes): NcAttribute[] {
  return Object.entries(attrs).map(([name, value]) => ({ name, value }));
}

/** CF units of latitude and longitude in degrees (Iris writes these for the true latitude and longitude). */
function cfUnits(standardName: string | undefined, units: string): string {
  if (units !== 'degrees') return units;
  if (standardName === 'latitude') return 'degrees_north';
  if (standardName === 'longitude') return 'degrees_east';
  return units;
}

function namesAttributes(item: { standard_name?: string; long_name?: string; units?: string; calendar?: string }): NcAttribute[] {
  const out: NcAttribute[] = [];
  if (item.standard_name) out.push({ name: 'standard_name', value: item.standard_name });
  if (item.long_name) out.push({ name: 'long_name', value: item.long_name });
  if (item.units !== undefined && item.units !== 'unknown') out.push({ name: 'units', value: cfUnits(item.standard_name, item.units) });
  if (item.calendar) out.push({ name: 'calendar', value: item.calendar });
  return out;
}

const ELLIPSOID_KEYS = new Set(['semi_major_axis', 'semi_minor_axis', 'inverse_flattening', 'longitude_of_prime_meridian']);

/** CF figure-of-the-Earth attributes, as Iris writes them: `earth_radius` for a sphere, else both semi-axes. */
function ellipsoidAttributes(e: Ellipsoid): NcAttribute[] {
  const out: NcAttribute[] = [];
  const a = e.semi_major_axis;
  if (a !== undefined) {
    const b = e.semi_minor_axis ?? (e.inverse_flattening ? a - a / e.inverse_flattening : a);
    if (b === a) out.push({ name: 'earth_radius', value: f64(a) });
    else out.push({ name: 'semi_major_axis', value: f64(a) }, { name: 'semi_minor_axis', value: f64(b) });
  }
  if (e.longitude_of_prime_meridian !== undefined) out.push({ name: 'longitude_of_prime_meridian', value: f64(e.longitude_of_prime_meridian) });
  return out;
}

/** CF grid-mapping attributes of a coordinate system. */
function gridMappingAttributes(cs: CoordSystem): NcAttribute[] {
  const out: NcAttribute[] = [{ name: 'grid_mapping_name', value: cs.kind }];
  const flat = cs as unknown as Record<string, unknown>;
  const ellipsoid = (cs.kind === 'latitude_longitude' ? cs : (flat.ellipsoid as Ellipsoid | undefined)) ?? {};
  for (const [key, value] of Object.entries(cs)) {
    if (key === 'kind' || key === 'ellipsoid' || ELLIPSOID_KEYS.has(key) || value === undefined) continue;
    if (typeof value === 'number') {
      out.push({ name: key, value: f64(value) });
    } else if (Array.isArray(value)) {
      out.push({ name: key, value: { dtype: 'float64', values: Float64Array.from(value as number[]) } });
    } else if (typeof value === 'string') {
      out.push({ name: key, value });
    }
  }
  out.push(...ellipsoidAttributes(ellipsoid));
  return out;
}

const X_NAMES = new Set(['longitude', 'grid_longitude', 'projection_x_coordinate']);
const Y_NAMES = new Set(['latitude', 'grid_latitude', 'projection_y_coordinate']);
const Z_NAMES = new Set([...Object.values(FORMULAS).map((f) => f.standard_name), 'altitude', 'height', 'depth', 'air_pressure', 'model_level_number']);
const PRESSURE = /^(h|k)?pa$|^mbar$|^millibar$|^bar$/i;

/** Iris's guess of a 1-D coordinate's axis (`guess_coord_axis`), written as CF `axis`. */
function axisOf(coord: Coord): 'X' | 'Y' | 'Z' | 'T' | undefined {
  const name = coord.standard_name ?? '';
  if (X_NAMES.has(name)) return 'X';
  if (Y_NAMES.has(name)) return 'Y';
  if (/ since /i.test(coord.units)) return 'T';
  if (Z_NAMES.has(name) || PRESSURE.test(coord.units) || coord.attributes.positive !== undefined) return 'Z';
  return undefined;
}

function storedDtypeOf(data: ArrayData, what: string): Dtype {
  const ref = packingOf(data, what);
  return ref?.stored_dtype ?? data.dtype;
}

export interface ViewOptions {
  /** For messages: the target the view is built for (`kerchunk`, `CDL`, ...). */
  target?: string;
  /**
   * Leave out a `_FillValue` equal to NetCDF's default fill for the type (default: false). NetCDF targets (CDL,
   * NcML) mask those values without it; Zarr readers (kerchunk) do not, so they need it written.
   */
  omitDefaultFill?: boolean;
}

/**
 * Build the NetCDF view of a publication. Names: a cube's data variable is its `var_name` (else the variable its
 * data reference reads, else its name); coordinates keep their `var_name` (or key); a name wanted twice for
 * different things gets a `_1`, `_2`, ... suffix, so several cubes share identical coordinates and dimensions.
 */
export function netcdfView(publication: Publication, options: ViewOptions = {}): NcView {
  const target = options.target ?? 'a NetCDF view';
  const omitDefaultFill = options.omitDefaultFill ?? false;
  /** Packing attributes not already among `existing` (Iris keeps `valid_min`, `valid_range`... as attributes too). */
  const packing = (ref: SourceArray | undefined, stored: Dtype, value: Dtype, existing: readonly NcAttribute[] = []) => {
    const have = new Set(existing.map((a) => a.name));
    const range = ['valid_min', 'valid_max', 'valid_range'].some((n) => have.has(n));
    return packingAttributes(ref, stored, value, omitDefaultFill).filter((a) => !have.has(a.name) && !(range && a.name.startsWith('valid_')));
  };
  const dimensions: NcDimension[] = [];
  const dimSignature = new Map<string, string>();
  const variables: NcVariable[] = [];
  const varSignature = new Map<string, string>();
  const valueSignature = new Map<string, string>();

  /** A dimension named `want` (or a suffixed name) with this signature; reused when the signature matches. */
  const dim = (want: string, length: number, signature: string): string => {
    const base = safeName(want);
    for (let i = 0; ; i++) {
      const name = i === 0 ? base : `${base}_${i}`;
      const existing = dimSignature.get(name);
      if (existing === signature) return name;
      if (existing === undefined && !varSignature.has(name) ) {
        dimSignature.set(name, signature);
        dimensions.push({ name, length });
        return name;
      }
    }
  };

  /**
   * A variable named `want` (or suffixed); an identical variable already there is reused, so a cube that is also
   * another cube's coordinate (an orography) is one variable, as in the file it came from.
   */
  const variable = (want: string, v: Omit<NcVariable, 'name'>, exact = false): string => {
    const values = stable([v.dims, v.shape, v.dtype, v.valueDtype, v.data]);
    const signature = stable([values, v.attributes]);
    const base = safeName(want);
    for (let i = 0; ; i++) {
      const name = i === 0 ? base : `${base}_${i}`;
      const existing = varSignature.get(name);
      const known = existing === undefined ? undefined : variables.find((x) => x.name === name)!;
      if (existing === signature) {
        if (v.role === 'data') Object.assign(known!, { role: 'data', cube: v.cube });
        return name;
      }
      // A cube whose values are another cube's auxiliary coordinate: one variable, with the cube's attributes added.
      if (known && valueSignature.get(name) === values && [known.role, v.role].includes('data') && [known.role, v.role].includes('aux_coord')) {
        const names = new Set(v.attributes.map((a) => a.name));
        known.attributes = [...known.attributes.filter((a) => !names.has(a.name)), ...v.attributes];
        if (v.role === 'data') Object.assign(known, { role: 'data', cube: v.cube });
        return name;
      }
      // Only a dimension's coordinate variable may be named as the dimension (CF coordinate variables).
      const clash = existing !== undefined || (!exact && dimSignature.has(name));
      if (!clash) {
        varSignature.set(name, signature);
        valueSignature.set(name, values);
        variables.push({ name, ...v });
        return name;
      }
    }
  };

  // Attributes every cube holds alike are global; the others stay with each cube's variable.
  const cubes = publication.cubes;
  const globals: NcAttribute[] = [];
  if (cubes.length > 0) {
    for (const [name, value] of Object.entries(cubes[0].global_attributes)) {
      if (cubes.every((c) => name in c.global_attributes && stable(c.global_attributes[name]) === stable(value))) globals.push({ name, value });
    }
  }
  const globalNames = new Set(globals.map((g) => g.name));

  const gridMappings = new Map<string, string>();
  const gridMapping = (key: string): string => {
    const known = gridMappings.get(key);
    if (known) return known;
    const cs = publication.coord_systems[key];
    if (!cs) throw new InteropError('EXPORT_CANNOT_EXPRESS', `coordinate system '${key}' is not defined in the publication`);
    const name = variable(key, { role: 'grid_mapping', dims: [], shape: [], dtype: 'int32', valueDtype: 'int32', attributes: gridMappingAttributes(cs) });
    gridMappings.set(key, name);
    return name;
  };

  cubes.forEach((cube, index) => {
    const what = `cube ${index} (${nameOf(cube)})`;
    // Dimensions, keyed by their dimension coordinate so two cubes on one grid share them.
    const dimName = new Map<string, string>();
    cube.dims.forEach((d, i) => {
      const coord = cube.dim_coords[d];
      dimName.set(d, dim(d, cube.shape[i], stable([cube.shape[i], coord ?? null])));
    });
    const mapDims = (dims: readonly string[]) => dims.map((d) => dimName.get(d)!);
    const coordVar = new Map<string, string>();
    let gridMappingName: string | undefined;

    const addCoord = (key: string, coord: Coord, role: 'dim_coord' | 'aux_coord'): string => {
      const cwhat = `${what}, coordinate '${key}'`;
      const dims = role === 'dim_coord' ? [dimName.get(key)!] : mapDims(coord.dims);
      const shape = role === 'dim_coord' ? [cube.shape[cube.dims.indexOf(key)]] : coord.dims.map((d) => cube.shape[cube.dims.indexOf(d)]);
      if (coord.coord_system && !gridMappingName) gridMappingName = gridMapping(coord.coord_system);
      const attributes = [...namesAttributes(coord)];
      const axis = dims.length === 1 && coord.attributes.axis === undefined ? axisOf(coord) : undefined;
      if (axis) attributes.push({ name: 'axis', value: axis });
      let boundsName: string | undefined;
      if (coord.bounds) {
        const n = coord.bounds.shape[coord.bounds.shape.length - 1] ?? 2;
        const bdim = dim(n === 2 ? 'bnds' : `bnds${n}`, n, `bounds ${n}`);
        const bwant = coord.bounds.kind === 'source' ? coord.bounds.variable : `${coord.var_name ?? key}_bnds`;
        const bstored = storedDtypeOf(coord.bounds, `${cwhat} bounds`);
        boundsName = variable(bwant, {
          role: 'bounds',
          dims: [...dims, bdim],
          shape: [...shape, n],
          dtype: bstored,
          valueDtype: coord.bounds.dtype,
          attributes: packing(packingOf(coord.bounds, `${cwhat} bounds`), bstored, coord.bounds.dtype),
          data: coord.bounds,
        });
        attributes.push({ name: coord.climatological ? 'climatology' : 'bounds', value: boundsName });
      }
      attributes.push(...attributeList(coord.attributes));
      const stored = storedDtypeOf(coord.points, cwhat);
      attributes.push(...packing(packingOf(coord.points, cwhat), stored, coord.points.dtype, attributes));
      const want = role === 'dim_coord' ? dims[0] : coord.points.kind === 'source' ? coord.points.variable : (coord.var_name ?? key);
      const v: Omit<NcVariable, 'name'> = { role, dims, shape, dtype: stored, valueDtype: coord.points.dtype, attributes, data: coord.points, coord };
      // A dimension coordinate must be named as its dimension (a CF coordinate variable).
      const name = variable(want, v, role === 'dim_coord');
      if (role === 'dim_coord' && name !== dims[0]) {
        throw new InteropError('EXPORT_CANNOT_EXPRESS', `${cwhat}: ${target} needs the coordinate variable of dimension '${dims[0]}' to be named as it, and that name is taken`);
      }
      coordVar.set(key, name);
      return name;
    };

    for (const [key, coord] of Object.entries(cube.dim_coords)) addCoord(key, coord, 'dim_coord');
    const auxNames: string[] = [];
    for (const [key, coord] of Object.entries(cube.aux_coords)) auxNames.push(addCoord(key, coord, 'aux_coord'));

    // Derived coordinates: CF formula_terms on the variable of the formula's primary term.
    for (const [key, derived] of Object.entries(cube.derived_coords)) {
      const formula = FORMULAS[derived.formula];
      const primaryKey = derived.terms[formula.primary];
      const primary = variables.find((v) => v.name === coordVar.get(primaryKey));
      if (!primary) throw cannotExpress(target, `${what}, derived coordinate '${key}': its ${formula.primary} term has no variable`);
      const terms = Object.entries(derived.terms)
        .map(([term, coordKey]) => `${formula.terms[term] ?? term}: ${coordVar.get(coordKey) ?? coordKey}`)
        .join(' ');
      primary.attributes = primary.attributes.filter((a) => a.name !== 'standard_name' && a.name !== 'formula_terms' && a.name !== 'axis');
      primary.attributes.unshift({ name: 'standard_name', value: formula.standard_name });
      primary.attributes.push({ name: 'formula_terms', value: terms });
      if (primary.dims.length === 1) primary.attributes.push({ name: 'axis', value: 'Z' });
      // CF: the bounds of a parametric coordinate say how to compute bounds, from the terms' bounds where they have them.
      const boundsOf = (name: string | undefined) => {
        const b = variables.find((v) => v.name === name)?.attributes.find((a) => a.name === 'bounds')?.value;
        return typeof b === 'string' ? b : undefined;
      };
      const primaryBounds = boundsOf(primary.name);
      const boundsVar = variables.find((v) => v.name === primaryBounds);
      if (boundsVar) {
        const boundsTerms = Object.entries(derived.terms)
          .map(([term, coordKey]) => `${formula.terms[term] ?? term}: ${boundsOf(coordVar.get(coordKey)) ?? coordVar.get(coordKey) ?? coordKey}`)
          .join(' ');
        boundsVar.attributes = [...boundsVar.attributes.filter((a) => a.name !== 'formula_terms'), { name: 'formula_terms', value: boundsTerms }];
      }
    }

    const measureRefs: string[] = [];
    for (const [key, m] of Object.entries(cube.cell_measures)) {
      const stored = storedDtypeOf(m.data, `${what}, cell measure '${key}'`);
      const name = variable(m.data.kind === 'source' ? m.data.variable : (m.var_name ?? key), {
        role: 'cell_measure',
        dims: mapDims(m.dims),
        shape: m.dims.map((d) => cube.shape[cube.dims.indexOf(d)]),
        dtype: stored,
        valueDtype: m.data.dtype,
        attributes: [...namesAttributes(m), ...attributeList(m.attributes), ...packing(packingOf(m.data, key), stored, m.data.dtype, attributeList(m.attributes))],
        data: m.data,
      });
      measureRefs.push(`${m.measure}: ${name}`);
    }
    const ancillaryNames: string[] = [];
    for (const [key, a] of Object.entries(cube.ancillary_variables)) {
      const stored = storedDtypeOf(a.data, `${what}, ancillary variable '${key}'`);
      ancillaryNames.push(
        variable(a.data.kind === 'source' ? a.data.variable : (a.var_name ?? key), {
          role: 'ancillary',
          dims: mapDims(a.dims),
          shape: a.dims.map((d) => cube.shape[cube.dims.indexOf(d)]),
          dtype: stored,
          valueDtype: a.data.dtype,
          attributes: [...namesAttributes(a), ...attributeList(a.attributes), ...packing(packingOf(a.data, key), stored, a.data.dtype, attributeList(a.attributes))],
          data: a.data,
        }),
      );
    }

    const attributes: NcAttribute[] = namesAttributes(cube);
    if (cube.cell_methods.length) attributes.push({ name: 'cell_methods', value: cellMethodsText(cube.cell_methods) });
    if (gridMappingName) attributes.push({ name: 'grid_mapping', value: gridMappingName });
    if (auxNames.length) attributes.push({ name: 'coordinates', value: auxNames.join(' ') });
    if (measureRefs.length) attributes.push({ name: 'cell_measures', value: measureRefs.join(' ') });
    if (ancillaryNames.length) attributes.push({ name: 'ancillary_variables', value: ancillaryNames.join(' ') });
    const locals = { ...Object.fromEntries(Object.entries(cube.global_attributes).filter(([k]) => !globalNames.has(k))), ...cube.attributes };
    attributes.push(...attributeList(locals));
    const stored = storedDtypeOf(cube.data, what);
    attributes.push(...packing(packingOf(cube.data, what), stored, cube.dtype, attributes));
    const want = cube.var_name ?? (cube.data.kind === 'source' ? cube.data.variable : nameOf(cube));
    variable(want, { role: 'data', dims: mapDims(cube.dims), shape: [...cube.shape], dtype: stored, valueDtype: cube.dtype, attributes, data: cube.data, cube: index });
  });

  // The record dimension: the first dimension of variables read by record from a NetCDF classic file.
  for (const v of variables) {
    const ref = v.data && packingOf(v.data, v.name);
    if (ref?.format === 'netcdf' && ref.options?.record_stride !== undefined && v.dims.length > 0) {
      const d = dimensions.find((x) => x.name === v.dims[0]);
      if (d) d.unlimited = true;
    }
  }
  return { dimensions, variables, globals };
}
