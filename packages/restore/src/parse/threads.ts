import { availableParallelism } from 'node:os';

/** Stores with fewer files than this are parsed on the main thread unless `threads` says otherwise. */
export const WORKER_THRESHOLD = 64;

/**
 * Worker threads to parse `files` files: `asked` (never more than files), else one per core for a store large
 * enough to repay starting them (each worker loads the format package), else none (README, "Measurements").
 */
export function threadsFor(files: number, asked: number | undefined): number {
  return Math.min(files, asked ?? (files >= WORKER_THRESHOLD ? availableParallelism() : 0));
}

/** `CUBEMARK_RESTORE_THREADS`, when it is a whole number. */
export function threadsFromEnv(): number | undefined {
  const value = process.env.CUBEMARK_RESTORE_THREADS;
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}
