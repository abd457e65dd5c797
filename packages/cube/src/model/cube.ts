import type { Attributes, CubeMeta, CubeSummaryOptions, Publication } from '@cubemark/format';
import type { RangeOptions } from '../bytes/types.js';
import type { LazyContext } from '../lazy/from-data.js';
import type { ArrayResult } from '../lazy/types.js';
import { AncillaryVariable, CellMeasure } from './ancillary.js';
import type { SourceList } from './array-data.js';
import { CubeAttrsDict } from './attributes.js';
import { AuxFactory, type Dependency } from './aux-factory.js';
import { CellMethod } from './cell-method.js';
import { collapseCube, type Aggregator, type CollapseOptions } from './collapse.js';
import { Coord, DimCoord, type ArrayInput } from './coords.js';
import { extractCube, sliceByValue, type Constraint, type CoordValue } from './constraint.js';
import { DescribedArray } from './described-array.js';
import { CoordinateNotFoundError, CubeStructureError } from './errors.js';
import { indexCube, type CubeIndex } from './indexing.js';
import { inlineCube } from './inline.js';
import { cubeFromMeta, cubeToMeta, cubeSummaryText } from './meta.js';
import { meshFits, type MeshPlacement } from './mesh.js';
import { answersTo, nameOf, pickNames, type NamesInit } from './names.js';

/** An item of the cube and the dimensions (by name) it spans, in the item's axis order. */
export interface Spanning<T> {
  readonly item: T;
  readonly dims: readonly string[];
}

/**
 * Everything a cube is made of, as plain maps keyed the way the format keys them. Operations (slicing, collapse,
 * merge) build a new one and `Cube.assemble` it; factories in it may be unbound (assembling binds them).
 */
export interface CubeParts {
  names: NamesInit;
  units: string;
  calendar?: string;
  attributes: CubeAttrsDict;
  cellMethods: readonly CellMethod[];
  dims: readonly string[];
  data: DescribedArray;
  /** Keyed by the dimension they describe. */
  dimCoords: ReadonlyMap<string, DimCoord>;
  /** Auxiliary and scalar coordinates (scalar ones span no dimension and have shape [1]). */
  auxCoords: ReadonlyMap<string, Spanning<Coord>>;
  factories: ReadonlyMap<string, AuxFactory>;
  cellMeasures: ReadonlyMap<string, Spanning<CellMeasure>>;
  ancillaryVariables: ReadonlyMap<string, Spanning<AncillaryVariable>>;
  /** The mesh the cube sits on; dropped by `assemble` when the mesh dimension is no longer whole. */
  mesh?: MeshPlacement;
}

export interface CubeInit extends NamesInit {
  /** UDUNITS string (default: `unknown`). */
  units?: string;
  calendar?: string;
  /** Dimension names, one per data axis (default: `dim0`, `dim1`, ...). */
  dims?: readonly string[];
  /** Plain attributes are taken as locals. */
  attributes?: CubeAttrsDict | Attributes;
  cellMethods?: readonly CellMethod[];
}

/** What `Cube.fromMeta` needs: the publication (coordinate systems, sources) and how to open its arrays. */
export interface CubeContext {
  publication: Publication;
  lazy: LazyContext;
}

/** Where a coordinate lives in a cube. */
export interface CoordEntry {
  readonly role: 'dim' | 'aux' | 'derived';
  readonly key: string;
  readonly coord: Coord;
  readonly dims: readonly string[];
}

/**
 * A cube with Iris's semantics: data and every coordinate held lazily, metadata (names, units, attributes in
 * locals and globals, cell methods), dimension, auxiliary and scalar coordinates, derived coordinates (aux
 * factories), cell measures and ancillary variables. Dimensions have names (the format's keys); Iris's integer
 * dimensions are their positions.
 *
 * Nothing here reads cube data: slicing gives views, `collapsed` a cube whose data reduces when read, merge and
 * concatenate combined arrays. Operations that need coordinate values (extract, merge, concatenate) are async
 * and read coordinates only (inline ones cost nothing).
 */
export class Cube {
  standardName?: string;
  longName?: string;
  varName?: string;
  units: string;
  calendar?: string;
  attributes: CubeAttrsDict;
  cellMethods: CellMethod[];
  readonly dims: readonly string[];
  /** The values, lazily (never realised by the model; `readData` reads them). */
  readonly data: DescribedArray;
  private readonly dimCoordMap = new Map<string, DimCoord>();
  private readonly auxCoordMap = new Map<string, Spanning<Coord>>();
  private readonly factoryMap = new Map<string, AuxFactory>();
  private readonly cellMeasureMap = new Map<string, Spanning<CellMeasure>>();
  private readonly ancillaryMap = new Map<string, Spanning<AncillaryVariable>>();
  /** The unstructured mesh the values sit on (Iris's `cube.mesh`, `location`, `mesh_dim()`), if any. */
  mesh?: MeshPlacement;

  constructor(data: ArrayInput, init: CubeInit = {}) {
    this.data = DescribedArray.from(data);
    if (init.standardName !== undefined) this.standardName = init.standardName;
    if (init.longName !== undefined) this.longName = init.longName;
    if (init.varName !== undefined) this.varName = init.varName;
    this.units = init.units ?? 'unknown';
    if (init.calendar !== undefined) this.calendar = init.calendar;
    this.attributes =
      init.attributes instanceof CubeAttrsDict ? init.attributes.copy() : new CubeAttrsDict({ locals: init.attributes ?? {} });
    this.cellMethods = [...(init.cellMethods ?? [])];
    this.dims = init.dims ? [...init.dims] : this.data.shape.map((_, i) => `dim${i}`);
    if (this.dims.length !== this.data.shape.length) {
      throw new CubeStructureError(`${this.dims.length} dimension names [${this.dims.join(', ')}] for data of shape [${this.data.shape.join(', ')}]`);
    }
    if (new Set(this.dims).size !== this.dims.length) throw new CubeStructureError(`dimension names repeat: [${this.dims.join(', ')}]`);
  }

  /** A cube from its parts, checked for consistency (shapes, dimensions, unique keys); factories are bound. */
  static assemble(parts: CubeParts): Cube {
    const cube = new Cube(parts.data, {
      ...parts.names,
      units: parts.units,
      ...(parts.calendar !== undefined ? { calendar: parts.calendar } : {}),
      dims: parts.dims,
      attributes: parts.attributes,
      cellMethods: parts.cellMethods,
    });
    for (const [dim, coord] of parts.dimCoords) cube.addDimCoord(coord, dim);
    for (const [key, { item, dims }] of parts.auxCoords) cube.addAuxCoord(item, dims, key);
    for (const [key, factory] of parts.factories) cube.addAuxFactory(factory, key);
    for (const [key, { item, dims }] of parts.cellMeasures) cube.addCellMeasure(item, dims, key);
    for (const [key, { item, dims }] of parts.ancillaryVariables) cube.addAncillaryVariable(item, dims, key);
    if (parts.mesh && meshFits(parts.mesh, cube.dims, cube.shape)) cube.mesh = parts.mesh;
    return cube;
  }

  /** The cube's parts (copies of its maps; the items themselves are shared). */
  parts(): CubeParts {
    const parts: CubeParts = {
      names: pickNames(this),
      units: this.units,
      attributes: this.attributes.copy(),
      cellMethods: [...this.cellMethods],
      dims: [...this.dims],
      data: this.data,
      dimCoords: new Map(this.dimCoordMap),
      auxCoords: new Map(this.auxCoordMap),
      factories: new Map(this.factoryMap),
      cellMeasures: new Map(this.cellMeasureMap),
      ancillaryVariables: new Map(this.ancillaryMap),
    };
    if (this.calendar !== undefined) parts.calendar = this.calendar;
    if (this.mesh !== undefined) parts.mesh = this.mesh;
    return parts;
  }

  /** The cube a format `CubeMeta` describes. Reads nothing; loads no plugin. */
  static fromMeta(meta: CubeMeta, ctx: CubeContext): Cube {
    return cubeFromMeta(meta, ctx);
  }

  /**
   * The format's description of the cube: lossless for a cube from `fromMeta`. Source indices refer to
   * `sources()`. Throws `NotRepresentableError` for arrays the format cannot describe (views of source arrays,
   * reductions); `inlined()` makes those inline first.
   */
  toMeta(): CubeMeta {
    return cubeToMeta(this).meta;
  }

  /** The source list `toMeta()`'s `SourceArray.source` indices point into. */
  sources(): SourceList {
    return cubeToMeta(this).sources;
  }

  /** Iris's printout of the cube (the format package's `cubeSummary`); reads nothing. */
  summary(options?: CubeSummaryOptions): string {
    return cubeSummaryText(this, options);
  }

  name(): string {
    return nameOf(this);
  }

  get shape(): readonly number[] {
    return this.data.shape;
  }

  get ndim(): number {
    return this.dims.length;
  }

  get dtype(): DescribedArray['dtype'] {
    return this.data.dtype;
  }

  /** Reads all the data (the only method that does). */
  readData(options?: RangeOptions): Promise<ArrayResult> {
    return this.data.read(options);
  }

  copy(): Cube {
    return Cube.assemble(this.parts());
  }

  // -------------------------------------------------------------------------------------------------------------
  // Dimensions

  /** Position of a dimension given by name or position; `CubeStructureError` if the cube has no such dimension. */
  axisOf(dim: string | number): number {
    const axis = typeof dim === 'number' ? (dim < 0 ? dim + this.ndim : dim) : this.dims.indexOf(dim);
    if (axis < 0 || axis >= this.ndim || !Number.isInteger(axis)) {
      throw new CubeStructureError(`cube '${this.name()}' has no dimension ${typeof dim === 'number' ? dim : `'${dim}'`} (dims: ${this.dims.join(', ') || 'none'})`);
    }
    return axis;
  }

  private dimNames(dims: readonly (string | number)[]): string[] {
    return dims.map((d) => this.dims[this.axisOf(d)]);
  }

  private checkSpan(what: string, shape: readonly number[], dims: readonly string[]): void {
    const scalarOk = dims.length === 0 && shape.length === 1 && shape[0] === 1;
    const fits = dims.length === shape.length && dims.every((d, i) => this.shape[this.axisOf(d)] === shape[i]);
    if (!scalarOk && !fits) {
      const need =
        dims.length === 0
          ? 'spanning no dimension (a scalar) needs shape [1]'
          : `spanning (${dims.join(', ')}) needs shape [${dims.map((d) => this.shape[this.axisOf(d)]).join(', ')}]`;
      throw new CubeStructureError(`${what} has shape [${shape.join(', ')}]; ${need}`);
    }
    if (new Set(dims).size !== dims.length) throw new CubeStructureError(`${what} spans a dimension twice: [${dims.join(', ')}]`);
  }

  private keyTaken(key: string): boolean {
    return this.dimCoordMap.has(key) || this.auxCoordMap.has(key) || this.factoryMap.has(key);
  }

  /** A key not yet used by a coordinate, from a preferred one (`height`, `height_1`, ...). */
  private freshKey(preferred: string, taken: (key: string) => boolean): string {
    if (!taken(preferred)) return preferred;
    for (let i = 1; ; i++) if (!taken(`${preferred}_${i}`)) return `${preferred}_${i}`;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Coordinates

  /** Add a dimension coordinate for `dim` (its key is the dimension's name). */
  addDimCoord(coord: DimCoord, dim: string | number): void {
    const name = this.dims[this.axisOf(dim)];
    if (!(coord instanceof DimCoord)) throw new CubeStructureError(`'${(coord as Coord).name()}' is not a DimCoord; add it with addAuxCoord`);
    if (this.dimCoordMap.has(name)) throw new CubeStructureError(`dimension '${name}' already has a dimension coordinate ('${this.dimCoordMap.get(name)!.name()}')`);
    if (this.auxCoordMap.has(name) || this.factoryMap.has(name)) throw new CubeStructureError(`key '${name}' is already used by another coordinate`);
    this.checkSpan(`dimension coordinate '${coord.name()}'`, coord.shape, [name]);
    this.dimCoordMap.set(name, coord);
  }

  /** Add an auxiliary coordinate spanning `dims` (none: a scalar coordinate of shape [1]); returns its key. */
  addAuxCoord(coord: Coord, dims: readonly (string | number)[] = [], key?: string): string {
    const names = this.dimNames(dims);
    this.checkSpan(`coordinate '${coord.name()}'`, coord.shape, names);
    if (key !== undefined && this.keyTaken(key)) throw new CubeStructureError(`key '${key}' is already used by another coordinate`);
    const k = key ?? this.freshKey(coord.varName || coord.name(), (x) => this.keyTaken(x));
    this.auxCoordMap.set(k, { item: coord, dims: names });
    return k;
  }

  /**
   * Add a derived coordinate; terms naming coordinates by object are resolved to their keys. Returns its key.
   */
  addAuxFactory(factory: AuxFactory, key?: string): string {
    const terms: Record<string, string> = {};
    for (const [term, ref] of Object.entries(factory.terms)) {
      if (typeof ref === 'string') terms[term] = ref;
      else {
        const entry = this.storedEntries().find((e) => e.coord === ref);
        if (!entry) throw new CoordinateNotFoundError(`term '${term}' of '${factory.name()}' is coordinate '${ref.name()}', which the cube does not have`);
        terms[term] = entry.key;
      }
    }
    if (key !== undefined && this.keyTaken(key)) throw new CubeStructureError(`key '${key}' is already used by another coordinate`);
    const k = key ?? this.freshKey(factory.varName || factory.name(), (x) => this.keyTaken(x));
    this.factoryMap.set(k, this.bindFactory(factory.copy({ terms })));
    return k;
  }

  private bindFactory(factory: AuxFactory): AuxFactory {
    return factory.bind((key): Dependency | undefined => {
      const dim = this.dimCoordMap.get(key);
      if (dim) return { key, coord: dim, dims: [key] };
      const aux = this.auxCoordMap.get(key);
      return aux && { key, coord: aux.item, dims: aux.dims };
    }, this.dims);
  }

  /** Rebind every factory to the coordinates now held (after a coordinate is added, removed or replaced). */
  private rebindFactories(): void {
    for (const [key, factory] of this.factoryMap) this.factoryMap.set(key, this.bindFactory(factory));
  }

  private storedEntries(): CoordEntry[] {
    const out: CoordEntry[] = [];
    for (const dim of this.dims) {
      const coord = this.dimCoordMap.get(dim);
      if (coord) out.push({ role: 'dim', key: dim, coord, dims: [dim] });
    }
    for (const [key, { item, dims }] of this.auxCoordMap) out.push({ role: 'aux', key, coord: item, dims });
    return out;
  }

  /**
   * Every coordinate with its key, role and dimensions: dimension coordinates (in dimension order), auxiliary,
   * derived. A derived coordinate whose factory lacks a required term is left out (asking for it by name says why).
   */
  coordEntries(): CoordEntry[] {
    return this.entriesAndBroken().entries;
  }

  private entriesAndBroken(): { entries: CoordEntry[]; broken: { key: string; factory: AuxFactory; error: unknown }[] } {
    const entries = this.storedEntries();
    const broken: { key: string; factory: AuxFactory; error: unknown }[] = [];
    for (const [key, factory] of this.factoryMap) {
      try {
        entries.push({ role: 'derived', key, coord: factory.derive(), dims: factory.dims });
      } catch (error) {
        if (!(error instanceof CubeStructureError)) throw error;
        broken.push({ key, factory, error });
      }
    }
    return { entries, broken };
  }

  /** Coordinates matching `name` (any of their names, or their key), or all of them. */
  coords(name?: string | Coord): Coord[] {
    return this.matching(name).map((e) => e.coord);
  }

  private matching(name?: string | Coord): CoordEntry[] {
    const { entries, broken } = this.entriesAndBroken();
    if (name === undefined) return entries;
    if (typeof name === 'string') {
      const found = this.match(entries, name);
      const failed = broken.find((b) => b.key === name || answersTo(b.factory, name));
      if (found.length === 0 && failed) throw failed.error;
      return found;
    }
    return this.match(entries, name);
  }

  private match(entries: CoordEntry[], name: string | Coord): CoordEntry[] {
    if (typeof name !== 'string') {
      const same = entries.filter((e) => e.coord === name);
      return same.length > 0 ? same : entries.filter((e) => e.coord.metadataEquals(name));
    }
    const exact = entries.filter((e) => e.coord.name() === name);
    if (exact.length > 0) return exact;
    const byKey = entries.filter((e) => e.key === name);
    return byKey.length > 0 ? byKey : entries.filter((e) => answersTo(e.coord, name));
  }

  /** The one coordinate matching `name`, with where it lives; `CoordinateNotFoundError` for none or several. */
  coordEntry(name: string | Coord): CoordEntry {
    const found = this.matching(name);
    const label = typeof name === 'string' ? name : name.name();
    if (found.length === 1) return found[0];
    if (found.length === 0) throw new CoordinateNotFoundError(`Expected to find exactly 1 '${label}' coordinate, but found none.`);
    throw new CoordinateNotFoundError(
      `Expected to find exactly 1 '${label}' coordinate, but found ${found.length}. They were: ${found.map((e) => e.key).join(', ')}.`,
    );
  }

  coord(name: string | Coord): Coord {
    return this.coordEntry(name).coord;
  }

  /** True when exactly one coordinate matches. */
  hasCoord(name: string | Coord): boolean {
    return this.matching(name).length === 1;
  }

  /** Names of the dimensions a coordinate spans, in its axis order. */
  coordDims(name: string | Coord): readonly string[] {
    return this.coordEntry(name).dims;
  }

  /** Positions of the dimensions a coordinate spans (Iris's `coord_dims`). */
  coordAxes(name: string | Coord): number[] {
    return this.coordDims(name).map((d) => this.axisOf(d));
  }

  /** The dimension coordinate of `dim`, if it has one. */
  dimCoord(dim: string | number): DimCoord | undefined {
    return this.dimCoordMap.get(this.dims[this.axisOf(dim)]);
  }

  get dimCoords(): DimCoord[] {
    return this.dims.flatMap((d) => (this.dimCoordMap.has(d) ? [this.dimCoordMap.get(d)!] : []));
  }

  /** Auxiliary coordinates, scalar ones included. */
  get auxCoords(): Coord[] {
    return [...this.auxCoordMap.values()].map((e) => e.item);
  }

  get scalarCoords(): Coord[] {
    return [...this.auxCoordMap.values()].filter((e) => e.dims.length === 0).map((e) => e.item);
  }

  get derivedCoords(): Coord[] {
    return [...this.factoryMap.values()].map((f) => f.derive());
  }

  auxFactories(): AuxFactory[] {
    return [...this.factoryMap.values()];
  }

  /** Remove a coordinate (a derived one removes its factory). Factories depending on it lose that term. */
  removeCoord(name: string | Coord): void {
    const entry = this.coordEntry(name);
    if (entry.role === 'dim') this.dimCoordMap.delete(entry.key);
    else if (entry.role === 'aux') this.auxCoordMap.delete(entry.key);
    else this.factoryMap.delete(entry.key);
    this.rebindFactories();
  }

  /** Put `coord` in place of the stored coordinate with key `key`, spanning `dims` (default: the same). */
  replaceCoord(key: string, coord: Coord, dims?: readonly (string | number)[]): void {
    const dim = this.dimCoordMap.get(key);
    if (dim && coord instanceof DimCoord && (dims === undefined || this.dimNames(dims).join() === key)) {
      this.checkSpan(`dimension coordinate '${coord.name()}'`, coord.shape, [key]);
      this.dimCoordMap.set(key, coord);
    } else if (dim || this.auxCoordMap.has(key)) {
      const names = dims ? this.dimNames(dims) : dim ? [key] : this.auxCoordMap.get(key)!.dims;
      this.checkSpan(`coordinate '${coord.name()}'`, coord.shape, names);
      this.dimCoordMap.delete(key);
      this.auxCoordMap.set(key, { item: coord, dims: names });
    } else {
      throw new CoordinateNotFoundError(`the cube has no coordinate with key '${key}'`);
    }
    this.rebindFactories();
  }

  // -------------------------------------------------------------------------------------------------------------
  // Cell measures, ancillary variables, cell methods

  addCellMeasure(measure: CellMeasure, dims: readonly (string | number)[] = [], key?: string): string {
    const names = this.dimNames(dims);
    this.checkSpan(`cell measure '${measure.name()}'`, measure.shape, names);
    if (key !== undefined && this.cellMeasureMap.has(key)) throw new CubeStructureError(`cell measure key '${key}' is already used`);
    const k = key ?? this.freshKey(measure.varName || measure.name(), (x) => this.cellMeasureMap.has(x));
    this.cellMeasureMap.set(k, { item: measure, dims: names });
    return k;
  }

  addAncillaryVariable(variable: AncillaryVariable, dims: readonly (string | number)[] = [], key?: string): string {
    const names = this.dimNames(dims);
    this.checkSpan(`ancillary variable '${variable.name()}'`, variable.shape, names);
    if (key !== undefined && this.ancillaryMap.has(key)) throw new CubeStructureError(`ancillary variable key '${key}' is already used`);
    const k = key ?? this.freshKey(variable.varName || variable.name(), (x) => this.ancillaryMap.has(x));
    this.ancillaryMap.set(k, { item: variable, dims: names });
    return k;
  }

  cellMeasures(name?: string): CellMeasure[] {
    return [...this.cellMeasureMap].filter(([k, e]) => name === undefined || k === name || answersTo(e.item, name)).map(([, e]) => e.item);
  }

  cellMeasure(name: string): CellMeasure {
    return exactlyOne(this.cellMeasures(name), name, 'cell measure');
  }

  cellMeasureDims(measure: CellMeasure): readonly string[] {
    for (const e of this.cellMeasureMap.values()) if (e.item === measure) return e.dims;
    throw new CoordinateNotFoundError(`cell measure '${measure.name()}' is not in the cube`);
  }

  removeCellMeasure(name: string | CellMeasure): void {
    for (const [k, e] of this.cellMeasureMap) {
      if (e.item === name || k === name || (typeof name === 'string' && answersTo(e.item, name))) {
        this.cellMeasureMap.delete(k);
        return;
      }
    }
    throw new CoordinateNotFoundError(`no cell measure '${typeof name === 'string' ? name : name.name()}'`);
  }

  ancillaryVariables(name?: string): AncillaryVariable[] {
    return [...this.ancillaryMap].filter(([k, e]) => name === undefined || k === name || answersTo(e.item, name)).map(([, e]) => e.item);
  }

  ancillaryVariable(name: string): AncillaryVariable {
    return exactlyOne(this.ancillaryVariables(name), name, 'ancillary variable');
  }

  ancillaryVariableDims(variable: AncillaryVariable): readonly string[] {
    for (const e of this.ancillaryMap.values()) if (e.item === variable) return e.dims;
    throw new CoordinateNotFoundError(`ancillary variable '${variable.name()}' is not in the cube`);
  }

  removeAncillaryVariable(name: string | AncillaryVariable): void {
    for (const [k, e] of this.ancillaryMap) {
      if (e.item === name || k === name || (typeof name === 'string' && answersTo(e.item, name))) {
        this.ancillaryMap.delete(k);
        return;
      }
    }
    throw new CoordinateNotFoundError(`no ancillary variable '${typeof name === 'string' ? name : name.name()}'`);
  }

  addCellMethod(method: CellMethod): void {
    this.cellMethods.push(method);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Operations

  /**
   * Iris's `cube[...]`: per dimension an index (drops it; its dimension coordinate becomes a scalar coordinate),
   * a range `{ start, stop, step }`, a list of indices, or `undefined` (all). Coordinates, cell measures,
   * ancillary variables and derived coordinates follow. Reads nothing.
   */
  index(keys: readonly CubeIndex[]): Cube {
    return indexCube(this, keys);
  }

  /** `index` by dimension name: `{ time: 0, latitude: { start: 10, stop: 20 } }`. */
  slice(selection: Readonly<Record<string, CubeIndex>>): Cube {
    const keys: CubeIndex[] = this.dims.map(() => undefined);
    for (const [dim, sel] of Object.entries(selection)) keys[this.axisOf(dim)] = sel;
    return indexCube(this, keys);
  }

  /**
   * The part of the cube where a coordinate's cells match `value` (as `extract` matches a value), or whose points
   * lie in `[lo, hi]` inclusive; `undefined` when nothing matches. One match drops the dimension, as in Iris.
   */
  sliceBy(coord: string, value: CoordValue | readonly [number, number]): Promise<Cube | undefined> {
    return sliceByValue(this, coord, value);
  }

  /** Iris's `cube.extract(constraint)`: the matching part of the cube, or `undefined`. Reads coordinates only. */
  extract(constraint: Constraint): Promise<Cube | undefined> {
    return extractCube(this, constraint);
  }

  /**
   * Iris's `cube.collapsed(coords, aggregator)`: data reduced over every dimension the coordinates span, lazily
   * (reading the result streams the reduction). Collapsed coordinates become scalar with bounds spanning their
   * range and the midpoint as point; a cell method is appended; cell measures and ancillary variables over the
   * collapsed dimensions are dropped.
   */
  collapsed(coords: string | Coord | readonly (string | Coord)[], aggregator: Aggregator, options?: CollapseOptions): Cube {
    return collapseCube(this, coords, aggregator, options);
  }

  /** A cube whose arrays the format cannot describe (reductions, views of sources) are read and made inline. */
  inlined(options?: RangeOptions): Promise<Cube> {
    return inlineCube(this, options);
  }
}

function exactlyOne<T extends { name(): string }>(found: T[], name: string, what: string): T {
  if (found.length === 1) return found[0];
  throw new CoordinateNotFoundError(
    found.length === 0
      ? `Expected to find exactly 1 '${name}' ${what}, but found none.`
      : `Expected to find exactly 1 '${name}' ${what}, but found ${found.length}.`,
  );
}
