import type { AncillaryVariable, CellMeasure, Coord, Dtype, Publication, SourceArray } from '@cubemark/format';
import { CF_FORMULAS, nameOf } from '@cubemark/format';
import { InteropError, cannotExpress } from '../errors.js';
import { FORMULA_PRIMARY, attributeList, axisOf, cellMethodsText, gridMappingAttributes, namesAttributes, safeName } from './cf-attributes.js';
import { packingAttributes, packingOf, stable, storedDtypeOf } from './packing.js';
import type { NcAttribute, NcDimension, NcVariable, NcView, ViewOptions } from './types.js';

export type { NcAttribute, NcDimension, NcRole, NcVariable, NcView, ViewOptions } from './types.js';

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
    // The values' JSON is not serialised again inside the signature (a NUL cannot occur in JSON text).
    const signature = `${values}\u0000${stable(v.attributes)}`;
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
      const text = stable(value);
      if (cubes.every((c) => name in c.global_attributes && stable(c.global_attributes[name]) === text)) globals.push({ name, value });
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
      const formula = CF_FORMULAS[derived.formula];
      const primaryArg = FORMULA_PRIMARY[derived.formula];
      const primary = variables.find((v) => v.name === coordVar.get(derived.terms[primaryArg]));
      if (!primary) throw cannotExpress(target, `${what}, derived coordinate '${key}': its ${primaryArg} term has no variable`);
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

    /** The variable of a cell measure or an ancillary variable: its values where they are, names and attributes. */
    const itemVariable = (key: string, item: CellMeasure | AncillaryVariable, role: 'cell_measure' | 'ancillary', label: string): string => {
      const stored = storedDtypeOf(item.data, `${what}, ${label} '${key}'`);
      return variable(item.data.kind === 'source' ? item.data.variable : (item.var_name ?? key), {
        role,
        dims: mapDims(item.dims),
        shape: item.dims.map((d) => cube.shape[cube.dims.indexOf(d)]),
        dtype: stored,
        valueDtype: item.data.dtype,
        attributes: [...namesAttributes(item), ...attributeList(item.attributes), ...packing(packingOf(item.data, key), stored, item.data.dtype, attributeList(item.attributes))],
        data: item.data,
      });
    };
    const measureRefs = Object.entries(cube.cell_measures).map(([key, m]) => `${m.measure}: ${itemVariable(key, m, 'cell_measure', 'cell measure')}`);
    const ancillaryNames = Object.entries(cube.ancillary_variables).map(([key, a]) => itemVariable(key, a, 'ancillary', 'ancillary variable'));

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
