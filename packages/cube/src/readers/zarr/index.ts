export { zarrPlugin, zarrRoot } from './plugin.js';
export { openZarrDataset, ZarrDataset, ZarrVariable } from './dataset.js';
export type { ZarrDatasetOptions, ZarrLocator } from './dataset.js';
export { SourceStore } from './store.js';
export { loadHierarchy } from './hierarchy.js';
export type { ArrayNode, LoadHierarchyOptions, ZarrFormat, ZarrHierarchy } from './hierarchy.js';
export { ZarrFormatError } from './errors.js';
export type { ZarrErrorCode } from './errors.js';
export { parseJson } from './json.js';
