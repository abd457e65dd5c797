import type {
  AncillaryVariable,
  ArrayData,
  ArrayValues,
  Attributes,
  CellMeasure,
  Coord,
  CoordSystem,
  CubeMeta,
  DerivedCoord,
  Mesh,
  Names,
} from '@cubemark/format';
import { nameOf } from '@cubemark/format';
import type { RangeOptions } from '../bytes/types.js';
import type { Dataset, DatasetVariable } from '../readers/dataset.js';
import { managedAttributes, unusedAttributes } from './attributes.js';
import { parseCellMethods } from './cell-methods.js';
import { classify, type CfClassification } from './classify.js';
import { coordSystemOf, gridClassOf, type GridClass } from './coord-systems.js';
import { stringAxis, transposedLabels } from './labels.js';
import { isCircular, strictlyMonotonic } from './monotonic.js';
import { coordNames, cubeNames } from './names.js';
import { derivedCoord, type BuiltCoord } from './formula.js';
import { attrUnits, isTimePeriod, isTimeReference, textAttribute } from './units.js';
import {
  decodedArray,
  filled,
  moveAxisLast,
  plainArray,
  readDecoded,
  sourceReference,
  type ArrayOrigin,
  type Decoded,
} from './values.js';
import { WarningLog, type CfWarning } from './warnings.js';
import { buildMeshes, cubeMeshOf } from './ugrid/mesh.js';
import { MeshError } from '../errors.js';

export interface CubesFromDatasetOptions extends RangeOptions {
  /**
   * Coordinates, bounds, cell measures and ancillary variables with more values than this are not read: they stay
   * references into the file (default: 10000, so the 2-D latitudes of a large grid stay in the file).
   */
  maxInlineValues?: number;
}

export interface DatasetCubes {
  cubes: CubeMeta[];
  /** The coordinate systems the cubes refer to, keyed by grid mapping variable name. */
  coordSystems: Record<string, CoordSystem>;
  /** The file's UGRID meshes, keyed by mesh variable name. */
  meshes: Record<string, Mesh>;
  warnings: CfWarning[];
}

export const DEFAULT_MAX_INLINE_VALUES = 10_000;

/** The coordinate type Iris's load rules give a variable, and the standard name and grid class it implies. */
interface CoordType {
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
function dimCoordType(v: DatasetVariable): CoordType {
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
function auxCoordName(v: DatasetVariable): string | undefined {
  if (isTime(v) || isTimePeriod(textAttribute(v.attributes, 'units'))) return undefined;
  if (isLongitude(v)) return isRotated(v, 'grid_longitude') ? 'grid_longitude' : 'longitude';
  if (isLatitude(v)) return isRotated(v, 'grid_latitude') ? 'grid_latitude' : 'latitude';
  return undefined;
}


/** Builds the cubes of one dataset. */
class CubeBuilder {
  private readonly log: WarningLog;
  private readonly cf: CfClassification;
  private readonly decoded = new Map<string, Promise<Decoded>>();
  private readonly systems = new Map<string, CoordSystem | undefined>();
  private readonly origin: ArrayOrigin;
  private readonly maxInline: number;
  private meshes = new Map<string, Mesh>();

  constructor(
    private readonly dataset: Dataset,
    source: number,
    private readonly options: CubesFromDatasetOptions,
  ) {
    this.log = new WarningLog(source);
    this.cf = classify(dataset, this.log);
    this.origin = { source, format: dataset.format };
    this.maxInline = options.maxInlineValues ?? DEFAULT_MAX_INLINE_VALUES;
  }

  get warnings(): CfWarning[] {
    return this.log.warnings;
  }

  private variable(name: string): DatasetVariable {
    return this.dataset.variables.get(name) as DatasetVariable;
  }

  private read(v: DatasetVariable): Promise<Decoded> {
    let p = this.decoded.get(v.name);
    if (!p) this.decoded.set(v.name, (p = readDecoded(v, { signal: this.options.signal })));
    return p;
  }

  private small(v: DatasetVariable): boolean {
    return v.shape.reduce((a, b) => a * b, 1) <= this.maxInline;
  }

  /** The coordinate system of a grid mapping variable, built once (its warnings once). */
  coordSystem(name: string): CoordSystem | undefined {
    if (!this.systems.has(name)) this.systems.set(name, coordSystemOf(name, this.variable(name).attributes, this.log));
    return this.systems.get(name);
  }

  usedCoordSystems(): Record<string, CoordSystem> {
    const out: Record<string, CoordSystem> = {};
    for (const [name, cs] of this.systems) if (cs) out[name] = cs;
    return out;
  }

  builtMeshes(): Record<string, Mesh> {
    return Object.fromEntries(this.meshes);
  }

  /** A mesh part's values: inline when small (decoded, masked ones kept with their encoding), else a reference. */
  private async meshArray(v: DatasetVariable): Promise<ArrayData> {
    return this.small(v) ? decodedArray(await this.read(v), v, this.origin) : sourceReference(v, this.origin);
  }

  async cubes(): Promise<CubeMeta[]> {
    const ugrid = this.cf.ugrid;
    try {
      if (ugrid) this.meshes = await buildMeshes({ dataset: this.dataset, log: this.log, ugrid, array: (v) => this.meshArray(v) });
    } catch (error) {
      // Iris warns, then raises: the warnings go with the error.
      if (error instanceof MeshError) error.warnings.push(...this.log.warnings);
      throw error;
    }
    const cubes: CubeMeta[] = [];
    for (const name of this.cf.cubeVariables) cubes.push(await this.cube(this.variable(name)));
    return cubes;
  }

  /** Bounds of a coordinate variable (or its climatology), as Iris's `get_cf_bounds_var`, read and decoded. */
  private async bounds(coordVar: DatasetVariable, inlinePoints: boolean): Promise<{ data?: ArrayData; decoded?: Decoded; climatological: boolean }> {
    const group = this.cf.groups.get(coordVar.name)?.members ?? [];
    const boundsName = textAttribute(coordVar.attributes, 'bounds')?.trim();
    const climatologyName = textAttribute(coordVar.attributes, 'climatology')?.trim();
    if (boundsName !== undefined && climatologyName !== undefined) {
      this.log.add('CF_BOUNDS_IGNORED', `Ignoring climatology in favour of bounds attribute on NetCDF variable '${coordVar.name}'.`, coordVar.name);
    }
    let name: string | undefined;
    let climatological = false;
    if (boundsName !== undefined) {
      if (group.includes(boundsName) && this.cf.roles.get(boundsName) === 'bounds') name = boundsName;
    } else if (climatologyName !== undefined) {
      if (group.includes(climatologyName) && this.cf.roles.get(climatologyName) === 'climatology') {
        name = climatologyName;
        climatological = true;
      }
    }
    if (name === undefined) return { climatological: false };
    const b = this.variable(name);
    const vertexDims = b.dims.filter((d) => !coordVar.dims.includes(d));
    const transposed = b.shape.slice(0, -1).join() !== coordVar.shape.join();
    if (transposed && vertexDims.length !== 1) {
      this.log.add(
        'CF_BOUNDS_IGNORED',
        `Ignoring bounds '${name}' of '${coordVar.name}': too many dimension names differ between the coordinate and its bounds variable (expected 1, got ${vertexDims.length}).`,
        coordVar.name,
      );
      return { climatological: false };
    }
    const pointsUnits = attrUnits(coordVar, {}, new WarningLog()).units;
    const boundsUnitsText = textAttribute(b.attributes, 'units');
    if (boundsUnitsText !== undefined) {
      const boundsUnits = attrUnits(b, {}, this.log).units;
      if (boundsUnits !== 'unknown' && boundsUnits !== pointsUnits) {
        this.log.add('CF_BOUNDS_IGNORED', `Bounds '${name}' of '${coordVar.name}' are in '${boundsUnits}', not '${pointsUnits}': kept unconverted.`, coordVar.name);
      }
    }
    if (!inlinePoints && !transposed && !this.small(b)) return { data: sourceReference(b, this.origin), climatological };
    let decoded = await this.read(b);
    if (transposed) {
      const from = b.dims.indexOf(vertexDims[0]);
      const moved = (x: ArrayValues) => moveAxisLast(x, b.shape, from).values;
      decoded = {
        ...decoded,
        shape: moveAxisLast(decoded.values, b.shape, from).shape,
        stored: moved(decoded.stored),
        values: moved(decoded.values),
        ...(decoded.mask && { mask: moveAxisLast(decoded.mask as unknown as Float64Array, b.shape, from).values as unknown as Uint8Array }),
      };
    }
    return { data: decodedArray(decoded, b, this.origin), decoded, climatological };
  }

  private coordAttributes(v: DatasetVariable): { attributes: Attributes; units: string; calendar?: string } {
    const attributes: Attributes = {};
    const { units, calendar } = attrUnits(v, attributes, this.log);
    return { attributes, units, ...(calendar && { calendar }) };
  }

  private coord(names: Names, meta: { attributes: Attributes; units: string; calendar?: string }, dims: string[], points: ArrayData, more: Partial<Coord>, v: DatasetVariable): Coord {
    const coord: Coord = { ...names, units: meta.units, dims, points, attributes: { ...meta.attributes, ...unusedAttributes(v.attributes) } };
    if (meta.calendar) coord.calendar = meta.calendar;
    return Object.assign(coord, more);
  }

  /** Iris's `_build_dimension_coordinate`, or why it fails (then Iris builds an auxiliary coordinate). */
  private async dimCoord(v: DatasetVariable, type: CoordType, coordSystem: string | undefined): Promise<Coord | string> {
    const meta = this.coordAttributes(v);
    const decoded = await this.read(v);
    if (decoded.mask) {
      this.log.add('CF_FILLED_MASKED_POINTS', `Gracefully filling '${v.name}' dimension coordinate masked points`, v.name);
    }
    const points = filled(decoded);
    const bounds = await this.bounds(v, true);
    let boundsValues: ArrayValues | undefined;
    if (bounds.decoded) {
      if (bounds.decoded.mask) {
        this.log.add('CF_FILLED_MASKED_POINTS', `Gracefully filling '${v.name}' dimension coordinate masked bounds`, v.name);
      }
      boundsValues = filled(bounds.decoded);
    }
    const names = coordNames(v, type.coordName, meta.attributes, this.log);
    const label = nameOf(names);
    if (!strictlyMonotonic(points as ArrayLike<number>)) return `The '${label}' DimCoord points array must be strictly monotonic.`;
    const more: Partial<Coord> = {};
    if (boundsValues && bounds.decoded) {
      const nb = bounds.decoded.shape[bounds.decoded.shape.length - 1];
      const n = v.shape[0];
      const directions = new Set<number>();
      for (let j = 0; j < nb && n > 1; j++) {
        const column = Array.from({ length: n }, (_, i) => Number(boundsValues?.[i * nb + j]));
        if (!strictlyMonotonic(column)) return `The '${label}' DimCoord bounds array must be strictly monotonic.`;
        directions.add(Math.sign(column[1] - column[0]));
      }
      if (directions.size > 1) return `The direction of monotonicity for '${label}' must be consistent across all bounds.`;
      more.bounds = plainArray(bounds.decoded.dtype, bounds.decoded.shape, boundsValues);
      if (bounds.climatological) more.climatological = true;
    }
    if (
      (type.coordName === 'longitude' || type.coordName === 'grid_longitude') &&
      (meta.units === 'degrees' || meta.units === 'radians') &&
      isCircular(Array.from(points as ArrayLike<number>, Number), meta.units === 'degrees' ? 360 : 2 * Math.PI, boundsValues && Array.from(boundsValues as ArrayLike<number>, Number), v.dtype === 'float32')
    ) {
      more.circular = true;
    }
    if (coordSystem) more.coord_system = coordSystem;
    return this.coord(names, meta, [v.name], plainArray(decoded.dtype, decoded.shape, points), more, v);
  }

  /** Iris's `_build_auxiliary_coordinate` (labels included). */
  private async auxCoord(v: DatasetVariable, cube: DatasetVariable, coordName: string | undefined, coordSystem: string | undefined): Promise<Coord> {
    const meta = this.coordAttributes(v);
    const dims = v.dims.filter((d) => cube.dims.includes(d));
    let points: ArrayData;
    let inline = true;
    if (v.dtype === 'string' || this.small(v)) {
      points = decodedArray(await this.read(v), v, this.origin, v.shape.length === 0 ? [1] : v.shape);
    } else {
      points = sourceReference(v, this.origin);
      inline = false;
    }
    const more: Partial<Coord> = {};
    const bounds = await this.bounds(v, inline);
    if (bounds.data) {
      more.bounds = v.shape.length === 0 && bounds.data.kind !== 'source' ? { ...bounds.data, shape: [1, ...bounds.data.shape] } as ArrayData : bounds.data;
      if (bounds.climatological) more.climatological = true;
    }
    if (coordSystem) more.coord_system = coordSystem;
    const names = coordNames(v, coordName, meta.attributes, this.log);
    return this.coord(names, meta, dims, points, more, v);
  }

  /**
   * A label coordinate: text along the dimensions the cube shares with it. When the characters run along a
   * dimension other than the last (`region_name(strlen, georegion)`), Iris takes the one the cube lacks.
   */
  private async labelCoord(lv: DatasetVariable, cube: DatasetVariable): Promise<Coord> {
    const axis = stringAxis(lv, cube);
    if (axis === undefined || axis === lv.dims.length) return this.auxCoord(lv, cube, undefined, undefined);
    const labels = await transposedLabels(lv, axis, this.dataset, { signal: this.options.signal });
    const meta = this.coordAttributes(lv);
    const names = coordNames(lv, undefined, meta.attributes, this.log);
    const points: ArrayData = { kind: 'inline', dtype: 'string', shape: labels.shape.length === 0 ? [1] : labels.shape, values: labels.values };
    return this.coord(names, meta, labels.dims.filter((d) => cube.dims.includes(d)), points, {}, lv);
  }

  /** The coordinate system key of a dimension coordinate, by Iris's `action_build_dimension_coordinate` rules. */
  private dimCoordSystem(cube: DatasetVariable, coordVar: string, type: CoordType, systems: Map<string, CoordSystem>): { ok: boolean; key?: string; why?: string } {
    if (type.gridClass === undefined) return { ok: true };
    const mappings = this.cf.gridMappings.get(cube.name);
    let key: string | undefined;
    if (systems.size > 0 && mappings) {
      if (systems.size === 1 && mappings.has(null)) key = [...systems.keys()][0];
      else {
        const name = mappings.get(coordVar);
        if (name !== undefined && systems.has(name)) key = name;
      }
    }
    const csClass = key === undefined ? undefined : gridClassOf(systems.get(key) as CoordSystem);
    switch (type.gridClass) {
      case 'latlon':
        if (csClass === 'rotated') return { ok: false, why: 'latlon coord with rotated cs' };
        return { ok: true, key: csClass === 'projected' ? undefined : key };
      case 'rotated':
        if (csClass === 'latlon') return { ok: false, why: 'rotated coord with latlon cs' };
        return { ok: true, key: csClass === 'projected' ? undefined : key };
      case 'projected':
        return csClass === 'projected' ? { ok: true, key } : { ok: false, why: 'projected coord with non-projected cs' };
    }
  }

  private async cube(v: DatasetVariable): Promise<CubeMeta> {
    // The mesh first, as Iris builds MeshCoords before the cube (its `mesh` and `location` are then used up).
    const mesh = this.cf.ugrid ? cubeMeshOf(v, this.meshes, { dataset: this.dataset }) : undefined;
    const group = this.cf.groups.get(v.name)?.members ?? [];
    const roleOf = (name: string) => this.cf.roles.get(name);
    const attributes: Attributes = {};
    const names = cubeNames(v, attributes, this.log);
    const { units, calendar } = attrUnits(v, attributes, this.log);
    const cellMethodsText = textAttribute(v.attributes, 'cell_methods');
    const cellMethods = cellMethodsText === undefined ? [] : parseCellMethods(cellMethodsText, this.log, v.name);

    // Grid mappings: the coordinate systems this cube can use.
    const systems = new Map<string, CoordSystem>();
    for (const name of group) {
      if (roleOf(name) !== 'grid_mapping') continue;
      const cs = this.coordSystem(name);
      if (cs) systems.set(name, cs);
    }
    const mappings = this.cf.gridMappings.get(v.name);

    const dimCoords: Record<string, Coord> = {};
    const auxCoords: Record<string, Coord> = {};
    const built: BuiltCoord[] = [];
    const addAux = (key: string, coord: Coord) => {
      auxCoords[key] = coord;
      built.push({ key, variable: key, coord });
    };

    for (const name of group) {
      if (roleOf(name) !== 'coordinate') continue;
      const cv = this.variable(name);
      const type = dimCoordType(cv);
      const cs = this.dimCoordSystem(v, name, type, systems);
      if (!cs.ok) {
        this.log.add('CF_COORD_NOT_CREATED', `Dimension coordinate ${name} not created: ${cs.why}.`, name);
        continue;
      }
      const result = await this.dimCoord(cv, type, cs.key);
      if (typeof result !== 'string') {
        if (v.dims.includes(name)) {
          dimCoords[name] = result;
          built.push({ key: name, variable: name, coord: result });
        } else if (cv.shape[0] === 1) {
          addAux(name, { ...result, dims: [] });
        } else {
          this.log.add('CF_COORD_NOT_CREATED', `Coordinate ${name} not added to '${v.name}': it has ${cv.shape[0]} values but spans no dimension of the cube.`, name);
        }
        continue;
      }
      this.log.add(
        'CF_NON_MONOTONIC_DIM_COORD',
        `Failed to create '${name}' dimension coordinate: ${result}\nGracefully creating '${name}' auxiliary coordinate instead.`,
        name,
      );
      addAux(name, await this.auxCoord(cv, v, type.coordName, cs.key));
    }

    for (const name of group) {
      if (roleOf(name) !== 'auxiliary_coordinate') continue;
      const cv = this.variable(name);
      // Only an extended grid_mapping gives an auxiliary coordinate a coordinate system.
      let csKey: string | undefined;
      if (mappings && systems.size > 0 && !(systems.size === 1 && mappings.has(null))) {
        const cs = mappings.get(name);
        if (cs !== undefined && systems.has(cs)) csKey = cs;
      }
      addAux(name, await this.auxCoord(cv, v, auxCoordName(cv), csKey));
    }

    const managed = managedAttributes(v.attributes, v.name, this.log);
    Object.assign(attributes, managed.attributes);
    if (this.cf.ugrid && textAttribute(v.attributes, 'mesh') !== undefined) managed.consumed.add('mesh');
    if (mesh) managed.consumed.add('location');

    const cellMeasures: Record<string, CellMeasure> = {};
    const ancillaries: Record<string, AncillaryVariable> = {};
    for (const name of group) {
      const role = roleOf(name);
      if (role !== 'cell_measure' && role !== 'ancillary_variable') continue;
      const mv = this.variable(name);
      const meta = this.coordAttributes(mv);
      const dims = mv.dims.filter((d) => v.dims.includes(d));
      const data = this.small(mv) ? decodedArray(await this.read(mv), mv, this.origin, mv.shape.length === 0 ? [1] : mv.shape) : sourceReference(mv, this.origin);
      const itemNames = coordNames(mv, undefined, meta.attributes, this.log);
      const itemAttributes = { ...meta.attributes, ...unusedAttributes(mv.attributes) };
      if (role === 'cell_measure') {
        const measure = this.cf.measures.get(name);
        if (measure !== 'area' && measure !== 'volume') {
          this.log.add('CF_COORD_NOT_CREATED', `Cell measure ${name} not created: measure '${measure}' is not 'area' or 'volume'.`, name);
          continue;
        }
        cellMeasures[name] = { ...itemNames, measure, units: meta.units, dims, data, attributes: itemAttributes };
      } else {
        ancillaries[name] = { ...itemNames, units: meta.units, dims, data, attributes: itemAttributes };
      }
    }

    for (const name of group) {
      if (roleOf(name) !== 'label') continue;
      addAux(name, await this.labelCoord(this.variable(name), v));
    }

    // Formula terms whose root is in this cube's group: the root's standard_name names the formula.
    const derived: Record<string, DerivedCoord> = {};
    const roots: string[] = [];
    const terms: Record<string, string> = {};
    for (const [termVar, byRoot] of this.cf.formulaTerms) {
      for (const [root, term] of byRoot) {
        if (!group.includes(root)) continue;
        if (!roots.includes(root)) roots.push(root);
        terms[term] = termVar;
      }
    }
    if (roots.length > 0) {
      const result = derivedCoord(v.name, roots.map((r) => this.variable(r)), terms, built, this.log);
      if (result) {
        if (result.extra) addAux(result.extra.key, result.extra.coord);
        const keys = new Set([...Object.keys(dimCoords), ...Object.keys(auxCoords)]);
        let key = result.key;
        for (let i = 1; keys.has(key); i++) key = `${result.key}_${i}`;
        derived[key] = result.coord;
      }
    }

    // Cell methods name coordinates by netCDF variable; Iris renames them after the coordinates they refer to.
    const rename = new Map<string, string>();
    for (const { variable, coord } of built) rename.set(variable, coord.standard_name ?? coord.var_name ?? 'unknown');
    for (const cm of cellMethods) cm.coords = cm.coords.map((c) => rename.get(c) ?? c);

    const cube: CubeMeta = {
      ...names,
      units,
      dims: [...v.dims],
      shape: [...v.shape],
      dtype: sourceReference(v, this.origin).dtype,
      attributes: { ...attributes, ...unusedAttributes(v.attributes, managed.consumed) },
      global_attributes: { ...this.dataset.attributes },
      cell_methods: cellMethods,
      dim_coords: dimCoords,
      aux_coords: auxCoords,
      derived_coords: derived,
      cell_measures: cellMeasures,
      ancillary_variables: ancillaries,
      data: sourceReference(v, this.origin),
    };
    if (calendar) cube.calendar = calendar;
    if (mesh) cube.mesh = mesh;
    return cube;
  }
}

/**
 * The cubes of a dataset as Iris's NetCDF loader makes them (`iris.load_raw`, without merging): one per CF data
 * variable and per variable Iris promotes, with their coordinates, derived coordinates, cell methods, cell
 * measures, ancillary variables and attributes. Reads coordinate values (except large ones) and nothing of the
 * data variables: each cube's data is a reference into the dataset (`sourceIndex` into `Publication.sources`).
 */
export async function cubesFromDataset(dataset: Dataset, sourceIndex: number, options: CubesFromDatasetOptions = {}): Promise<DatasetCubes> {
  const builder = new CubeBuilder(dataset, sourceIndex, options);
  const cubes = await builder.cubes();
  return { cubes, coordSystems: builder.usedCoordSystems(), meshes: builder.builtMeshes(), warnings: builder.warnings };
}

