export { cubeListSummary, cubeShortSummary, cubeSummary } from './printout.js';
export type { CubeSummaryOptions } from './printout.js';
export { digestCube } from './digest.js';
export type { CubeDigest, ScalarSection, VectorItem, VectorSection } from './digest.js';
export { formatCellMethod } from './cell-method.js';
export { displayUnits } from './units.js';
export { formatArrayRepr, formatFloat, formatScalar } from './numpy-text.js';
