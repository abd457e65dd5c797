// The rule as data, so that scripts/gen-schema.mjs writes the schema's `name` from this very file.
import RULE from './name-rule.json' with { type: 'json' };

/**
 * The publication-name rule (spec §4): 1 to 128 characters, letters, digits, `.`, `_` and `-`, starting with a
 * letter or digit, never `..`. Names become file names in a store and path segments in URLs, so they must never
 * escape a folder; 128 keeps `<name>.cube.md` and the store's timestamped trash and quarantine copies of it well
 * under the 255 bytes a file name may have.
 */
export const PUBLICATION_NAME_MAX_LENGTH: number = RULE.maxLength;

/** The rule's form as a JSON Schema (ECMA-262) pattern; the length is `PUBLICATION_NAME_MAX_LENGTH`. */
export const PUBLICATION_NAME_PATTERN: string = RULE.pattern;

const PATTERN = new RegExp(RULE.pattern);

/** Why a name breaks the rule, and the message every package gives for it. */
export interface PublicationNameProblem {
  /** The one code every package refuses a bad name with (the format, the scheduler, the restore stores). */
  code: 'INVALID_NAME';
  /** What is wrong, e.g. `it has 150 characters`. */
  reason: string;
  /** The whole message: the name, the reason, and the rule. */
  message: string;
}

/** Whether `name` may name a publication. */
export function isPublicationName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= PUBLICATION_NAME_MAX_LENGTH && PATTERN.test(name);
}

/** Why `name` may not name a publication, or `undefined` when it may. */
export function checkPublicationName(name: unknown): PublicationNameProblem | undefined {
  if (isPublicationName(name)) return undefined;
  const reason = reasonOf(name);
  return {
    code: 'INVALID_NAME',
    reason,
    message:
      `${typeof name === 'string' ? `'${name}'` : String(name)} is not a valid publication name: ${reason}; use letters, digits, ` +
      `'.', '_' and '-', starting with a letter or digit, no '..' (at most ${PUBLICATION_NAME_MAX_LENGTH} characters)`,
  };
}

function reasonOf(name: unknown): string {
  if (typeof name !== 'string') return 'a name must be a string';
  if (name.length === 0) return 'it is empty';
  if (name.length > PUBLICATION_NAME_MAX_LENGTH) return `it has ${name.length} characters`;
  if (/[/\\]/.test(name)) return 'it contains a path separator';
  if (name.includes('..')) return "it contains '..'";
  return 'it has a character outside [A-Za-z0-9._-] or does not start with a letter or digit';
}
