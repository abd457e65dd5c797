// The public surface of @cubemark/hdf5: a reader of the HDF5 file format by byte range.
export { openHdf5, Hdf5File, type Hdf5Object } from './objects/file.js';
export { Hdf5Group, Hdf5NamedDatatype } from './objects/group.js';
export { Hdf5Dataset, type Selection, type ReadStats, type ReadRawOptions } from './objects/dataset.js';
export type { Hdf5Attribute } from './objects/attributes.js';
export type { RangeReader } from './io/range-reader.js';
export { bufferReader } from './io/range-reader.js';
export type { ReadOptions } from './io/file-io.js';
export { PageCache } from './io/page-cache.js';
export type { Datatype, CompoundMember, EnumMember, StringPadding, Charset } from './format/datatype.js';
export { describeDatatype } from './format/datatype.js';
export type { Layout, ChunkIndexInfo } from './format/messages/layout.js';
export type { FilterInfo } from './format/messages/filters.js';
export type { Link } from './format/messages/link.js';
export type { Superblock } from './format/superblock.js';
export { HDF5_SIGNATURE, findSignature } from './format/superblock.js';
export type { Hdf5Values, NumericArray } from './values/decode.js';
export { FILTER_NAMES, KNOWN_FILTER_NAMES } from './filters/pipeline.js';
export {
  Hdf5Error,
  Hdf5CorruptError,
  Hdf5UnsupportedError,
  Hdf5LimitError,
  Hdf5UsageError,
  HDF5_ERROR_CODES,
  type Hdf5ErrorCode,
} from './errors.js';
