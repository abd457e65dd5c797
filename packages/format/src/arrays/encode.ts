import { deflateSync } from 'node:zlib';
import type { ArrayValues, Dtype, NumericDtype, RegularArray } from '../model/types.js';
import { FlowLines, Literal } from '../yaml/literal.js';
import { formatFloat32, formatFloat64, formatInteger, formatString } from '../yaml/scalars.js';
import { isBigDtype, isFloatDtype } from './dtypes.js';
import { detectRegular } from './regular.js';

/** Value lists of at most this many values are written on one line, as a list (even when they are regular). */
export const SHORT_MAX = 10;
/** Longer lists are written this many values to a line (rows of a nested list are never split below this). */
export const LINE_VALUES = 10;
/** Numeric lists longer than this many values that have no shorter form are written as bytes (base64). */
export const TEXT_MAX = 4096;
/** Byte blocks smaller than this are never deflated. */
export const DEFLATE_MIN_BYTES = 4096;

export type EncodedArray =
  | Literal
  | EncodedList
  | FlowLines
  | { start: Literal | Literal[]; step: Literal; count: Literal }
  | { edges: EncodedArray }
  | { encoding: 'base64' | 'zlib+base64'; data: string };
export interface EncodedList extends Array<Literal | EncodedList> {}

export function formatValue(dtype: Dtype, v: number | bigint | string): Literal {
  return new Literal(valueText(dtype, v));
}

/** One value as the canonical YAML text of its dtype. */
export function valueText(dtype: Dtype, v: number | bigint | string): string {
  switch (dtype) {
    case 'string':
      return formatString(v as string);
    case 'float32':
      return formatFloat32(v as number);
    case 'float64':
      return formatFloat64(v as number);
    default:
      return formatInteger(v as number | bigint);
  }
}

/** `{start, step, count}`: the start written in the array's dtype, the step as a float64 (or an integer). */
export function encodeRegularArray(r: RegularArray): EncodedArray {
  const fmt = (x: number) => formatValue(r.dtype, isBigDtype(r.dtype) ? BigInt(x) : x);
  return {
    start: r.shape.length === 2 ? r.start.map(fmt) : fmt(r.start[0]!),
    step: new Literal(isFloatDtype(r.dtype) ? formatFloat64(r.step) : String(r.step)),
    count: new Literal(String(r.shape[0])),
  };
}

export interface EncodeOptions {
  /** One value may be written as a bare scalar (the points of an auxiliary or scalar coordinate). */
  scalarOk?: boolean;
  /** The array is the bounds of a one-dimensional coordinate, and `{edges}` may be written (format 1.1). */
  edgesOk?: boolean;
}

/**
 * The canonical YAML form of a list of values, chosen from the values alone (spec §13.5): a bare scalar for one
 * value where allowed; a one-line list for at most SHORT_MAX values; `{start, step, count}` when a regular rule gives
 * every value back; `{edges}` for contiguous bounds; lines of LINE_VALUES values up to TEXT_MAX values; else bytes.
 */
export function encodeValues(dtype: Dtype, shape: readonly number[], values: ArrayValues, options: EncodeOptions = {}): EncodedArray {
  const n = values.length;
  if (n === 1 && options.scalarOk) return formatValue(dtype, values[0]!);
  if (n <= SHORT_MAX) return nest(dtype, shape, values);
  if (dtype === 'string') return lines(dtype, shape, values);
  const regular = detectRegular(dtype as NumericDtype, shape, values);
  if (regular) return encodeRegularArray(regular);
  const edges = options.edgesOk ? contiguousEdges(shape, values as Exclude<ArrayValues, string[]>) : undefined;
  if (edges) return { edges: encodeValues(dtype, [edges.length], edges) };
  if (n <= TEXT_MAX) return lines(dtype, shape, values);
  return encodeBytes(values as Exclude<ArrayValues, string[]>);
}

/**
 * The n + 1 cell edges of bounds of shape [n, 2] whose cells touch: each cell's second bound is, bit for bit, the
 * next cell's first. `undefined` when they do not.
 */
export function contiguousEdges(shape: readonly number[], values: Exclude<ArrayValues, string[]>): Exclude<ArrayValues, string[]> | undefined {
  if (shape.length !== 2 || shape[1] !== 2) return undefined;
  const cells = shape[0]!;
  for (let i = 0; i + 1 < cells; i++) if (!Object.is(values[2 * i + 1], values[2 * i + 2])) return undefined;
  const edges = new (values.constructor as new (n: number) => Exclude<ArrayValues, string[]>)(cells + 1);
  for (let i = 0; i < cells; i++) (edges as { [k: number]: number | bigint })[i] = values[2 * i]!;
  (edges as { [k: number]: number | bigint })[cells] = values[2 * cells - 1]!;
  return edges;
}

function nest(dtype: Dtype, shape: readonly number[], values: ArrayValues): EncodedList {
  const flat = Array.from(values as ArrayLike<number | bigint | string>, (v) => formatValue(dtype, v));
  if (shape.length <= 1) return flat;
  let level: EncodedList = flat;
  for (let axis = shape.length - 1; axis >= 1; axis--) {
    const size = shape[axis]!;
    const next: EncodedList = [];
    for (let i = 0; i < level.length; i += size) next.push(level.slice(i, i + size));
    level = next;
  }
  return level;
}

/**
 * A list nested by `shape`, written over several lines after the opening `[`. A row (of the last axis) of at most
 * LINE_VALUES values stays on one line, with as many whole rows to a line as fit in LINE_VALUES values, a line
 * ending also where a row ends its sub-list of the next axis out; a longer row (or a long 1-D list) is cut into
 * lines of LINE_VALUES values. So each line always holds the same indexes: one changed value changes one line.
 */
function lines(dtype: Dtype, shape: readonly number[], values: ArrayValues): FlowLines {
  const n = values.length;
  const rank = Math.max(1, shape.length);
  const width = shape.length <= 1 ? n : shape[shape.length - 1]!;
  // Sizes of the sub-lists below the outermost one: a value opens one `[` for each it starts, closes one `]` for
  // each it ends.
  const spans: number[] = [];
  for (let axis = 1, size = n; axis < rank; axis++) {
    size = size / (shape[axis - 1] || 1);
    spans.push(Math.round(size));
  }
  const rowsPerLine = width <= LINE_VALUES ? Math.max(1, Math.floor(LINE_VALUES / width)) : 0;
  const rowsPerGroup = rank >= 2 ? shape[rank - 2]! : 1;
  const out: string[] = [];
  let line = '';
  for (let i = 0; i < n; i++) {
    let open = '';
    let close = '';
    for (const s of spans) {
      if (i % s === 0) open += '[';
      if ((i + 1) % s === 0) close += ']';
    }
    if (i === n - 1) close += ']';
    const text = open + valueText(dtype, values[i]!) + close;
    line += line === '' ? text : ` ${text}`;
    if (i === n - 1) break;
    line += ',';
    const next = i + 1;
    let breakHere: boolean;
    if (rowsPerLine > 0) {
      const row = next % width === 0 ? next / width - 1 : -1;
      const inGroup = row % rowsPerGroup;
      breakHere = row >= 0 && ((inGroup + 1) % rowsPerLine === 0 || inGroup + 1 === rowsPerGroup);
    } else {
      breakHere = next % width === 0 || (next % width) % LINE_VALUES === 0;
    }
    if (breakHere) {
      out.push(line);
      line = '';
    }
  }
  out.push(line);
  return new FlowLines(out);
}

function encodeBytes(values: Exclude<ArrayValues, string[]>): { encoding: 'base64' | 'zlib+base64'; data: string } {
  // Typed arrays are little-endian on every platform Node supports in practice; the spec fixes little-endian.
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const plain = Buffer.from(bytes).toString('base64');
  // Inflating costs tens of microseconds per call whatever the size; small arrays are not worth it at restore time.
  if (bytes.byteLength < DEFLATE_MIN_BYTES) return { encoding: 'base64', data: plain };
  const deflated = deflateSync(bytes, { level: 9 }).toString('base64');
  return deflated.length < plain.length ? { encoding: 'zlib+base64', data: deflated } : { encoding: 'base64', data: plain };
}
