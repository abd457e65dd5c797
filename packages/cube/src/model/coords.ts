import { isNumericDtype, type ArrayValues, type Attributes, type CoordSystem } from '@cubemark/format';
import { isIndex } from '../lazy/selection.js';
import type { LazyArray, NormalisedSelection } from '../lazy/types.js';
import { attributesEqual, copyAttributes } from './attributes.js';
import { DescribedArray } from './described-array.js';
import { deepEqual, sameResults } from './equality.js';
import { CubeStructureError } from './errors.js';
import { isTimeUnits, nameOf, pickNames, sameNames, type NamesInit } from './names.js';
import { definedFields } from './defined.js';

/** What a constructor accepts for an array: a lazy array, typed values, or a plain list of numbers or strings. */
export type ArrayInput = LazyArray | ArrayValues | readonly number[];

/** One value of a coordinate. */
export type CellValue = number | bigint | string;

/** One cell of a coordinate, as Iris's `Cell`: its point and, when the coordinate has bounds, its bounds. */
export interface Cell {
  readonly point: CellValue;
  readonly bound?: readonly CellValue[];
}

export interface CoordInit extends NamesInit {
  points: ArrayInput;
  /** The points' shape plus a trailing axis of bounds per cell; a list of pairs is taken for a 1-D coordinate. */
  bounds?: ArrayInput | readonly (readonly number[])[];
  /** UDUNITS string (default: `unknown`). */
  units?: string;
  /** CF calendar, for time-reference units. */
  calendar?: string;
  attributes?: Attributes;
  coordSystem?: CoordSystem;
  /** The coordinate system's key in a publication's `coord_systems`, kept so a round trip writes the same key. */
  coordSystemKey?: string;
  /** The bounds are climatological (CF `climatology`). */
  climatological?: boolean;
  /** The coordinate wraps around (longitudes); meaningful for dimension coordinates. */
  circular?: boolean;
}

function boundsArray(input: CoordInit['bounds'], points: DescribedArray): DescribedArray | undefined {
  if (input === undefined) return undefined;
  if (Array.isArray(input) && input.length > 0 && Array.isArray(input[0])) {
    const rows = input as unknown as readonly (readonly number[])[];
    const width = rows[0].length;
    return DescribedArray.fromValues(Float64Array.from(rows.flat()), [rows.length, width]);
  }
  const values = input as ArrayInput;
  return DescribedArray.from(values, ArrayBuffer.isView(values) || Array.isArray(values) ? [...points.shape, values.length / Math.max(1, points.shape.reduce((p, n) => p * n, 1))] : undefined);
}

/**
 * A coordinate: points (and optional bounds) held lazily, with Iris's metadata. `DimCoord` and `AuxCoord` differ
 * in role (a dimension coordinate is 1-D, numeric and monotonic); a sliced-away dimension coordinate stays a
 * `DimCoord` as a scalar coordinate, as in Iris.
 */
export abstract class Coord {
  standardName?: string;
  longName?: string;
  varName?: string;
  units: string;
  calendar?: string;
  attributes: Attributes;
  coordSystem?: CoordSystem;
  coordSystemKey?: string;
  climatological?: boolean;
  circular?: boolean;
  readonly points: DescribedArray;
  readonly bounds?: DescribedArray;

  constructor(init: CoordInit) {
    if (init.standardName !== undefined) this.standardName = init.standardName;
    if (init.longName !== undefined) this.longName = init.longName;
    if (init.varName !== undefined) this.varName = init.varName;
    this.units = init.units ?? 'unknown';
    if (init.calendar !== undefined) this.calendar = init.calendar;
    this.attributes = copyAttributes(init.attributes ?? {});
    if (init.coordSystem !== undefined) this.coordSystem = init.coordSystem;
    if (init.coordSystemKey !== undefined) this.coordSystemKey = init.coordSystemKey;
    if (init.climatological !== undefined) this.climatological = init.climatological;
    if (init.circular !== undefined) this.circular = init.circular;
    this.points = DescribedArray.from(init.points);
    const bounds = boundsArray(init.bounds, this.points);
    if (bounds) {
      const ok =
        bounds.shape.length === this.points.shape.length + 1 && this.points.shape.every((n, d) => bounds.shape[d] === n);
      if (!ok) {
        throw new CubeStructureError(
          `bounds of coordinate '${nameOf(init)}' have shape [${bounds.shape.join(', ')}]; they need the points' shape [${this.points.shape.join(', ')}] plus a trailing axis`,
        );
      }
      this.bounds = bounds;
    }
  }

  name(): string {
    return nameOf(this);
  }

  get shape(): readonly number[] {
    return this.points.shape;
  }

  get ndim(): number {
    return this.points.shape.length;
  }

  get dtype(): LazyArray['dtype'] {
    return this.points.dtype;
  }

  /** Bounds per cell (0 without bounds). */
  get nbounds(): number {
    return this.bounds ? this.bounds.shape[this.bounds.shape.length - 1] : 0;
  }

  hasBounds(): boolean {
    return this.bounds !== undefined;
  }

  /** True for time-reference units (`hours since ...`). */
  isTime(): boolean {
    return isTimeUnits(this.units);
  }

  /** Everything a constructor needs to make this coordinate again. */
  toInit(): CoordInit {
    return {
      points: this.points,
      units: this.units,
      attributes: this.attributes,
      ...pickNames(this),
      ...definedFields({
        calendar: this.calendar,
        bounds: this.bounds,
        coordSystem: this.coordSystem,
        coordSystemKey: this.coordSystemKey,
        climatological: this.climatological,
        circular: this.circular,
      }),
    };
  }

  /** A copy of the same class with some fields changed (`{ bounds: undefined }` removes the bounds). */
  copy(changes: Partial<CoordInit> = {}): this {
    const Ctor = this.constructor as new (init: CoordInit) => this;
    return new Ctor({ ...this.toInit(), ...changes });
  }

  /**
   * The coordinate for a selection of its points (normalised against its shape); bounds follow. A selection that
   * indexes every axis leaves a scalar coordinate of shape [1], the format's (and Iris's) shape for one.
   */
  sliceNormalised(selection: NormalisedSelection): this {
    const sel = scalarKeepingSelection(selection);
    const points = this.points.sliceNormalised(sel);
    const bounds = this.bounds?.sliceNormalised([...sel, { start: 0, step: 1, count: this.nbounds }]);
    if (points === this.points && bounds === this.bounds) return this;
    return this.copy({ points, bounds });
  }

  /** Iris's metadata equality: names, units, calendar, attributes, coordinate system, climatological, circular. */
  metadataEquals(other: Coord): boolean {
    return (
      sameNames(this, other) &&
      this.units === other.units &&
      this.calendar === other.calendar &&
      attributesEqual(this.attributes, other.attributes) &&
      deepEqual(this.coordSystem, other.coordSystem) &&
      Boolean(this.climatological) === Boolean(other.climatological) &&
      Boolean(this.circular) === Boolean(other.circular)
    );
  }

  /** Metadata, points and bounds all equal (reads the arrays unless they are inline). */
  async equals(other: Coord): Promise<boolean> {
    if (this === other) return true;
    if (!this.metadataEquals(other)) return false;
    if (this.shape.join() !== other.shape.join() || this.nbounds !== other.nbounds) return false;
    if (!sameResults(await this.points.values(), await other.points.values())) return false;
    if (this.bounds && other.bounds) return sameResults(await this.bounds.values(), await other.bounds.values());
    return true;
  }

  /** The cells of a scalar or 1-D coordinate, in order. */
  async cells(): Promise<Cell[]> {
    if (this.ndim > 1) throw new CubeStructureError(`coordinate '${this.name()}' has ${this.ndim} dimensions; cells need at most one`);
    const points = (await this.points.values()).values;
    const bounds = this.bounds ? (await this.bounds.values()).values : undefined;
    const nb = this.nbounds;
    return Array.from({ length: points.length }, (_, i) => {
      const point = points[i];
      if (!bounds) return { point };
      return { point, bound: Array.from({ length: nb }, (_, j) => bounds[i * nb + j]) };
    });
  }
}

/** An auxiliary (or scalar) coordinate: any shape, any dtype. */
export class AuxCoord extends Coord {}

/**
 * A dimension coordinate: one-dimensional, numeric and strictly monotonic (checked when the points are inline;
 * lazy points are trusted, as a validated document's are).
 */
export class DimCoord extends Coord {
  constructor(init: CoordInit) {
    super(init);
    if (this.ndim !== 1) {
      throw new CubeStructureError(`dimension coordinate '${this.name()}' must be one-dimensional, not of shape [${this.shape.join(', ')}]`);
    }
    if (!isNumericDtype(this.dtype)) {
      throw new CubeStructureError(`dimension coordinate '${this.name()}' must be numeric, not ${this.dtype}: make it an AuxCoord`);
    }
    const values = this.points.inlineValues();
    if (values && !strictlyMonotonic(values)) {
      throw new CubeStructureError(`the points of dimension coordinate '${this.name()}' must be strictly monotonic: make it an AuxCoord`);
    }
  }

  /** Whether a dimension coordinate can hold these points (used before choosing DimCoord over AuxCoord). */
  static fits(values: ArrayValues): boolean {
    return !Array.isArray(values) && strictlyMonotonic(values);
  }
}

/** `selection`, with its last index turned into a one-element range when every axis is indexed. */
export function scalarKeepingSelection(selection: NormalisedSelection): NormalisedSelection {
  if (selection.length === 0 || !selection.every(isIndex)) return selection;
  const last = selection[selection.length - 1] as { index: number };
  return [...selection.slice(0, -1), { start: last.index, step: 1, count: 1 }];
}

function strictlyMonotonic(values: ArrayValues): boolean {
  if (Array.isArray(values)) return false;
  const v = values as ArrayLike<number | bigint>;
  if (v.length < 2) return v.length === 0 || v[0] === v[0];
  const up = v[1] > v[0];
  for (let i = 1; i < v.length; i++) if (up ? !(v[i] > v[i - 1]) : !(v[i] < v[i - 1])) return false;
  return true;
}
