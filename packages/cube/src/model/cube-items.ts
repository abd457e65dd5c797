import type { Coord } from './coords.js';
import { CoordinateNotFoundError, CubeStructureError } from './errors.js';
import { answersTo, type NamesInit } from './names.js';
import type { CoordEntry, Spanning } from './parts.js';

/** How a cube keeps and finds its items: fresh keys, spans checked against its dimensions, lookups by name. */

/** An item a cube keeps by key and finds by any of its names: a cell measure or an ancillary variable. */
interface NamedItem extends NamesInit {
  name(): string;
}

/** A key not yet taken, from a preferred one (`height`, `height_1`, ...). */
export function freshKey(preferred: string, taken: (key: string) => boolean): string {
  if (!taken(preferred)) return preferred;
  for (let i = 1; ; i++) if (!taken(`${preferred}_${i}`)) return `${preferred}_${i}`;
}

/** The one item found for `name`; `CoordinateNotFoundError` (worded as Iris's) for none or several. */
export function exactlyOne<T extends { name(): string }>(found: T[], name: string, what: string): T {
  if (found.length === 1) return found[0];
  throw new CoordinateNotFoundError(
    found.length === 0
      ? `Expected to find exactly 1 '${name}' ${what}, but found none.`
      : `Expected to find exactly 1 '${name}' ${what}, but found ${found.length}.`,
  );
}

/** What the cube's items need of it: its dimensions, their sizes, and how it resolves one by name or position. */
export interface CubeFrame {
  readonly dims: readonly string[];
  readonly shape: readonly number[];
  axisOf(dim: string | number): number;
}

/** Names of the cube's dimensions given by name or position; `CubeStructureError` for one it does not have. */
export function dimNames(cube: CubeFrame, dims: readonly (string | number)[]): string[] {
  return dims.map((d) => cube.dims[cube.axisOf(d)]);
}

/** An item of `shape` may span `dims` of the cube, or no dimension with shape [1]; `CubeStructureError` if not. */
export function checkSpan(cube: CubeFrame, what: string, shape: readonly number[], dims: readonly string[]): void {
  const sizeOf = (d: string) => cube.shape[cube.axisOf(d)];
  const scalarOk = dims.length === 0 && shape.length === 1 && shape[0] === 1;
  const fits = dims.length === shape.length && dims.every((d, i) => sizeOf(d) === shape[i]);
  if (!scalarOk && !fits) {
    const need =
      dims.length === 0
        ? 'spanning no dimension (a scalar) needs shape [1]'
        : `spanning (${dims.join(', ')}) needs shape [${dims.map(sizeOf).join(', ')}]`;
    throw new CubeStructureError(`${what} has shape [${shape.join(', ')}]; ${need}`);
  }
  if (new Set(dims).size !== dims.length) throw new CubeStructureError(`${what} spans a dimension twice: [${dims.join(', ')}]`);
}

/**
 * Coordinates matching `name`, as Iris finds them: a coordinate object matches itself, else any coordinate with
 * equal metadata; a name matches `name()` exactly, else a key, else any of a coordinate's names.
 */
export function matchEntries(entries: readonly CoordEntry[], name: string | Coord): CoordEntry[] {
  if (typeof name !== 'string') {
    const same = entries.filter((e) => e.coord === name);
    return same.length > 0 ? same : entries.filter((e) => e.coord.metadataEquals(name));
  }
  const exact = entries.filter((e) => e.coord.name() === name);
  if (exact.length > 0) return exact;
  const byKey = entries.filter((e) => e.key === name);
  return byKey.length > 0 ? byKey : entries.filter((e) => answersTo(e.coord, name));
}

/** The one coordinate found for `name`; `CoordinateNotFoundError` (worded as Iris's) for none or several. */
export function onlyEntry(found: readonly CoordEntry[], name: string | Coord): CoordEntry {
  const label = typeof name === 'string' ? name : name.name();
  if (found.length === 1) return found[0];
  if (found.length === 0) throw new CoordinateNotFoundError(`Expected to find exactly 1 '${label}' coordinate, but found none.`);
  throw new CoordinateNotFoundError(
    `Expected to find exactly 1 '${label}' coordinate, but found ${found.length}. They were: ${found.map((e) => e.key).join(', ')}.`,
  );
}

/**
 * A cube's items of one kind (`what`: `cell measure`, `ancillary variable`) by key, each with the dimensions it
 * spans; the cube checks the span before adding.
 */
export class SpanningItems<T extends NamedItem> {
  private readonly map = new Map<string, Spanning<T>>();

  constructor(private readonly what: string) {}

  /** A copy of the map, for the cube's parts. */
  entries(): Map<string, Spanning<T>> {
    return new Map(this.map);
  }

  /** Add `item` spanning `dims` under `key` (default: a fresh key from its names); returns the key. */
  add(item: T, dims: readonly string[], key?: string): string {
    if (key !== undefined && this.map.has(key)) throw new CubeStructureError(`${this.what} key '${key}' is already used`);
    const k = key ?? freshKey(item.varName || item.name(), (x) => this.map.has(x));
    this.map.set(k, { item, dims });
    return k;
  }

  /** Items whose key or any name is `name`, or all of them. */
  find(name?: string): T[] {
    return [...this.map].filter(([k, e]) => name === undefined || k === name || answersTo(e.item, name)).map(([, e]) => e.item);
  }

  one(name: string): T {
    return exactlyOne(this.find(name), name, this.what);
  }

  dimsOf(item: T): readonly string[] {
    for (const e of this.map.values()) if (e.item === item) return e.dims;
    throw new CoordinateNotFoundError(`${this.what} '${item.name()}' is not in the cube`);
  }

  /** Remove the first item that is `name`, or whose key or any name is `name`. */
  remove(name: string | T): void {
    for (const [k, e] of this.map) {
      if (e.item === name || k === name || (typeof name === 'string' && answersTo(e.item, name))) {
        this.map.delete(k);
        return;
      }
    }
    throw new CoordinateNotFoundError(`no ${this.what} '${typeof name === 'string' ? name : name.name()}'`);
  }
}
