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
export { allocate, castValues, dtypeOf, isBigIntDtype, isFloatDtype } from './dtype.js';
export { ArrayReadError, ArrayShapeError, DtypeError, SourceIndexError } from './errors.js';
export { SourceLazyArray, type PluginResolver, type SourceArrayOptions } from './source.js';
export { CombinedLazyArray, type CombinedOptions } from './combined.js';
export { fromArrayData, type LazyContext } from './from-data.js';
export { cfDecoder, type CfDecoder } from './decode.js';
export {
  reduce,
  reduceMany,
  DEFAULT_MAX_ELEMENTS_PER_STEP,
  DEFAULT_REDUCE_CONCURRENCY,
  PARALLEL_MIN_ELEMENTS,
  type Reduction,
  type ReduceOptions,
} from './reduce.js';
export { startReduceHelpers, stopReduceHelpers, reduceHelperCounters, HELPER_IDLE_MS } from './helpers.js';
