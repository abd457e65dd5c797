import { nameOf as formatNameOf } from '@cubemark/format';
import { definedFields } from './defined.js';

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
  return definedFields<NamesInit>({ standardName: n.standardName, longName: n.longName, varName: n.varName });
}

export function namesFromMeta(meta: MetaNames): NamesInit {
  return definedFields<NamesInit>({ standardName: meta.standard_name, longName: meta.long_name, varName: meta.var_name });
}

export function namesToMeta(names: NamesInit): MetaNames {
  return definedFields<MetaNames>({ standard_name: names.standardName, long_name: names.longName, var_name: names.varName });
}

export function sameNames(a: NamesInit, b: NamesInit): boolean {
  return a.standardName === b.standardName && a.longName === b.longName && a.varName === b.varName;
}

/** True for CF time-reference units (`<unit> since <date>`). */
export function isTimeUnits(units: string): boolean {
  return /^\s*\S+\s+since\s+\S/i.test(units);
}
