import type { AttributeValue, NumericAttribute } from '../model/types.js';
import { formatArrayRepr, formatScalar } from './numpy-text.js';
import { clipString, pyRepr } from './python-text.js';

/**
 * Iris's `value_repr` family (`iris._representation.cube_summary`): how attribute values and string points become
 * one line of text.
 */

/** Iris's `string_repr`: quoted if asked (or if it has tabs or newlines), clipped with ` ...` if asked. */
export function stringRepr(text: string, quote = false, clip = false): string {
  let result = quote || /[\n\t]/.test(text) ? pyRepr(text) : text;
  if (clip && result.length > 0) {
    const first = result[0];
    const quoted = first === '"' || first === "'";
    // The quotes stay outside the clip, so a clipped value still reads as a quoted string.
    if (quoted) result = result.slice(1, -1);
    result = clipString(result, 70, ' ...');
    if (quoted) result = first + result + first;
  }
  return result;
}

function numericRepr(value: NumericAttribute): string {
  if (value.values.length === 1) return formatScalar(value.values[0], value.dtype);
  // Iris's array_repr clips whatever it is asked.
  return stringRepr(formatArrayRepr(value.values, value.dtype), false, true);
}

/**
 * Attribute keys whose values Iris holds as objects, not strings, and so prints unquoted: `STASH` (a
 * `iris.fileformats.pp.STASH`, printed `m01s16i203`).
 */
const OBJECT_ATTRIBUTES: ReadonlySet<string> = new Set(['STASH']);

/** One attribute value as Iris's cube printout shows it. */
export function attributeValueRepr(key: string, value: AttributeValue, options: { clip: boolean }): string {
  if (typeof value === 'string') {
    return OBJECT_ATTRIBUTES.has(key) ? value : stringRepr(value, true, options.clip);
  }
  if (Array.isArray(value)) {
    // netCDF4 hands a one-element string attribute over as a str, a longer one as a list.
    if (value.length === 1) return stringRepr(value[0], true, options.clip);
    return `[${value.map(pyRepr).join(', ')}]`;
  }
  return numericRepr(value);
}
