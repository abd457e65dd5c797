// The public surface of @cubemark/restore.
export { createRestorePlugin, type RestorePlugin } from './plugin.js';
export type { RestoreOptions } from './options.js';
export type { RestoreReport, ReloadReport, QuarantinedFile, StalePublication } from './restore/report.js';
export { restoreReportLines, reloadReportLines } from './restore/report.js';
export { openStore, type OpenStoreOptions } from './store/open.js';
export { LocalStore, type LocalStoreOptions } from './store/local.js';
export { S3Store } from './store/s3.js';
export { writeFileDurably } from './store/durable.js';
export {
  INDEX_FILE,
  PUBLICATION_SUFFIX,
  QUARANTINE_DIR,
  STATE_DIR,
  STATE_FILE,
  TRASH_DIR,
  type PublicationStore,
  type StateFile,
  type StoreCallOptions,
  type StoreEntry,
  type StoreWatcher,
} from './store/types.js';
export { SourceChecker, type SourceCheckerOptions, type SourceFindings } from './restore/sources.js';
export { createFileParser, type FileParser, type FileParserOptions } from './parse/pool.js';
export { pack as packHeldFile, sha256, type CheckedFile } from './parse/check.js';
export { RESTORE_ERROR_CODES, RestoreError, formatProblem, type FileProblem, type RestoreErrorCode } from './errors.js';
export { DEFAULT_STORE_RETRY, type StoreRetryOptions } from './store/retry.js';
