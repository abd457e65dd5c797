import { inflateSync } from 'node:zlib';
import type { ArrayValues, Dtype, NumericDtype, RegularArray } from '../model/types.js';
import { TYPED_ARRAYS, allocate, bytesPerElement, integerRange, isBigDtype, isFloatDtype, product } from './dtypes.js';

/** Why an array could not be decoded, and where inside the raw value (a pointer suffix). */
export class ArrayDecodeProblem {
  constructor(
    readonly code: 'ARRAY_DECODE' | 'ARRAY_LENGTH' | 'VALUE_RANGE' | 'TYPE',
    readonly message: string,
    readonly subpath: (string | number)[] = [],
    /** For ARRAY_LENGTH: how many values there were. */
    readonly count?: number,
  ) {}
}

type Raw = unknown;

/**
 * Values of an array from its raw YAML form, for a known dtype and shape. `shape` may have one unknown axis
 * (`-1`, used for a trailing bounds axis), which is inferred from the number of values.
 */
export function decodeArray(raw: Raw, dtype: Dtype, shape: readonly number[]): { values: ArrayValues; shape: number[] } | RegularArray | ArrayDecodeProblem {
  const unknownAxis = shape.indexOf(-1);
  const known = unknownAxis < 0 ? product(shape) : product(shape.filter((_, i) => i !== unknownAxis));
  const resolve = (count: number): number[] | ArrayDecodeProblem => {
    if (unknownAxis < 0) {
      return count === known ? [...shape] : new ArrayDecodeProblem('ARRAY_LENGTH', `has ${count} values but its shape [${shape.join(', ')}] needs ${known}`, [], count);
    }
    if (known === 0 || count % known !== 0) {
      return new ArrayDecodeProblem('ARRAY_LENGTH', `has ${count} values, not a multiple of ${known}`, [], count);
    }
    const s = [...shape];
    s[unknownAxis] = count / known;
    return s;
  };

  if (Array.isArray(raw)) {
    const memoKey = `${dtype}:${shape.join(',')}`;
    const known = decodedLists.get(raw)?.get(memoKey);
    if (known) return known;
    const flat: unknown[] = [];
    const problem = flatten(raw, flat, []);
    if (problem) return problem;
    const s = resolve(flat.length);
    if (s instanceof ArrayDecodeProblem) return s;
    const decoded = convert(flat, dtype, s);
    if (!(decoded instanceof ArrayDecodeProblem) && flat.length > 10) {
      let byKey = decodedLists.get(raw);
      if (!byKey) decodedLists.set(raw, (byKey = new Map()));
      byKey.set(memoKey, decoded);
    }
    return decoded;
  }
  if (raw !== null && typeof raw === 'object') {
    const o = raw as Record<string, unknown>;
    if ('encoding' in o) return decodeBytes(o, dtype, resolve);
    if ('start' in o) return decodeRegular(o, dtype, shape, resolve);
    return new ArrayDecodeProblem('TYPE', 'is an object that is neither {start, step, count} nor {encoding, data}');
  }
  const s = resolve(1);
  if (s instanceof ArrayDecodeProblem) return s;
  return convert([raw], dtype, s);
}

/**
 * Values decoded from a YAML list, by the list and the dtype and shape they were decoded for. The fast YAML reader
 * hands out one list for every copy of the same long text (every cube of a model run repeats its level heights), so
 * they are decoded once and shared, as decoded bytes are: model arrays are read-only by contract.
 */
const decodedLists = new WeakMap<unknown[], Map<string, { values: ArrayValues; shape: number[] }>>();

function flatten(list: unknown[], out: unknown[], path: number[]): ArrayDecodeProblem | undefined {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (Array.isArray(item)) {
      const p = flatten(item, out, [...path, i]);
      if (p) return p;
    } else {
      out.push(item);
    }
  }
  return undefined;
}

function convert(flat: unknown[], dtype: Dtype, shape: number[]): { values: ArrayValues; shape: number[] } | ArrayDecodeProblem {
  const n = flat.length;
  if (dtype === 'string') {
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const v = flat[i];
      if (typeof v !== 'string') return new ArrayDecodeProblem('TYPE', `value ${i} must be a string for dtype string`, [i]);
      out[i] = v;
    }
    return { values: out, shape };
  }
  const values = allocate(dtype, n) as Exclude<ArrayValues, string[]>;
  for (let i = 0; i < n; i++) {
    const r = toNumber(flat[i], dtype);
    if (r instanceof ArrayDecodeProblem) return new ArrayDecodeProblem(r.code, `value ${i} ${r.message}`, [i]);
    (values as { [k: number]: number | bigint })[i] = r;
  }
  return { values, shape };
}

/** One stored value for a numeric dtype: floats take any number, integers must be integral and in range. */
export function toNumber(v: unknown, dtype: NumericDtype): number | bigint | ArrayDecodeProblem {
  if (isFloatDtype(dtype)) {
    if (typeof v === 'number') return v;
    return new ArrayDecodeProblem('TYPE', `must be a number for dtype ${dtype}`);
  }
  let big: bigint;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return new ArrayDecodeProblem('TYPE', `must be an integer for dtype ${dtype}, got ${v}`);
    if (!Number.isSafeInteger(v)) return new ArrayDecodeProblem('VALUE_RANGE', `${v} is beyond 2^53: write integers this large as quoted strings`);
    big = BigInt(v);
  } else if (typeof v === 'string' && /^[-+]?\d+$/.test(v)) {
    big = BigInt(v);
  } else {
    return new ArrayDecodeProblem('TYPE', `must be an integer for dtype ${dtype}`);
  }
  const [lo, hi] = integerRange(dtype)!;
  if (big < lo || big > hi) return new ArrayDecodeProblem('VALUE_RANGE', `${big} does not fit ${dtype}`);
  return isBigDtype(dtype) ? big : Number(big);
}

function decodeRegular(
  o: Record<string, unknown>,
  dtype: Dtype,
  shape: readonly number[],
  resolve: (count: number) => number[] | ArrayDecodeProblem,
): RegularArray | ArrayDecodeProblem {
  if (dtype === 'string') return new ArrayDecodeProblem('TYPE', 'a regular sequence needs a numeric dtype');
  const { start, step, count } = o as { start: number | number[]; step: number; count: number };
  const starts = Array.isArray(start) ? start : [start];
  if (typeof step !== 'number' || !Number.isInteger(count) || count < 1 || starts.some((s) => typeof s !== 'number')) {
    return new ArrayDecodeProblem('TYPE', 'needs numeric start and step and an integer count');
  }
  if (!Number.isFinite(step) || starts.some((s) => !Number.isFinite(s))) {
    return new ArrayDecodeProblem('VALUE_RANGE', 'start and step must be finite');
  }
  const s = resolve(count * starts.length);
  if (s instanceof ArrayDecodeProblem) return s;
  if (Array.isArray(start) ? shape.length !== 2 || s[1] !== starts.length : s.length > 1 && s[1] !== 1) {
    return new ArrayDecodeProblem('ARRAY_LENGTH', `a start of ${starts.length} value(s) does not fit the shape [${s.join(', ')}]`, ['start']);
  }
  if (!isFloatDtype(dtype) && (!Number.isInteger(step) || starts.some((x) => !Number.isInteger(x)))) {
    return new ArrayDecodeProblem('TYPE', `an integer (${dtype}) sequence needs an integer start and step`);
  }
  if (!isFloatDtype(dtype)) {
    const lastRow = starts.map((x) => x + (count - 1) * step);
    for (const x of [...starts, ...lastRow]) {
      const r = toNumber(x, dtype);
      if (r instanceof ArrayDecodeProblem) return new ArrayDecodeProblem(r.code, `generates a value that ${r.message}`);
    }
  }
  return { kind: 'regular', dtype, shape: Array.isArray(start) ? s : [count], start: starts, step };
}

/**
 * Decoded encoded arrays, shared between every document that holds the same bytes (all 60 cubes of a model run
 * carry the same level heights; a store of 10,000 runs carries them 600,000 times). Held weakly, so memory is
 * returned when no model uses an array. Model arrays are therefore read-only by contract.
 */
const interned = new Map<string, WeakRef<ArrayValues>>();
const forget = new FinalizationRegistry<string>((key) => {
  const ref = interned.get(key);
  if (ref && ref.deref() === undefined) interned.delete(key);
});

function decodeBytes(
  o: Record<string, unknown>,
  dtype: Dtype,
  resolve: (count: number) => number[] | ArrayDecodeProblem,
): { values: ArrayValues; shape: number[] } | ArrayDecodeProblem {
  if (dtype === 'string') return new ArrayDecodeProblem('TYPE', 'base64 encoding needs a numeric dtype');
  if (typeof o.data !== 'string') return new ArrayDecodeProblem('TYPE', 'data must be a base64 string', ['data']);
  const key = `${dtype}:${String(o.encoding)}:${o.data}`;
  const known = interned.get(key)?.deref();
  if (known) {
    const s = resolve(known.length);
    if (!(s instanceof ArrayDecodeProblem)) return { values: known, shape: s };
  }
  let bytes: Buffer = Buffer.from(o.data, 'base64');
  if (o.encoding === 'zlib+base64') {
    try {
      bytes = inflateSync(bytes, { maxOutputLength: 1 << 30 });
    } catch (e) {
      return new ArrayDecodeProblem('ARRAY_DECODE', `zlib data is corrupt (${(e as Error).message})`, ['data']);
    }
  }
  const size = bytesPerElement(dtype);
  if (bytes.length % size !== 0) {
    return new ArrayDecodeProblem('ARRAY_DECODE', `${bytes.length} bytes is not a whole number of ${dtype} values`, ['data']);
  }
  const s = resolve(bytes.length / size);
  if (s instanceof ArrayDecodeProblem) return s;
  const C = TYPED_ARRAYS[dtype];
  // Copy into a fresh, aligned buffer: the decoded Buffer may share a pool at an unaligned offset.
  const aligned = new Uint8Array(bytes.length);
  aligned.set(bytes);
  const values = new C(aligned.buffer) as ArrayValues;
  interned.set(key, new WeakRef(values));
  forget.register(values, key);
  return { values, shape: s };
}
