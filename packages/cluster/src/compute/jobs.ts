import type { ComputeRequest } from '@cubemark/scheduler';

/** The queue compute jobs go through (under the cluster's BullMQ prefix). */
export const COMPUTE_QUEUE = 'compute';

/** A job: a request to answer the way the route would, for publication `name` at `version`. */
export interface ComputeJob {
  kind: ComputeRequest['kind'];
  name: string;
  version: string;
  url: string;
  accept?: string;
  /** Where the worker leaves the answer (see `ResultCache`). */
  key: string;
}

/** What a worker returns: where the answer is, and who made it. */
export interface ComputeJobResult {
  key: string;
  stored: 'cached' | 'transient';
  worker: string;
}
