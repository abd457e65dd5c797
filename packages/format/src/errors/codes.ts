/**
 * Every error code the format package reports, with what it means. The spec (spec/cubemark-v1.md) lists the same
 * codes; a test keeps the two in step. Codes are stable: scripts match on them.
 */
export const ERROR_CODES = {
  // Reading the file
  INVALID_ENCODING: 'the file is not valid UTF-8',
  FILE_TOO_LARGE: 'the file is larger than the configured limit',
  NO_FRONTMATTER: 'the file does not start with a `---` frontmatter block',
  UNTERMINATED_FRONTMATTER: 'the frontmatter block has no closing `---` line',
  // YAML
  YAML_SYNTAX: 'the frontmatter is not valid YAML',
  YAML_ALIAS: 'YAML anchors and aliases are not allowed',
  YAML_TAG: 'YAML tags are not allowed',
  DUPLICATE_KEY: 'a mapping has the same key twice',
  FORBIDDEN_KEY: 'a key that could corrupt objects (`__proto__`, `constructor`, `prototype`)',
  TOO_DEEP: 'nesting deeper than the limit',
  TAB_INDENT: 'a tab is used for indentation',
  // Version
  MISSING_VERSION: 'no `cubemark` version key',
  UNSUPPORTED_VERSION: 'a `cubemark` version this reader does not know (newer than it)',
  // Schema
  TYPE: 'a value has the wrong type',
  REQUIRED: 'a required key is missing',
  UNKNOWN_KEY: 'a key the format does not define',
  ENUM: 'a value is not one of the allowed values',
  PATTERN: 'a string does not have the required form',
  RANGE: 'a number is out of range',
  LENGTH: 'a list or string has the wrong length',
  SCHEMA: 'the value does not match the schema',
  INVALID_NAME: 'a publication name that breaks the name rule (too long, empty, a character outside `[A-Za-z0-9._-]`, a leading `.`, `_` or `-`, or `..`)',
  // Semantics
  UNKNOWN_DIM: 'a reference to a dimension the cube does not have',
  UNKNOWN_COORD: 'a reference to a coordinate the cube does not have',
  UNKNOWN_COORD_SYSTEM: 'a reference to a coordinate system the publication does not define',
  UNKNOWN_SOURCE: 'a data reference to a source index the publication does not list',
  UNKNOWN_MESH: 'a reference to a mesh the publication does not define',
  MESH_LOCATION: 'a cube on a mesh location the mesh does not have, or whose x and y coordinates it lacks',
  MESH_TOPOLOGY: 'a mesh whose connectivities or elements do not fit its topology dimension',
  DUPLICATE_DIM: 'a dimension name appears twice in a cube',
  DUPLICATE_COORD: 'a coordinate key is used twice in a cube',
  SHAPE_MISMATCH: 'dims and shape differ in length, or data shape differs from the cube',
  COORD_LENGTH: 'a coordinate has a different number of points than its dimensions',
  BOUNDS_SHAPE: 'bounds do not have the points shape plus one trailing axis',
  NOT_MONOTONIC: 'a dimension coordinate is not strictly monotonic',
  INVALID_CALENDAR: 'a calendar that CF does not define',
  INVALID_TIME_UNITS: 'a calendar given with units that are not `<unit> since <date>` with a date of the calendar',
  CONFLICTING_KEYS: 'two keys that exclude each other are both given',
  MISSING_TERM: 'a derived coordinate lacks a term its formula requires',
  UNKNOWN_TERM: 'a derived coordinate names a term its formula does not take',
  ARRAY_DECODE: 'an encoded array could not be decoded',
  ARRAY_LENGTH: 'an array has the wrong number of values for its shape',
  VALUE_RANGE: 'a value does not fit the declared dtype',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
