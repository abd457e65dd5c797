import type { Publication } from '@cubemark/format';
import type { SourcePool } from '@cubemark/cube';
import { SchedulerError } from '../errors.js';

/** What a loader gets: the sources to read (headers only) and what the publication should be called. */
export interface LoadRequest {
  name: string;
  /** Source URIs as the client gave them: absolute (`s3://`, `https://`, `file:`, `/path`) or relative to `base`. */
  uris: readonly string[];
  title?: string;
  /** The scheduler's data base, for relative URIs (default: none). */
  base?: string;
  /** The scheduler's byte-source pool: loaders should open sources through it so handles are shared. */
  pool: SourcePool;
  signal: AbortSignal;
}

export interface LoadResult {
  publication: Publication;
  /** Things a person should know (skipped variables, guessed units); kept with the publication. */
  warnings?: string[];
  body?: string;
}

/**
 * Builds a publication from data sources (reading headers only; data stays lazy). This is the hook point for the
 * CF loader (`loadPublication` in @cubemark/cube's `cf` folder): pass it as `SchedulerOptions.loader` (an adapter
 * of a few lines) until the scheduler uses it by default.
 */
export type SourceLoader = (request: LoadRequest) => Promise<LoadResult>;

/** The loader used when none is configured: refuses, saying what to do instead. */
export const noLoader: SourceLoader = async (request) => {
  throw new SchedulerError(
    'NO_LOADER',
    `cannot publish '${request.name}' from ${request.uris.length} source${request.uris.length === 1 ? '' : 's'}: this scheduler has no loader for data sources (the CF loader of @cubemark/cube is not available yet); publish a .cube.md document instead`,
  );
};
