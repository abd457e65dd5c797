import { isTimeReference, timeCoder, type CfDate } from '@cubemark/format';
import type { Cell, CellValue, Coord } from './coords.js';
import { CoordinateMultiDimError } from './errors.js';
import type { CubeIndex } from './indexing.js';
import type { CoordEntry } from './parts.js';

/**
 * The coordinate half of Iris's constraints: which cells of a coordinate match a value, and the part of a cube
 * whose coordinates' cells match (one match drops the dimension, leaving a scalar coordinate, as Iris does).
 */

/** A date with only some fields given (Iris's `PartialDateTime`): compares on the fields it has. */
export interface PartialDateTime {
  year?: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  microsecond?: number;
}

/** A cell as a constraint sees it: for time coordinates, also its point and bounds as dates. */
export interface ConstraintCell extends Cell {
  /** The point as a date in the coordinate's calendar (time coordinates only). */
  readonly date?: Required<CfDate>;
  readonly dateBound?: readonly Required<CfDate>[];
}

export type CellPredicate = (cell: ConstraintCell) => boolean;

/** A value a cell is compared with: a number or text (inside the bounds, when the cell has bounds), or a date. */
export type CoordValue = CellValue | PartialDateTime;

export type CoordValueConstraint = CoordValue | readonly CoordValue[] | CellPredicate;

const DATE_FIELDS = ['year', 'month', 'day', 'hour', 'minute', 'second', 'microsecond'] as const;

function isPartialDate(v: unknown): v is PartialDateTime {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && DATE_FIELDS.some((f) => f in v);
}

/**
 * Compare a date with a partial one on the fields the partial gives, most significant first (Iris's
 * `PartialDateTime` ordering): negative when `date` is earlier, 0 when it matches, positive when later.
 */
export function compareDate(date: CfDate, partial: PartialDateTime): number {
  for (const f of DATE_FIELDS) {
    const want = partial[f];
    if (want === undefined) continue;
    const have = date[f] ?? 0;
    if (have !== want) return have < want ? -1 : 1;
  }
  return 0;
}

/** A cell test for time coordinates: points from `from` (inclusive) up to `to` (exclusive); either may be left out. */
export function dateRange(from?: PartialDateTime, to?: PartialDateTime): CellPredicate {
  return (cell) =>
    cell.date !== undefined &&
    (from === undefined || compareDate(cell.date, from) >= 0) &&
    (to === undefined || compareDate(cell.date, to) < 0);
}

function numeric(v: CellValue): number | undefined {
  return typeof v === 'string' ? undefined : Number(v);
}

/** Iris's `Cell == value`: inside the bounds when there are bounds, else equal to the point. */
function cellMatches(cell: ConstraintCell, value: CoordValue): boolean {
  if (isPartialDate(value)) {
    if (!cell.date) return false;
    if (cell.dateBound && cell.dateBound.length > 0) {
      const lo = cell.dateBound.reduce((a, b) => (compareDate(a, b) <= 0 ? a : b));
      const hi = cell.dateBound.reduce((a, b) => (compareDate(a, b) >= 0 ? a : b));
      return compareDate(lo, value) <= 0 && compareDate(hi, value) >= 0;
    }
    return compareDate(cell.date, value) === 0;
  }
  const v = numeric(value);
  if (cell.bound && cell.bound.length > 0 && v !== undefined) {
    const bounds = cell.bound.map(numeric).filter((x): x is number => x !== undefined);
    if (bounds.length === cell.bound.length) return Math.min(...bounds) <= v && v <= Math.max(...bounds);
  }
  if (typeof value === 'string' || typeof cell.point === 'string') return cell.point === value;
  return Number(cell.point) === v;
}

function testOf(constraint: CoordValueConstraint): CellPredicate {
  if (typeof constraint === 'function') return constraint as CellPredicate;
  if (Array.isArray(constraint)) {
    const values = constraint as readonly CoordValue[];
    return (cell) => values.some((v) => cellMatches(cell, v));
  }
  const value = constraint as CoordValue;
  return (cell) => cellMatches(cell, value);
}

/** A coordinate's cells, with dates for time coordinates whose calendar can be decoded. */
export async function constraintCells(coord: Coord): Promise<ConstraintCell[]> {
  const cells = await coord.cells();
  if (!isTimeReference(coord.units)) return cells;
  let decode: (v: CellValue) => Required<CfDate> | undefined;
  try {
    const coder = timeCoder(coord.units, coord.calendar);
    decode = (v) => (typeof v === 'string' || (typeof v === 'number' && !Number.isFinite(v)) ? undefined : coder.decode(v));
  } catch {
    // Units or calendar cftime cannot decode (e.g. calendar 'none'): the cells simply carry no dates.
    return cells;
  }
  return cells.map((cell) => {
    const date = decode(cell.point);
    const dateBound = cell.bound?.map(decode);
    return {
      ...cell,
      ...(date ? { date } : {}),
      ...(dateBound && dateBound.every((d) => d !== undefined) ? { dateBound: dateBound as Required<CfDate>[] } : {}),
    };
  });
}

/** What `selectByCoordValues` uses of a cube (a `Cube` is one). */
export interface CoordSelectable {
  readonly dims: readonly string[];
  coords(name: string): Coord[];
  coordEntry(name: string): CoordEntry;
  axisOf(dim: string): number;
  index(keys: readonly CubeIndex[]): this;
}

/**
 * The part of `cube` where every coordinate named in `coordValues` has cells matching its test, or `undefined`
 * when one has none (or the cube lacks it); the cube itself when every cell matches. Reads coordinates only.
 */
export async function selectByCoordValues<C extends CoordSelectable>(
  cube: C,
  coordValues: Readonly<Record<string, CoordValueConstraint>>,
): Promise<C | undefined> {
  const keep = new Map<string, boolean[]>();
  for (const [name, constraint] of Object.entries(coordValues)) {
    const found = cube.coords(name);
    if (found.length === 0) return undefined;
    const entry = cube.coordEntry(name);
    if (entry.dims.length > 1) {
      throw new CoordinateMultiDimError(`Cannot apply constraints to multidimensional coordinates ('${entry.coord.name()}' spans ${entry.dims.join(', ')})`);
    }
    const test = testOf(constraint);
    const matches = (await constraintCells(entry.coord)).map((cell) => test(cell));
    if (entry.dims.length === 0) {
      if (!matches[0]) return undefined;
      continue;
    }
    const dim = entry.dims[0];
    const before = keep.get(dim);
    keep.set(dim, before ? before.map((m, i) => m && matches[i]) : matches);
  }

  const keys: CubeIndex[] = cube.dims.map(() => undefined);
  for (const [dim, matches] of keep) {
    const where = matches.flatMap((m, i) => (m ? [i] : []));
    if (where.length === 0) return undefined;
    if (where.length === matches.length) continue;
    keys[cube.axisOf(dim)] = where.length === 1 ? where[0] : where;
  }
  return keys.every((k) => k === undefined) ? cube : cube.index(keys);
}

/** `Cube.sliceBy`'s value: one matched as `extract` matches it, or an inclusive `[lo, hi]` range of points. */
export function valueOrRange(value: CoordValue | readonly [number, number]): CoordValueConstraint {
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) {
    const [lo, hi] = value as readonly [number, number];
    return (cell) => Number(cell.point) >= lo && Number(cell.point) <= hi;
  }
  return value as CoordValue;
}
