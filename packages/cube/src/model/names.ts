import { nameOf as formatNameOf } from '@cubemark/format';

/** The names every Iris metadata object carries, in TypeScript spelling. */
export interface NamesInit {
  standardName?: string;
  longName?: string;
  varName?: string;
}

/** The format's spelling of the same names. */
export interface MetaNames {
  standard_name?: string;
  long_name?: string;
  var_name?: string;
}

/** Iris's `name()` of a model object: the format's `nameOf` (an empty name is skipped, as in Iris). */
export function nameOf(names: NamesInit): string {
  return formatNameOf({ standard_name: names.standardName, long_name: names.longName, var_name: names.varName });
}

/** True when `name` is any of the object's names (Iris looks coordinates up by each of them). */
export function answersTo(names: NamesInit, name: string): boolean {
  return nameOf(names) === name || names.standardName === name || names.longName === name || names.varName === name;
}

/** Just the names of an object that has them (absent ones left out, not set to undefined). */
export function pickNames(n: NamesInit): NamesInit {
  const out: NamesInit = {};
  if (n.standardName !== undefined) out.standardName = n.standardName;
  if (n.longName !== undefined) out.longName = n.longName;
  if (n.varName !== undefined) out.varName = n.varName;
  return out;
}

export function namesFromMeta(meta: MetaNames): NamesInit {
  const out: NamesInit = {};
  if (meta.standard_name !== undefined) out.standardName = meta.standard_name;
  if (meta.long_name !== undefined) out.longName = meta.long_name;
  if (meta.var_name !== undefined) out.varName = meta.var_name;
  return out;
}

export function namesToMeta(names: NamesInit): MetaNames {
  const out: MetaNames = {};
  if (names.standardName !== undefined) out.standard_name = names.standardName;
  if (names.longName !== undefined) out.long_name = names.longName;
  if (names.varName !== undefined) out.var_name = names.varName;
  return out;
}

export function sameNames(a: NamesInit, b: NamesInit): boolean {
  return a.standardName === b.standardName && a.longName === b.longName && a.varName === b.varName;
}

/** True for CF time-reference units (`<unit> since <date>`). */
export function isTimeUnits(units: string): boolean {
  return /^\s*\S+\s+since\s+\S/i.test(units);
}
