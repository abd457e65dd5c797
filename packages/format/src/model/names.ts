import type { Attributes, Names } from './types.js';

/**
 * Iris's `name()`: the standard name, else the long name, else the variable name, else the `STASH` attribute
 * (cubes of UM files without a CF name print as their STASH code), else `unknown`. As in Iris, an empty name is
 * skipped like a missing one.
 */
export function nameOf(item: Names & { attributes?: Attributes }): string {
  const stash = item.attributes?.STASH;
  return item.standard_name || item.long_name || item.var_name || (typeof stash === 'string' && stash) || 'unknown';
}
