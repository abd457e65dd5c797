// The public surface of @cubemark/interop: exports of a publication to kerchunk, STAC, CDL and NcML, and imports back.
export { exportPublication, exportStacCollection, isExportTarget, EXPORT_TARGETS, type ExportTarget, type ExportResult, type ExportOptions } from './export.js';
export { InteropError, ImportError, type InteropErrorCode } from './errors.js';
export { sourceAccess, s3ToHttp, type SourceAccess, type SourceAccessOptions } from './sources.js';
export { netcdfView, type NcView, type NcVariable, type NcDimension, type NcAttribute, type NcRole } from './view/netcdf-view.js';
export { kerchunkReferences, kerchunkText, type KerchunkReferences } from './kerchunk/export.js';
export { publicationStacItem, STAC_VERSION, DATACUBE_EXTENSION, type StacItem, type StacOptions, type DatacubeDimension, type DatacubeVariable } from './stac/export.js';
export { validateStac, type StacProblem } from './stac/validate.js';
export { publicationStacCollection, type StacCollection, type StacFiles } from './stac/collection.js';
export { referenceSystem, unrotate, type ProjJson } from './stac/crs.js';
export { publicationCdl, type CdlOptions } from './cdl/export.js';
export { publicationNcml, NCML_NAMESPACE, type NcmlOptions } from './ncml/export.js';
export { inspectImport, type ImportInspection } from './import/inspect.js';
export type { StacImport } from './import/stac.js';
