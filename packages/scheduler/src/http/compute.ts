import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The compute seam: routes whose answers cost computing (reductions, maps, large slices, unified views) ask a
 * `ComputeSeam` first, which may answer from elsewhere (a cache, a worker process) or leave the work to the route.
 * A worker answers with the same routes, through `computeHere`, so an answer is the same wherever it is made.
 */

/** Header marking a request that must be computed by the route itself (the seam is not asked again). */
export const COMPUTE_HERE_HEADER = 'x-cubemark-compute-here';

/** What a route asks the seam about. */
export interface ComputeRequest {
  kind: 'data' | 'collapsed' | 'plot' | 'unified';
  /** The publication, and the id of the record the answer is made from (new on every publish). */
  name: string;
  version: string;
  /** The request's path and query, and its `Accept`: enough to make the answer again with `computeHere`. */
  url: string;
  accept?: string;
  /** For `data`: the most bytes the answer holds (values and mask), from its shape, before anything is read. */
  bytes?: number;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
}

/** An answer as a route made it: status, the headers that describe the body, and the body. */
export interface ComputedAnswer {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface ComputeSeam {
  /**
   * The answer to `request`, or `undefined` to let the route compute it as usual. `here()` makes the answer in
   * this process (through the route, bypassing the seam), for a seam that caches what it computes locally.
   */
  answer(request: ComputeRequest, here: () => Promise<ComputedAnswer>): Promise<ComputedAnswer | undefined>;
  /**
   * Hears how far a long computation of `url` has come (a reduction's chunks: `done` of `total`), whether it runs
   * for a client or for `here()`: a worker reports it on its job. Optional.
   */
  progress?(url: string, done: number, total: number): void;
}

/** The headers of an answer that describe its body (type, shape headers of binary values, caching). */
function describingHeaders(headers: Record<string, string | string[] | number | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (key === 'content-type' || key === 'cache-control' || key === 'retry-after' || key.startsWith('x-')) kept[key] = String(value);
  }
  return kept;
}

/** Makes the answer to `GET url` in this process, through `app`'s routes, without asking the compute seam. */
export async function computeHere(app: FastifyInstance, url: string, accept?: string): Promise<ComputedAnswer> {
  const response = await app.inject({ method: 'GET', url, headers: { [COMPUTE_HERE_HEADER]: '1', ...(accept !== undefined && { accept }) } });
  return { status: response.statusCode, headers: describingHeaders(response.headers), body: response.rawPayload };
}

/** What the routes hold of the seam: the seam, and how to compute here. */
export interface Offload {
  seam: ComputeSeam;
  app: FastifyInstance;
}

/**
 * Asks the seam for `request`'s answer; `undefined` when there is no seam, the request is one the seam itself sent
 * to be computed here, or the seam leaves it to the route.
 */
export async function offloaded(
  offload: Offload | undefined,
  request: FastifyRequest,
  what: Omit<ComputeRequest, 'url' | 'accept' | 'signal'>,
  signal: AbortSignal,
): Promise<ComputedAnswer | undefined> {
  if (!offload || request.headers[COMPUTE_HERE_HEADER] !== undefined) return undefined;
  const accept = request.headers.accept;
  return offload.seam.answer({ ...what, url: request.url, ...(accept !== undefined && { accept }), signal }, () => computeHere(offload.app, request.url, accept));
}

/** Sends an answer the seam gave. */
export function sendComputed(reply: FastifyReply, answer: ComputedAnswer): FastifyReply {
  return reply
    .code(answer.status)
    .headers(answer.headers)
    .send(Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength));
}
