import { CubemarkError } from '@cubemark/format';

/** Every code a `ClusterError` carries, with what it means (the README lists them; a test checks). */
export const CLUSTER_ERROR_CODES = {
  REDIS_UNAVAILABLE: 'Redis could not be reached (at start, or for a write): the message names the URL',
  LOCK_TIMEOUT: 'another replica held the name for longer than the lock wait: try again',
  FENCED: 'the lock on a name expired and another replica took it: this replica’s write was refused',
  INVALID_CONFIG: 'a cluster option is wrong (a Redis URL that does not parse, a negative budget)',
  COMPUTE_FAILED: 'a worker could not compute an answer (its error is in the message)',
  COMPUTE_TIMEOUT: 'no worker answered within the compute timeout',
} as const;

export type ClusterErrorCode = keyof typeof CLUSTER_ERROR_CODES;

/** An error of the cluster package, with a stable `code`. */
export class ClusterError extends CubemarkError {
  declare readonly code: ClusterErrorCode;
  constructor(code: ClusterErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
