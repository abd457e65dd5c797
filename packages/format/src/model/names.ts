import type { Names } from './types.js';

/**
 * Iris's `name()`: the standard name, else the long name, else the variable name, else `unknown`. As in Iris
 * (`self.standard_name or self.long_name or self.var_name or 'unknown'`), an empty name is skipped like a missing one.
 */
export function nameOf(item: Names): string {
  return item.standard_name || item.long_name || item.var_name || 'unknown';
}
