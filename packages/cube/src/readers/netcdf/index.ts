export { netcdfPlugin, isNetcdfClassic, READER_MAX_GAP } from './plugin.js';
export { openNetcdf, NetcdfDataset, NetcdfDatasetVariable, headerLayout, type NetcdfOpenOptions } from './dataset.js';
export {
  readHeader,
  parseHeader,
  DEFAULT_PREFIX_BYTES,
  DEFAULT_MAX_HEADER_BYTES,
  type NetcdfHeader,
  type NetcdfDimension,
  type NetcdfVariable,
  type NetcdfVersion,
  type HeaderReadOptions,
  type HeaderRead,
} from './header.js';
export { layoutFromLocator, toLocator, type NetcdfLocator } from './locator.js';
export { slabReader, presentedShape, stringLength } from './read.js';
export {
  planRuns,
  coalesceRuns,
  readSlabBytes,
  byteStrides,
  DEFAULT_RUN_GAP,
  DEFAULT_MAX_RUN_REQUESTS,
  DEFAULT_MAX_FORCED_GAP,
  type VariableLayout,
  type RunPlan,
  type Fetch,
  type RunMergeOptions,
  type SlabReadOptions,
} from './slab.js';
export { NetcdfFormatError, type NetcdfErrorCode } from './errors.js';
export { DEFAULT_FILL, ncTypeDtype, ncTypeName, ncTypeSize, type NcType } from './nc-types.js';
export { writeNetcdf, ncTypeForDtype, NetcdfWriteError, type NetcdfSpec, type NetcdfDimensionSpec, type NetcdfVariableSpec, type NetcdfValues, type NetcdfBlock, type NetcdfDataCallback, type NetcdfWriteOptions, type NetcdfWriteResult, type NetcdfWriteFormat, type NetcdfWriteErrorCode, type NcTypeName, type WrittenVariable } from './writer/index.js';
