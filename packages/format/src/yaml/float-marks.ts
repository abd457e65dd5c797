/**
 * Which integral numbers were written as floats (`1.0`, `1e3`, `-0.0`). Both YAML readers build plain JS numbers,
 * where `1.0` and `1` are the same; the format 1.1 attribute rule (an attribute written `1.0` is float64) needs the
 * difference, so the readers note it here beside the value they build: per mapping, the keys whose value was such
 * a number; per sequence, whether any item was.
 */
const keys = new WeakMap<object, Set<string>>();
const lists = new WeakSet<readonly unknown[]>();

/** Notes that `container[key]` is an integral number written with a fraction or an exponent. */
export function markFloatKey(container: object, key: string): void {
  let set = keys.get(container);
  if (set === undefined) keys.set(container, (set = new Set()));
  set.add(key);
}

/** Notes that some item of `list` is an integral number written with a fraction or an exponent. */
export function markFloatList(list: readonly unknown[]): void {
  lists.add(list);
}

/** Whether the number at `container[key]` was written as a float (`1.0` rather than `1`). */
export function writtenAsFloat(container: object, key: string): boolean {
  return keys.get(container)?.has(key) ?? false;
}

/** Whether any number in `list` was an integral value written as a float. */
export function listWrittenAsFloat(list: readonly unknown[]): boolean {
  return lists.has(list);
}

/** A plain scalar's text that YAML 1.2 reads as a float rather than an integer: a fraction, an exponent. */
export const FLOAT_TEXT = /^[-+]?(?:(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+)$/;
