import type { Attributes, CubeMeta, CubeSummaryOptions } from '@cubemark/format';
import type { RangeOptions } from '../bytes/types.js';
import type { ArrayResult } from '../lazy/types.js';
import type { AncillaryVariable, CellMeasure } from './ancillary.js';
import type { SourceList } from './array-data.js';
import { CubeAttrsDict } from './attributes.js';
import type { AuxFactory } from './aux-factory.js';
import type { CellMethod } from './cell-method.js';
import { collapseParts, type Aggregator, type CollapseOptions } from './collapse.js';
import { selectByCoordValues, valueOrRange, type CoordValue } from './coord-constraint.js';
import { Coord, type ArrayInput, type DimCoord } from './coords.js';
import { CubeCoords } from './cube-coords.js';
import { checkSpan, dimNames, onlyEntry, SpanningItems } from './cube-items.js';
import { DescribedArray } from './described-array.js';
import { CubeStructureError } from './errors.js';
import { indexParts, type CubeIndex } from './indexing.js';
import { inlineParts } from './inline.js';
import { cubeSummaryText, cubeToMeta, partsFromMeta, type CubeContext } from './meta.js';
import { meshFits, type MeshPlacement } from './mesh.js';
import { meshCoords } from './mesh-coords.js';
import { nameOf, pickNames, type NamesInit } from './names.js';
import type { CoordEntry, CubeParts } from './parts.js';

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

/** What `Cube.extract` applies: a `Constraint`, or anything else that picks the part of a cube it keeps. */
export interface CubeExtractor {
  extract(cube: Cube): Promise<Cube | undefined>;
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
  private readonly coordinates = new CubeCoords(this);
  private readonly cellMeasureItems = new SpanningItems<CellMeasure>('cell measure');
  private readonly ancillaryItems = new SpanningItems<AncillaryVariable>('ancillary variable');
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
      ...this.coordinates.parts(),
      cellMeasures: this.cellMeasureItems.entries(),
      ancillaryVariables: this.ancillaryItems.entries(),
    };
    if (this.calendar !== undefined) parts.calendar = this.calendar;
    if (this.mesh !== undefined) parts.mesh = this.mesh;
    return parts;
  }

  /** The cube a format `CubeMeta` describes. Reads nothing; loads no plugin. */
  static fromMeta(meta: CubeMeta, ctx: CubeContext): Cube {
    return Cube.assemble(partsFromMeta(meta, ctx));
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

  /** Iris's `MeshCoord`s of a cube on a mesh (x, then y; none off a mesh), lazily: nothing is read. */
  meshCoords(): Coord[] {
    return this.mesh ? meshCoords(this.mesh) : [];
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
  // Dimensions and coordinates

  /** Position of a dimension given by name or position; `CubeStructureError` if the cube has no such dimension. */
  axisOf(dim: string | number): number {
    const axis = typeof dim === 'number' ? (dim < 0 ? dim + this.ndim : dim) : this.dims.indexOf(dim);
    if (axis < 0 || axis >= this.ndim || !Number.isInteger(axis)) {
      throw new CubeStructureError(`cube '${this.name()}' has no dimension ${typeof dim === 'number' ? dim : `'${dim}'`} (dims: ${this.dims.join(', ') || 'none'})`);
    }
    return axis;
  }

  /** Add a dimension coordinate for `dim` (its key is the dimension's name). */
  addDimCoord(coord: DimCoord, dim: string | number): void {
    this.coordinates.addDim(coord, dim);
  }

  /** Add an auxiliary coordinate spanning `dims` (none: a scalar coordinate of shape [1]); returns its key. */
  addAuxCoord(coord: Coord, dims: readonly (string | number)[] = [], key?: string): string {
    return this.coordinates.addAux(coord, dims, key);
  }

  /**
   * Add a derived coordinate; terms naming coordinates by object are resolved to their keys. Returns its key.
   */
  addAuxFactory(factory: AuxFactory, key?: string): string {
    return this.coordinates.addFactory(factory, key);
  }

  /**
   * Every coordinate with its key, role and dimensions: dimension coordinates (in dimension order), auxiliary,
   * derived. A derived coordinate whose factory lacks a required term is left out (asking for it by name says why).
   */
  coordEntries(): CoordEntry[] {
    return this.coordinates.entries();
  }

  /** Coordinates matching `name` (any of their names, or their key), or all of them. */
  coords(name?: string | Coord): Coord[] {
    return this.coordinates.matching(name).map((e) => e.coord);
  }

  /** The one coordinate matching `name`, with where it lives; `CoordinateNotFoundError` for none or several. */
  coordEntry(name: string | Coord): CoordEntry {
    return onlyEntry(this.coordinates.matching(name), name);
  }

  coord(name: string | Coord): Coord {
    return this.coordEntry(name).coord;
  }

  /** True when exactly one coordinate matches. */
  hasCoord(name: string | Coord): boolean {
    return this.coordinates.matching(name).length === 1;
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
    return this.coordinates.dimCoord(this.dims[this.axisOf(dim)]);
  }

  get dimCoords(): DimCoord[] {
    return this.coordinates.dimCoords();
  }

  /** Auxiliary coordinates, scalar ones included. */
  get auxCoords(): Coord[] {
    return this.coordinates.auxCoords();
  }

  get scalarCoords(): Coord[] {
    return this.coordinates.auxCoords(true);
  }

  get derivedCoords(): Coord[] {
    return this.coordinates.factories().map((f) => f.derive());
  }

  auxFactories(): AuxFactory[] {
    return this.coordinates.factories();
  }

  /** Remove a coordinate (a derived one removes its factory). Factories depending on it lose that term. */
  removeCoord(name: string | Coord): void {
    this.coordinates.remove(this.coordEntry(name));
  }

  /** Put `coord` in place of the stored coordinate with key `key`, spanning `dims` (default: the same). */
  replaceCoord(key: string, coord: Coord, dims?: readonly (string | number)[]): void {
    this.coordinates.replace(key, coord, dims);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Cell measures, ancillary variables, cell methods

  addCellMeasure(measure: CellMeasure, dims: readonly (string | number)[] = [], key?: string): string {
    const names = dimNames(this, dims);
    checkSpan(this, `cell measure '${measure.name()}'`, measure.shape, names);
    return this.cellMeasureItems.add(measure, names, key);
  }

  addAncillaryVariable(variable: AncillaryVariable, dims: readonly (string | number)[] = [], key?: string): string {
    const names = dimNames(this, dims);
    checkSpan(this, `ancillary variable '${variable.name()}'`, variable.shape, names);
    return this.ancillaryItems.add(variable, names, key);
  }

  cellMeasures(name?: string): CellMeasure[] {
    return this.cellMeasureItems.find(name);
  }

  cellMeasure(name: string): CellMeasure {
    return this.cellMeasureItems.one(name);
  }

  cellMeasureDims(measure: CellMeasure): readonly string[] {
    return this.cellMeasureItems.dimsOf(measure);
  }

  removeCellMeasure(name: string | CellMeasure): void {
    this.cellMeasureItems.remove(name);
  }

  ancillaryVariables(name?: string): AncillaryVariable[] {
    return this.ancillaryItems.find(name);
  }

  ancillaryVariable(name: string): AncillaryVariable {
    return this.ancillaryItems.one(name);
  }

  ancillaryVariableDims(variable: AncillaryVariable): readonly string[] {
    return this.ancillaryItems.dimsOf(variable);
  }

  removeAncillaryVariable(name: string | AncillaryVariable): void {
    this.ancillaryItems.remove(name);
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
    return Cube.assemble(indexParts(this.parts(), keys));
  }

  /** `index` by dimension name: `{ time: 0, latitude: { start: 10, stop: 20 } }`. */
  slice(selection: Readonly<Record<string, CubeIndex>>): Cube {
    const keys: CubeIndex[] = this.dims.map(() => undefined);
    for (const [dim, sel] of Object.entries(selection)) keys[this.axisOf(dim)] = sel;
    return this.index(keys);
  }

  /**
   * The part of the cube where a coordinate's cells match `value` (as `extract` matches a value), or whose points
   * lie in `[lo, hi]` inclusive; `undefined` when nothing matches. One match drops the dimension, as in Iris.
   */
  sliceBy(coord: string, value: CoordValue | readonly [number, number]): Promise<Cube | undefined> {
    return selectByCoordValues<Cube>(this, { [coord]: valueOrRange(value) });
  }

  /** Iris's `cube.extract(constraint)`: the matching part of the cube, or `undefined`. Reads coordinates only. */
  extract(constraint: CubeExtractor): Promise<Cube | undefined> {
    return constraint.extract(this);
  }

  /**
   * Iris's `cube.collapsed(coords, aggregator)`: data reduced over every dimension the coordinates span, lazily
   * (reading the result streams the reduction). Collapsed coordinates become scalar with bounds spanning their
   * range and the midpoint as point; a cell method is appended; cell measures and ancillary variables over the
   * collapsed dimensions are dropped.
   */
  collapsed(coords: string | Coord | readonly (string | Coord)[], aggregator: Aggregator, options?: CollapseOptions): Cube {
    const list = typeof coords === 'string' || coords instanceof Coord ? [coords] : coords;
    const entries = list.map((c) => this.coordEntry(c));
    return Cube.assemble(collapseParts(this.parts(), entries, aggregator, options));
  }

  /** A cube whose arrays the format cannot describe (reductions, views of sources) are read and made inline. */
  async inlined(options?: RangeOptions): Promise<Cube> {
    return Cube.assemble(await inlineParts(this.parts(), options));
  }
}
