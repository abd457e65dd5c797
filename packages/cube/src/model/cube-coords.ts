import type { AuxFactory, Dependency } from './aux-factory.js';
import { DimCoord, type Coord } from './coords.js';
import { checkSpan, dimNames, freshKey, matchEntries, type CubeFrame } from './cube-items.js';
import { CoordinateNotFoundError, CubeStructureError } from './errors.js';
import { answersTo } from './names.js';
import type { CoordEntry, Spanning } from './parts.js';

/** A derived coordinate whose factory lacks a required term, and why. */
interface BrokenFactory {
  key: string;
  factory: AuxFactory;
  error: unknown;
}

/**
 * A cube's coordinates by key: dimension coordinates (keyed by their dimension), auxiliary and scalar ones, and
 * derived ones (aux factories, kept bound to the coordinates they are computed from).
 */
export class CubeCoords {
  private readonly dimCoordMap = new Map<string, DimCoord>();
  private readonly auxCoordMap = new Map<string, Spanning<Coord>>();
  private readonly factoryMap = new Map<string, AuxFactory>();

  /** A JavaScript private field: the cube holds this object, and a property back to it would make a cycle. */
  readonly #cube: CubeFrame;

  constructor(cube: CubeFrame) {
    this.#cube = cube;
  }

  /** Copies of the maps, for the cube's parts. */
  parts(): { dimCoords: Map<string, DimCoord>; auxCoords: Map<string, Spanning<Coord>>; factories: Map<string, AuxFactory> } {
    return { dimCoords: new Map(this.dimCoordMap), auxCoords: new Map(this.auxCoordMap), factories: new Map(this.factoryMap) };
  }

  private keyTaken(key: string): boolean {
    return this.dimCoordMap.has(key) || this.auxCoordMap.has(key) || this.factoryMap.has(key);
  }

  /** See `Cube.addDimCoord`. */
  addDim(coord: DimCoord, dim: string | number): void {
    const name = this.#cube.dims[this.#cube.axisOf(dim)];
    if (!(coord instanceof DimCoord)) throw new CubeStructureError(`'${(coord as Coord).name()}' is not a DimCoord; add it with addAuxCoord`);
    if (this.dimCoordMap.has(name)) throw new CubeStructureError(`dimension '${name}' already has a dimension coordinate ('${this.dimCoordMap.get(name)!.name()}')`);
    if (this.auxCoordMap.has(name) || this.factoryMap.has(name)) throw new CubeStructureError(`key '${name}' is already used by another coordinate`);
    checkSpan(this.#cube, `dimension coordinate '${coord.name()}'`, coord.shape, [name]);
    this.dimCoordMap.set(name, coord);
  }

  /** See `Cube.addAuxCoord`. */
  addAux(coord: Coord, dims: readonly (string | number)[], key?: string): string {
    const names = dimNames(this.#cube, dims);
    checkSpan(this.#cube, `coordinate '${coord.name()}'`, coord.shape, names);
    if (key !== undefined && this.keyTaken(key)) throw new CubeStructureError(`key '${key}' is already used by another coordinate`);
    const k = key ?? freshKey(coord.varName || coord.name(), (x) => this.keyTaken(x));
    this.auxCoordMap.set(k, { item: coord, dims: names });
    return k;
  }

  /** See `Cube.addAuxFactory`. */
  addFactory(factory: AuxFactory, key?: string): string {
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
    const k = key ?? freshKey(factory.varName || factory.name(), (x) => this.keyTaken(x));
    this.factoryMap.set(k, this.bindFactory(factory.copy({ terms })));
    return k;
  }

  private bindFactory(factory: AuxFactory): AuxFactory {
    return factory.bind((key): Dependency | undefined => {
      const dim = this.dimCoordMap.get(key);
      if (dim) return { key, coord: dim, dims: [key] };
      const aux = this.auxCoordMap.get(key);
      return aux && { key, coord: aux.item, dims: aux.dims };
    }, this.#cube.dims);
  }

  /** Rebind every factory to the coordinates now held (after a coordinate is added, removed or replaced). */
  private rebindFactories(): void {
    for (const [key, factory] of this.factoryMap) this.factoryMap.set(key, this.bindFactory(factory));
  }

  private storedEntries(): CoordEntry[] {
    const out: CoordEntry[] = [];
    for (const dim of this.#cube.dims) {
      const coord = this.dimCoordMap.get(dim);
      if (coord) out.push({ role: 'dim', key: dim, coord, dims: [dim] });
    }
    for (const [key, { item, dims }] of this.auxCoordMap) out.push({ role: 'aux', key, coord: item, dims });
    return out;
  }

  /** See `Cube.coordEntries`. */
  entries(): CoordEntry[] {
    return this.entriesAndBroken().entries;
  }

  private entriesAndBroken(): { entries: CoordEntry[]; broken: BrokenFactory[] } {
    const entries = this.storedEntries();
    const broken: BrokenFactory[] = [];
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

  /** Entries matching `name` (see `matchEntries`), or all; asking by name for a broken derived one says why it is. */
  matching(name?: string | Coord): CoordEntry[] {
    const { entries, broken } = this.entriesAndBroken();
    if (name === undefined) return entries;
    if (typeof name === 'string') {
      const found = matchEntries(entries, name);
      const failed = broken.find((b) => b.key === name || answersTo(b.factory, name));
      if (found.length === 0 && failed) throw failed.error;
      return found;
    }
    return matchEntries(entries, name);
  }

  /** The dimension coordinate of the dimension named `dim`, if it has one. */
  dimCoord(dim: string): DimCoord | undefined {
    return this.dimCoordMap.get(dim);
  }

  /** Dimension coordinates in dimension order. */
  dimCoords(): DimCoord[] {
    return this.#cube.dims.flatMap((d) => (this.dimCoordMap.has(d) ? [this.dimCoordMap.get(d)!] : []));
  }

  /** Auxiliary coordinates, scalar ones (spanning no dimension) only if asked. */
  auxCoords(scalarOnly = false): Coord[] {
    return [...this.auxCoordMap.values()].filter((e) => !scalarOnly || e.dims.length === 0).map((e) => e.item);
  }

  factories(): AuxFactory[] {
    return [...this.factoryMap.values()];
  }

  /** Remove the coordinate `entry` locates (a derived one's factory). Factories depending on it lose that term. */
  remove(entry: CoordEntry): void {
    if (entry.role === 'dim') this.dimCoordMap.delete(entry.key);
    else if (entry.role === 'aux') this.auxCoordMap.delete(entry.key);
    else this.factoryMap.delete(entry.key);
    this.rebindFactories();
  }

  /** See `Cube.replaceCoord`. */
  replace(key: string, coord: Coord, dims?: readonly (string | number)[]): void {
    const dim = this.dimCoordMap.get(key);
    if (dim && coord instanceof DimCoord && (dims === undefined || dimNames(this.#cube, dims).join() === key)) {
      checkSpan(this.#cube, `dimension coordinate '${coord.name()}'`, coord.shape, [key]);
      this.dimCoordMap.set(key, coord);
    } else if (dim || this.auxCoordMap.has(key)) {
      const names = dims ? dimNames(this.#cube, dims) : dim ? [key] : this.auxCoordMap.get(key)!.dims;
      checkSpan(this.#cube, `coordinate '${coord.name()}'`, coord.shape, names);
      this.dimCoordMap.delete(key);
      this.auxCoordMap.set(key, { item: coord, dims: names });
    } else {
      throw new CoordinateNotFoundError(`the cube has no coordinate with key '${key}'`);
    }
    this.rebindFactories();
  }
}
