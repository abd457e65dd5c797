export type * from './model/types.js';
export { CF_FORMULAS, FACTORY_TERMS, FORMAT_VERSION, FORMAT_VERSIONS } from './model/types.js';
export { CONNECTIVITY_ROLES, MESH_AXES, MESH_CONNECTIVITIES, MESH_LOCATIONS, connectivityElements, meshCoordsOf } from './model/mesh.js';
export { CubemarkError } from './errors/base.js';
export { FormatError, InvalidDocumentError, pointerOf, pathOf, type Position } from './errors/format-error.js';
export { ERROR_CODES, type ErrorCode } from './errors/codes.js';
export { parse, parseOrThrow, type ParseOptions, type ParseResult } from './parse/parse.js';
export { serialize, type SerializeOptions } from './serialize/document.js';
export { serializeFrontmatter } from './serialize/frontmatter.js';
export { SUMMARY_BEGIN, SUMMARY_END, findSummarySection, spliceSummary } from './document/body.js';
export { DEFAULT_LIMITS, type ParseLimits } from './yaml/limits.js';
export {
  PUBLICATION_NAME_MAX_LENGTH,
  PUBLICATION_NAME_PATTERN,
  checkPublicationName,
  isPublicationName,
  type PublicationNameProblem,
} from './publication/name.js';
export { lazyBytesOf, publicationIndex, type CubeListing, type PublicationIndex } from './publication/listing.js';
export type { PublicationDocument, PublicationSource } from './publication/source.js';
export { HELD_STATES, PUBLICATION_STATES, type HeldState, type PublicationState } from './publication/state.js';
export type * from './wire/json.js';
export { BINARY_HEADERS, binaryHeaders, type BinaryLayout } from './wire/binary.js';
export { MAX_LISTED_VALUES, jsonNumber } from './wire/numbers.js';
export { TYPED_ARRAYS, NUMERIC_DTYPES, allocate, bytesPerElement, dtypeOfValues, isNumericDtype, isFloatDtype, product, sameValues } from './arrays/dtypes.js';
export { detectRegular, regularValues } from './arrays/regular.js';
export { formatChanges, type Change } from './diff/change.js';
export { diffPublications } from './diff/diff.js';
export { same } from './diff/same.js';
export { nameOf } from './model/names.js';
export { publicationSummary } from './serialize/summary-text.js';
export { cubeSummary, cubeShortSummary, cubeListSummary, type CubeSummaryOptions } from './summary/index.js';
export {
  CALENDARS,
  canonicalCalendar,
  isValidCalendar,
  isTimeReference,
  parseTimeUnits,
  decodeTime,
  encodeTime,
  timeCoder,
  formatCfDate,
  TimeError,
  InvalidCalendarError,
  InvalidDateError,
  InvalidTimeUnitsError,
  InvalidTimeValueError,
  type CalendarName,
  type CfDate,
  type TimeUnits,
  type TimeCoder,
} from './time/index.js';
