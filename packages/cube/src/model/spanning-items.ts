import { CoordinateNotFoundError, CubeStructureError } from './errors.js';
import { answersTo, type NamesInit } from './names.js';
import type { Spanning } from './parts.js';

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
