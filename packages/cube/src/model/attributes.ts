import type { Attributes, AttributeValue } from '@cubemark/format';

/**
 * Attribute values compare by what they say, not how they are stored: numbers by value whatever their NetCDF
 * type (Iris compares `np.int32(1) == np.int64(1)` as equal), NaN equal to NaN.
 */
export function attributeValuesEqual(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((s, i) => s === b[i]);
  }
  if (a.values.length !== b.values.length) return false;
  for (let i = 0; i < a.values.length; i++) {
    const x = a.values[i];
    const y = b.values[i];
    if (typeof x === 'bigint' && typeof y === 'bigint') {
      if (x !== y) return false;
    } else {
      const u = Number(x);
      const v = Number(y);
      if (!(u === v || (u !== u && v !== v))) return false;
    }
  }
  return true;
}

/** Keys present in one record and not the other, and keys whose values differ, each sorted. */
export function attributeDifferences(a: Attributes, b: Attributes): { keys: string[]; values: string[] } {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !(Object.hasOwn(a, k) && Object.hasOwn(b, k))).sort();
  const values = Object.keys(a)
    .filter((k) => Object.hasOwn(b, k) && !attributeValuesEqual(a[k], b[k]))
    .sort();
  return { keys, values };
}

export function attributesEqual(a: Attributes, b: Attributes): boolean {
  const d = attributeDifferences(a, b);
  return d.keys.length === 0 && d.values.length === 0;
}

/** A shallow copy as a plain-prototype record (the format's attributes are plain objects). */
export function copyAttributes(a: Attributes): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(a)) out[k] = v;
  return out;
}

/**
 * Attributes CF says belong to the file, not a variable. Iris's `CubeAttrsDict` puts a new one of these in
 * `globals`; any other new key goes to `locals`.
 */
export const DEFAULT_GLOBAL_KEYS: readonly string[] = ['Conventions', 'featureType', 'history', 'title'];

/**
 * A cube's attributes in Iris's two parts (`CubeAttrsDict`): `locals` are the variable's own, `globals` came from
 * the file. Reading a key looks in locals first; writing one updates wherever it already is.
 */
export class CubeAttrsDict {
  readonly locals: Attributes;
  readonly globals: Attributes;

  constructor(init: { locals?: Attributes; globals?: Attributes } = {}) {
    this.locals = copyAttributes(init.locals ?? {});
    this.globals = copyAttributes(init.globals ?? {});
  }

  get(key: string): AttributeValue | undefined {
    if (Object.hasOwn(this.locals, key)) return this.locals[key];
    if (Object.hasOwn(this.globals, key)) return this.globals[key];
    return undefined;
  }

  has(key: string): boolean {
    return Object.hasOwn(this.locals, key) || Object.hasOwn(this.globals, key);
  }

  set(key: string, value: AttributeValue): this {
    const global =
      !Object.hasOwn(this.locals, key) && (Object.hasOwn(this.globals, key) || DEFAULT_GLOBAL_KEYS.includes(key));
    (global ? this.globals : this.locals)[key] = value;
    return this;
  }

  /** Removes the key from both parts; true if it was in either. */
  delete(key: string): boolean {
    const had = this.has(key);
    delete this.locals[key];
    delete this.globals[key];
    return had;
  }

  keys(): string[] {
    return [...new Set([...Object.keys(this.locals), ...Object.keys(this.globals)])];
  }

  /** The combined view (a local value hides a global one of the same key). */
  toRecord(): Attributes {
    return { ...copyAttributes(this.globals), ...copyAttributes(this.locals) };
  }

  copy(): CubeAttrsDict {
    return new CubeAttrsDict({ locals: this.locals, globals: this.globals });
  }

  equals(other: CubeAttrsDict): boolean {
    return attributesEqual(this.locals, other.locals) && attributesEqual(this.globals, other.globals);
  }
}
