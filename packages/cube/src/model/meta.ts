import type {
  AncillaryVariable as AncillaryMeta,
  ArrayData,
  Coord as CoordMeta,
  CoordSystem,
  CubeMeta,
  DerivedCoord,
  Publication,
} from '@cubemark/format';
import { cubeSummary, type CubeSummaryOptions } from '@cubemark/format';
import type { LazyContext } from '../lazy/from-data.js';
import { AncillaryVariable, CellMeasure } from './ancillary.js';
import { isDescribed, withSharedSources, type SourceList } from './array-data.js';
import { copyAttributes, CubeAttrsDict } from './attributes.js';
import { auxFactoryFromMeta, type AuxFactory } from './aux-factory.js';
import { CellMethod } from './cell-method.js';
import { AuxCoord, DimCoord, type Coord, type CoordInit } from './coords.js';
import { DescribedArray } from './described-array.js';
import { CubeStructureError } from './errors.js';
import { meshFits } from './mesh.js';
import { nameOf, namesFromMeta, namesToMeta } from './names.js';
import type { CubeParts, Spanning } from './parts.js';

/** Conversion between the format's `CubeMeta` and the model, lossless both ways for what the format can say. */

/** What `Cube.fromMeta` needs: the publication (coordinate systems, sources) and how to open its arrays. */
export interface CubeContext {
  publication: Publication;
  lazy: LazyContext;
}

/** The parts of the cube a format `CubeMeta` describes (`Cube.fromMeta` assembles them). Reads nothing. */
export function partsFromMeta(meta: CubeMeta, ctx: CubeContext): CubeParts {
  const pub = ctx.publication;
  const sources = pub.sources;
  const where = `cube '${nameOf(namesFromMeta(meta))}'`;
  const array = (d: ArrayData): DescribedArray => DescribedArray.fromData(d, ctx.lazy, sources);
  const system = (key: string | undefined, what: string): CoordSystem | undefined => {
    if (key === undefined) return undefined;
    if (!Object.hasOwn(pub.coord_systems, key)) {
      throw new CubeStructureError(`${where}: ${what} uses coordinate system '${key}', which the publication does not define`);
    }
    return pub.coord_systems[key];
  };
  const coordInit = (c: CoordMeta, key: string): CoordInit => {
    const init: CoordInit = { ...namesFromMeta(c), units: c.units, attributes: c.attributes, points: array(c.points) };
    if (c.calendar !== undefined) init.calendar = c.calendar;
    if (c.bounds !== undefined) init.bounds = array(c.bounds);
    if (c.coord_system !== undefined) {
      init.coordSystem = system(c.coord_system, `coordinate '${key}'`);
      init.coordSystemKey = c.coord_system;
    }
    if (c.climatological !== undefined) init.climatological = c.climatological;
    if (c.circular !== undefined) init.circular = c.circular;
    return init;
  };

  const data = array(meta.data);
  if (data.shape.length !== meta.shape.length || data.shape.some((n, i) => n !== meta.shape[i])) {
    throw new CubeStructureError(`${where}: data of shape [${data.shape.join(', ')}] for a cube of shape [${meta.shape.join(', ')}]`);
  }
  const dimCoords = new Map<string, DimCoord>();
  for (const [dim, c] of Object.entries(meta.dim_coords)) dimCoords.set(dim, new DimCoord(coordInit(c, dim)));
  const auxCoords = new Map<string, Spanning<Coord>>();
  for (const [key, c] of Object.entries(meta.aux_coords)) auxCoords.set(key, { item: new AuxCoord(coordInit(c, key)), dims: c.dims });
  const factories = new Map<string, AuxFactory>();
  for (const [key, d] of Object.entries(meta.derived_coords)) {
    factories.set(key, auxFactoryFromMeta(d, system(d.coord_system, `derived coordinate '${key}'`)));
  }
  const cellMeasures = new Map<string, Spanning<CellMeasure>>();
  for (const [key, m] of Object.entries(meta.cell_measures)) {
    const item = new CellMeasure({ ...namesFromMeta(m), measure: m.measure, units: m.units, attributes: m.attributes, data: array(m.data) });
    cellMeasures.set(key, { item, dims: m.dims });
  }
  const ancillaryVariables = new Map<string, Spanning<AncillaryVariable>>();
  for (const [key, a] of Object.entries(meta.ancillary_variables)) {
    const item = new AncillaryVariable({ ...namesFromMeta(a), units: a.units, attributes: a.attributes, data: array(a.data) });
    ancillaryVariables.set(key, { item, dims: a.dims });
  }
  const parts: CubeParts = {
    names: namesFromMeta(meta),
    units: meta.units,
    dims: meta.dims,
    data,
    attributes: new CubeAttrsDict({ locals: meta.attributes, globals: meta.global_attributes }),
    cellMethods: meta.cell_methods.map((m) => CellMethod.fromMeta(m)),
    dimCoords,
    auxCoords,
    factories,
    cellMeasures,
    ancillaryVariables,
  };
  if (meta.calendar !== undefined) parts.calendar = meta.calendar;
  if (meta.mesh !== undefined) {
    const { name, location, dim } = meta.mesh;
    const mesh = pub.meshes !== undefined && Object.hasOwn(pub.meshes, name) ? pub.meshes[name] : undefined;
    if (mesh === undefined) throw new CubeStructureError(`${where}: it sits on mesh '${name}', which the publication does not define`);
    const placement = { key: name, mesh, sources, location, dim, lazy: ctx.lazy };
    if (!meshFits(placement, meta.dims, meta.shape)) {
      throw new CubeStructureError(`${where}: its dimension '${dim}' does not run over the ${mesh[location]?.count ?? 0} ${location}s of mesh '${name}'`);
    }
    parts.mesh = placement;
  }
  return parts;
}

export interface ToMetaOptions {
  /** The key to write for a coordinate system (default: the key it was read under, else its kind). */
  coordSystemKey?: (system: CoordSystem, preferred: string) => string;
  /**
   * Stand in an empty combined array for arrays the format cannot describe, instead of throwing: for printing,
   * which shows any array that is not inline as lazy. Never write such metadata.
   */
  lenient?: boolean;
}

/**
 * The cube's `CubeMeta`, with every array's source indices re-expressed against one list (`sources`): the list
 * the cube was read with when all its arrays share it, which keeps a round trip exact.
 */
export function cubeToMeta(cube: { parts(): CubeParts }, options: ToMetaOptions = {}): { meta: CubeMeta; sources: SourceList } {
  const parts = cube.parts();
  const name = `cube '${nameOf(parts.names)}'`;
  const arrays: { data: ArrayData; sources: SourceList }[] = [];
  /** Record an array for source unification; returns its slot, filled in after. */
  const slot = (a: DescribedArray, what: string): number => {
    const d = a.description();
    if (options.lenient && !isDescribed(d)) {
      return arrays.push({ data: { kind: 'combined', dtype: a.dtype, shape: [...a.shape], mode: 'concat', axis: 0, parts: [] }, sources: [] }) - 1;
    }
    return arrays.push(a.arrayData(`${what} of ${name}`)) - 1;
  };
  const systemKey = (system: CoordSystem | undefined, key: string | undefined): string | undefined => {
    if (system === undefined) return undefined;
    const preferred = key ?? system.kind;
    return options.coordSystemKey ? options.coordSystemKey(system, preferred) : preferred;
  };

  type Pending<T> = { meta: T; fill: (data: ArrayData[]) => void };
  const coordMeta = (coord: Coord, dims: readonly string[], what: string): Pending<CoordMeta> => {
    const meta = { ...namesToMeta(coord), units: coord.units, dims: [...dims], attributes: copyAttributes(coord.attributes) } as CoordMeta;
    if (coord.calendar !== undefined) meta.calendar = coord.calendar;
    const p = slot(coord.points, `the points of ${what}`);
    const b = coord.bounds ? slot(coord.bounds, `the bounds of ${what}`) : -1;
    const cs = systemKey(coord.coordSystem, coord.coordSystemKey);
    if (cs !== undefined) meta.coord_system = cs;
    if (coord.climatological !== undefined) meta.climatological = coord.climatological;
    if (coord.circular !== undefined) meta.circular = coord.circular;
    return {
      meta,
      fill: (data) => {
        meta.points = data[p];
        if (b >= 0) meta.bounds = data[b];
      },
    };
  };
  const variableMeta = (v: AncillaryVariable, dims: readonly string[], what: string): Pending<AncillaryMeta> => {
    const meta = { ...namesToMeta(v), units: v.units, dims: [...dims], attributes: copyAttributes(v.attributes) } as AncillaryMeta;
    const d = slot(v.data, what);
    return { meta, fill: (data) => (meta.data = data[d]) };
  };

  const pending: Pending<unknown>[] = [];
  const dataSlot = slot(parts.data, 'the data');
  const dim_coords: Record<string, CoordMeta> = {};
  for (const [dim, coord] of parts.dimCoords) {
    const p = coordMeta(coord, [dim], `coordinate '${dim}'`);
    pending.push(p);
    dim_coords[dim] = p.meta;
  }
  const aux_coords: Record<string, CoordMeta> = {};
  for (const [key, { item, dims }] of parts.auxCoords) {
    const p = coordMeta(item, dims, `coordinate '${key}'`);
    pending.push(p);
    aux_coords[key] = p.meta;
  }
  const derived_coords: Record<string, DerivedCoord> = {};
  for (const [key, factory] of parts.factories) {
    derived_coords[key] = factory.toMeta(systemKey(factory.coordSystem, factory.coordSystemKey));
  }
  const cell_measures: CubeMeta['cell_measures'] = {};
  for (const [key, { item, dims }] of parts.cellMeasures) {
    const p = variableMeta(item, dims, `cell measure '${key}'`);
    pending.push(p);
    cell_measures[key] = Object.assign(p.meta, { measure: item.measure });
  }
  const ancillary_variables: Record<string, AncillaryMeta> = {};
  for (const [key, { item, dims }] of parts.ancillaryVariables) {
    const p = variableMeta(item, dims, `ancillary variable '${key}'`);
    pending.push(p);
    ancillary_variables[key] = p.meta;
  }

  const shared = withSharedSources(arrays);
  for (const p of pending) p.fill(shared.data);
  const meta: CubeMeta = {
    ...namesToMeta(parts.names),
    units: parts.units,
    dims: [...parts.dims],
    shape: [...parts.data.shape],
    dtype: parts.data.dtype,
    attributes: copyAttributes(parts.attributes.locals),
    global_attributes: copyAttributes(parts.attributes.globals),
    cell_methods: parts.cellMethods.map((m) => m.toMeta()),
    dim_coords,
    aux_coords,
    derived_coords,
    cell_measures,
    ancillary_variables,
    data: shared.data[dataSlot],
  };
  if (parts.calendar !== undefined) meta.calendar = parts.calendar;
  if (parts.mesh !== undefined) meta.mesh = { name: parts.mesh.key, location: parts.mesh.location, dim: parts.mesh.dim };
  return { meta, sources: shared.sources };
}

/** The cube's printout: the format package's `cubeSummary` of its metadata (arrays it cannot describe print as lazy). */
export function cubeSummaryText(cube: { parts(): CubeParts }, options?: CubeSummaryOptions): string {
  const placement = cube.parts().mesh;
  const meshes = placement ? { [placement.key]: placement.mesh } : undefined;
  return cubeSummary(cubeToMeta(cube, { lenient: true }).meta, { ...(meshes && { meshes }), ...options });
}
