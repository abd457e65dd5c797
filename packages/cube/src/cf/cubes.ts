import type {
  AncillaryVariable,
  ArrayData,
  Attributes,
  CellMeasure,
  Coord,
  CoordSystem,
  CubeMeta,
  DerivedCoord,
  Mesh,
} from '@cubemark/format';
import type { RangeOptions } from '../bytes/types.js';
import type { Dataset, DatasetVariable } from '../readers/dataset.js';
import { managedAttributes, unusedAttributes } from './attributes.js';
import { parseCellMethods } from './cell-methods.js';
import { CoordBuilder } from './coord-builder.js';
import { auxCoordName, dimCoordType } from './coord-types.js';
import { coordNames, cubeNames } from './names.js';
import { derivedCoord, type BuiltCoord } from './formula.js';
import { attrUnits, textAttribute } from './units.js';
import { decodedArray, sourceReference } from './values.js';
import type { CfWarning } from './warnings.js';
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
/** Builds the cubes of one dataset, from the coordinates its `CoordBuilder` side reads. */
class CubeBuilder extends CoordBuilder {
  private meshes = new Map<string, Mesh>();

  constructor(dataset: Dataset, source: number, options: CubesFromDatasetOptions) {
    super(dataset, source, options, options.maxInlineValues ?? DEFAULT_MAX_INLINE_VALUES);
  }

  get warnings(): CfWarning[] {
    return this.log.warnings;
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
