export { loadPublication, recordedUri, type LoadPublicationOptions, type LoadedPublication } from './load.js';
export { cubesFromDataset, DEFAULT_MAX_INLINE_VALUES, type CubesFromDatasetOptions, type DatasetCubes } from './cubes.js';
export { classify, type CfClassification, type CfGroup, type CfRole } from './classify.js';
export { parseCellMethods, KNOWN_CELL_METHODS } from './cell-methods.js';
export { coordSystemOf, ellipsoidOf, parseGridMapping } from './coord-systems.js';
export { encodingOf, promote, NETCDF_DEFAULT_FILL, type CfEncoding } from './encoding.js';
export { isStandardName, CF_STANDARD_NAME_TABLE_VERSION } from './standard-names.js';
export { readUnits, isValidUnits, isTimeReferenceUnits, type UnitsReading, type UnitsCategory } from './udunits.js';
export type { CfWarning, CfWarningCode } from './warnings.js';
