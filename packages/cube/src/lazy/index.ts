export type * from './types.js';
export {
  axisIndices,
  boundingRange,
  composeSelections,
  fullSelection,
  isIndex,
  normaliseSelection,
  selectionShape,
  toAxisSelection,
  type NormaliseOptions,
} from './selection.js';
export { LazyArrayBase, LazyView, chunkStartsOf, readNormalised, regularChunkStarts, sliceNormalised } from './view.js';
export { InlineLazyArray, type InlineOptions } from './inline.js';
export { gather, selectionWalk } from './gather.js';
export { forEachStrided } from './strided.js';
export { allocate, castValues, dtypeOf, isBigIntDtype, isFloatDtype, product, stridesOf } from './dtype.js';
export { ArrayReadError, ArrayShapeError, DtypeError, SourceIndexError } from './errors.js';
