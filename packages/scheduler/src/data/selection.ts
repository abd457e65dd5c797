import { CubemarkError, isTimeReference, parseTimeUnits, timeCoder } from '@cubemark/format';
import type { AxisSelection, Coord, CoordEntry, Cube, LazyArray } from '@cubemark/cube';
import { SchedulerError, messageOf } from '../errors.js';
import type { CubeAccess } from '../publication/access.js';

/**
 * Turning HTTP query parameters into selections on a cube:
 * - `sel=0,:,10:20,::2` — NumPy-style, one comma-separated entry per axis (missing trailing axes are whole): an
 *   integer index (negative counts from the end; the axis is dropped) or `start:stop[:step]` with any part empty;
 * - `time=2017-05-15T03:00`, `model_level_number=1` — by coordinate value: the axis the (1-D) coordinate spans is
 *   indexed where its point equals the value (the axis is dropped, as Iris's `extract` with a scalar constraint).
 *   Times may be given as dates (ISO 8601, in the coordinate's calendar) or numbers in its units. A value that no
 *   point equals is an error naming the nearest point. A scalar coordinate may be given too: it must match.
 * Both may be combined if they touch different axes.
 */

const INT = /^[+-]?\d{1,15}$/;

function badSelection(message: string): SchedulerError {
  return new SchedulerError('BAD_SELECTION', message);
}

function parseInteger(text: string, what: string): number {
  const t = text.trim();
  if (!INT.test(t)) throw badSelection(`${what} '${text}' is not an integer`);
  return Number(t);
}

/** Parses a `sel` parameter against a cube of `rank` axes; entries are `AxisSelection`s in axis order. */
export function parseSel(text: string, dims: readonly string[]): AxisSelection[] {
  const rank = dims.length;
  if (text.trim() === '') return [];
  const parts = text.split(',');
  if (parts.length > rank) {
    throw badSelection(`sel '${text}' has ${parts.length} entries but the cube has ${rank} dimension${rank === 1 ? '' : 's'} (${dims.join(', ') || 'none'})`);
  }
  return parts.map((part, axis) => {
    const where = `sel entry ${axis} ('${dims[axis]}')`;
    const p = part.trim();
    if (!p.includes(':')) {
      if (p === '') throw badSelection(`${where} is empty; use ':' for the whole axis`);
      return parseInteger(p, where);
    }
    const fields = p.split(':');
    if (fields.length > 3) throw badSelection(`${where} '${p}' has more than start:stop:step`);
    const [start, stop, step] = fields.map((f, i) => (f.trim() === '' ? undefined : parseInteger(f, `${where} ${['start', 'stop', 'step'][i]}`)));
    if (step === 0) throw badSelection(`${where} '${p}' has step 0; a step must be a non-zero integer`);
    return { ...(start !== undefined && { start }), ...(stop !== undefined && { stop }), ...(step !== undefined && { step }) };
  });
}

/**
 * The coordinate `name` means, by the cube model's lookup (any of its names, else its key); undefined when none.
 * Several matches, or a derived coordinate that cannot be made, are the client's to resolve.
 */
function coordNamed(cube: Cube, name: string): CoordEntry | undefined {
  try {
    return cube.coords(name).length === 0 ? undefined : cube.coordEntry(name);
  } catch (error) {
    if (error instanceof CubemarkError) throw badSelection(messageOf(error));
    throw error;
  }
}

/** The keys of the cube's coordinates, for "did you mean" messages. */
function coordKeys(cube: Cube): string[] {
  return cube.coordEntries().map((e) => e.key);
}

/**
 * The number a query value stands for in the coordinate's units (dates for time coordinates), and how far a point
 * may be from it and still match: times given as dates match to the second (stored times carry float noise:
 * 14:10 written in hours is 347921.166666672), numbers match exactly.
 */
function targetValue(coord: Coord, name: string, text: string): { value: number; tolerance: number } {
  const t = text.trim();
  if (t !== '' && Number.isFinite(Number(t))) return { value: Number(t), tolerance: 0 };
  if (isTimeReference(coord.units)) {
    try {
      // The format's units parser reads ISO-like dates (with the calendar's rules); reuse it for the query value.
      const { reference } = parseTimeUnits(`seconds since ${t}`, coord.calendar);
      const coder = timeCoder(coord.units, coord.calendar);
      return { value: coder.encode(reference), tolerance: 500_000 / Number(coder.units.microsecondsPerUnit) };
    } catch (error) {
      throw badSelection(`'${name}=${text}': not a date in the ${coord.calendar ?? 'standard'} calendar or a number of ${coord.units} (${(error as Error).message})`);
    }
  }
  throw badSelection(`'${name}=${text}' is not a number (coordinate '${name}' has units '${coord.units}')`);
}

/** Whether stored point `p` is the value asked for: within the tolerance, or as the nearest float32 when the points are float32. */
function matches(p: number, target: { value: number; tolerance: number }, float32: boolean): boolean {
  return Math.abs(p - target.value) <= target.tolerance || (float32 && p === Math.fround(target.value));
}

/**
 * Index selections for coordinate-value parameters: axis → index. Reads the coordinates' points (usually inline
 * in the metadata; otherwise a small read).
 */
export async function coordinateSelections(cube: CubeAccess, params: ReadonlyMap<string, string>, signal?: AbortSignal): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const [name, text] of params) {
    const found = coordNamed(cube.cube, name);
    if (!found) {
      const known = coordKeys(cube.cube);
      throw badSelection(
        `cube ${cube.index} has no coordinate '${name}' to select on; its coordinates are ${known.join(', ') || 'none'} (other parameters: sel, format)`,
      );
    }
    const { coord, dims } = found;
    if (dims.length > 1) {
      throw badSelection(`coordinate '${name}' spans ${dims.length} dimensions (${dims.join(', ')}); select on a 1-D coordinate or use sel`);
    }
    if (coord.points.dtype === 'string') throw badSelection(`coordinate '${name}' holds text; selecting on text values is not supported`);
    const target = targetValue(coord, name, text);
    const points = await pointsOf(coord.points.lazy, signal);
    const float32 = coord.points.dtype === 'float32';
    if (dims.length === 0) {
      if (!matches(points[0], target, float32)) throw badSelection(`scalar coordinate '${name}' is ${points[0]} in cube ${cube.index}, not ${text}`);
      continue;
    }
    const axis = cube.meta.dims.indexOf(dims[0]);
    const index = points.findIndex((p) => matches(p, target, float32));
    if (index < 0) {
      let nearest = 0;
      points.forEach((p, i) => {
        if (Math.abs(p - target.value) < Math.abs(points[nearest] - target.value)) nearest = i;
      });
      throw badSelection(
        `no point of '${name}' equals ${text} (${target.value} ${coord.units}); the nearest is ${points[nearest]} at index ${nearest}` +
          ` (sel entry ${axis}); values must match a point exactly`,
      );
    }
    if (out.has(axis) && out.get(axis) !== index) throw badSelection(`two coordinate values select different indices on axis ${axis} ('${cube.meta.dims[axis]}')`);
    out.set(axis, index);
  }
  return out;
}

async function pointsOf(array: LazyArray, signal?: AbortSignal): Promise<number[]> {
  const result = await array.read({ signal });
  return Array.from(result.values as ArrayLike<number | bigint>, (v) => Number(v));
}

/** A view of the cube's data and the names of the axes it keeps. */
export interface SelectedView {
  array: LazyArray;
  dims: string[];
}

/**
 * The cube's data selected by `sel` and coordinate values (query parameters other than `reserved`). Reads only
 * coordinate points; the data stays lazy.
 */
export async function selectView(
  cube: CubeAccess,
  query: Readonly<Record<string, unknown>>,
  reserved: ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<SelectedView> {
  const dims = cube.meta.dims;
  const selText = query.sel;
  if (selText !== undefined && typeof selText !== 'string') throw badSelection('give sel once, as a comma-separated list');
  const selection: AxisSelection[] = parseSel(selText ?? '', dims);
  while (selection.length < dims.length) selection.push({});
  const values = new Map<string, string>();
  for (const [key, value] of Object.entries(query)) {
    if (reserved.has(key) || value === undefined) continue;
    if (typeof value !== 'string') throw badSelection(`give '${key}' once, as a single value`);
    values.set(key, value);
  }
  for (const [axis, index] of await coordinateSelections(cube, values, signal)) {
    const s = selection[axis];
    const whole = typeof s === 'object' && s.start === undefined && s.stop === undefined && s.step === undefined;
    if (!whole) throw badSelection(`axis ${axis} ('${dims[axis]}') is selected both by sel and by a coordinate value; use one`);
    selection[axis] = index;
  }
  let array: LazyArray;
  try {
    array = cube.data().slice(selection);
  } catch (error) {
    throw badSelection((error as Error).message);
  }
  return { array, dims: dims.filter((_, i) => typeof selection[i] !== 'number') };
}

/** Axes (of a view with `dims`) to collapse, from a comma-separated list of coordinate or dimension names. */
export function collapseAxes(cube: CubeAccess, view: SelectedView, coords: string): number[] {
  const names = coords
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) throw badSelection('coords is empty: name the coordinates (or dimensions) to collapse, e.g. coords=time');
  const axes = names.map((name) => {
    let dim: string | undefined;
    if (cube.meta.dims.includes(name)) dim = name;
    else {
      const found = coordNamed(cube.cube, name);
      if (!found) throw badSelection(`cube ${cube.index} has no coordinate or dimension '${name}' to collapse; it has ${[...cube.meta.dims, ...coordKeys(cube.cube)].join(', ')}`);
      if (found.dims.length !== 1) {
        throw badSelection(`coordinate '${name}' spans ${found.dims.length} dimensions; collapse by dimension name instead`);
      }
      dim = found.dims[0];
    }
    const axis = view.dims.indexOf(dim);
    if (axis < 0) throw badSelection(`dimension '${dim}' was indexed away by the selection; it cannot also be collapsed`);
    return axis;
  });
  if (new Set(axes).size !== axes.length) throw badSelection(`coords '${coords}' names the same dimension twice`);
  return axes;
}
