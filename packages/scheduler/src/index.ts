// The public surface of @cubemark/scheduler.
export type * from './plugins/types.js';
export { createScheduler } from './scheduler.js';
export * from './api.js';
export {
  SCHEDULER_ERROR_CODES,
  SchedulerError,
  InvalidNameError,
  InvalidPublicationError,
  PluginError,
  PublicationExistsError,
  PublicationNotFoundError,
  type SchedulerErrorCode,
} from './errors.js';
export { assertValidName } from './names.js';
export type { PublicationRecord, PublicationRegistry, RegistryChange } from './registry/types.js';
export { KeyedLock, type NameLock } from './lock.js';
export { MemoryRegistry } from './registry/memory.js';
export { HeldPublication, type CubeAccess, type UnifiedCube } from './publication/held.js';
export { PublicationContent } from './publication/content.js';
export { DEFAULT_MODEL_CACHE_BYTES, DEFAULT_MODEL_CACHE_COUNT } from './publication/cache.js';
export { bytesHeld, type ResidencyReport } from './residency/resident.js';
export { cfLoader } from './sources/cf.js';
export { noLoader, type LoadRequest, type LoadResult, type SourceLoader } from './sources/loader.js';
export { defaultSourcePolicy } from './sources/policy.js';
export {
  createServer,
  DEFAULT_BODY_LIMIT,
  DEFAULT_MAX_JSON_VALUES,
  DEFAULT_MAX_SLICE_BYTES,
  DEFAULT_MAX_READ_VALUES,
  DEFAULT_TIMEOUTS,
  type HttpOptions,
  type TimeoutOptions,
  type ReloadOutcome,
  type SchedulerServer,
} from './http/server.js';
export { HTTP_ERROR_CODES, type HttpErrorCode } from './http/errors.js';
export { COMPUTE_HERE_HEADER, computeHere, type ComputeRequest, type ComputeSeam, type ComputedAnswer } from './http/compute.js';
export type { AccessOptions, Caller, TokenScope, WriteAccess } from './http/auth.js';
