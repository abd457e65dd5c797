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
 * Builds a publication from data sources (reading headers only; data stays lazy). The default is `cfLoader` (the
 * CF loader of @cubemark/cube); pass another as `SchedulerOptions.loader` (e.g. `noLoader` to accept documents only).
 */
export type SourceLoader = (request: LoadRequest) => Promise<LoadResult>;

/** A loader that refuses data sources, saying what to do instead (for schedulers that take documents only). */
export const noLoader: SourceLoader = async (request) => {
  throw new SchedulerError(
    'NO_LOADER',
    `cannot publish '${request.name}' from ${request.uris.length} source${request.uris.length === 1 ? '' : 's'}: this scheduler does not load data sources; publish a .cube.md document instead (cubemark import makes one)`,
  );
};
