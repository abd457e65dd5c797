import { InvalidNameError } from './errors.js';

/**
 * The format's `name` pattern (spec/schema: a letter or digit, then letters, digits, `.`, `_`, `-`; at most 128
 * characters). Names become file names in a store and path segments in URLs, so they must never escape a folder.
 */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Why `name` is not a safe publication name, or `undefined` when it is. */
export function nameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return 'a name must be a string';
  if (name.length === 0) return 'it is empty';
  if (name.length > 128) return `it has ${name.length} characters`;
  if (/[/\\]/.test(name)) return 'it contains a path separator';
  // The pattern already forbids a leading '.', but 'a..b' matches it; '..' never belongs in something that may
  // become a path.
  if (name.includes('..')) return "it contains '..'";
  if (!NAME_PATTERN.test(name)) return 'it has a character outside [A-Za-z0-9._-] or does not start with a letter or digit';
  return undefined;
}

/** Throws `InvalidNameError` (code INVALID_NAME) unless `name` is a safe slug. */
export function assertValidName(name: unknown): asserts name is string {
  const problem = nameProblem(name);
  if (problem) throw new InvalidNameError(String(name), problem);
}
