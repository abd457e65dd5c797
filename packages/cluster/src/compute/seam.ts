import { Queue, QueueEvents, type Job } from 'bullmq';
import type { ComputedAnswer, ComputeRequest, ComputeSeam, Logger } from '@cubemark/scheduler';
import { messageOf } from '../errors.js';
import { close, connect, shownUrl, type Connection } from '../redis/connection.js';
import type { Keys } from '../redis/keys.js';
import { listMembers } from '../status/members.js';
import { answerKey, ResultCache } from './cache.js';
import { COMPUTE_QUEUE, type ComputeJob, type ComputeJobResult } from './jobs.js';

/** Where answers that cost computing are made. */
export type ComputeMode =
  /** On workers when any is running, else in this process (the default). */
  | 'auto'
  /** Always on workers: requests wait for one (up to the timeout). */
  | 'workers'
  /** Always in this process (answers are still cached for every replica). */
  | 'local';

export interface ComputeOptions {
  /** Default: `auto`. */
  mode?: ComputeMode;
  /** Data slices from this many bytes (values and mask) go to workers and the cache; smaller ones are read here (default: 8 MiB). */
  offloadBytes?: number;
  /** How long a request waits for a worker's answer before 504 COMPUTE_TIMEOUT (default: 60 s). */
  timeoutMs?: number;
  /** Bytes of answers the cluster keeps in Redis, least recently used dropped (default: 256 MiB). */
  cacheBudget?: number;
}

export interface QueueUse {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
  /** The jobs being computed (at most 20): what, since when, how far (`done` of `total` chunks of a reduction). */
  running: { id: string; url: string; startedAt?: string; progress?: { done: number; total: number } }[];
}

function progressText(progress: unknown): string {
  const p = progress as { done?: number; total?: number } | undefined;
  return p && typeof p.done === 'number' && typeof p.total === 'number' ? `, ${p.done}/${p.total} chunks` : '';
}

/** How long the count of running workers is trusted. */
const WORKERS_FRESH_MS = 1_000;
/** A job running longer than this is logged, with its progress, every time this passes again. */
const LONG_JOB_MS = 5_000;

function errorAnswer(status: number, code: string, message: string): ComputedAnswer {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: Buffer.from(JSON.stringify({ code, message })) };
}

/**
 * The scheduler's compute seam for a replica: answers are looked up in the cluster's result cache first; a miss
 * is made by a worker (a BullMQ job the server waits for) when workers run, else here, and cached either way. Small
 * slices are left to the route. While Redis is away, everything is computed here, as without a cluster.
 */
export class ClusterCompute implements ComputeSeam {
  readonly cache: ResultCache;
  private readonly mode: ComputeMode;
  private readonly offloadBytes: number;
  private readonly timeoutMs: number;
  private queue?: Queue;
  private events?: QueueEvents;
  private connections: Connection[] = [];
  private workers = { count: 0, at: 0 };

  constructor(
    private readonly redis: Connection,
    private readonly keys: Keys,
    private readonly url: string,
    private readonly log: Logger,
    options: ComputeOptions = {},
  ) {
    this.mode = options.mode ?? 'auto';
    this.offloadBytes = options.offloadBytes ?? 8 * 1024 * 1024;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.cache = new ResultCache(redis, keys, options.cacheBudget ?? 256 * 1024 * 1024);
  }

  async answer(request: ComputeRequest, here: () => Promise<ComputedAnswer>): Promise<ComputedAnswer | undefined> {
    if (request.kind === 'data' && (request.bytes ?? 0) < this.offloadBytes) return undefined;
    if (this.redis.status !== 'ready') return undefined;
    const key = answerKey(request);
    try {
      const cached = await this.cache.get(key);
      if (cached) return { ...cached, headers: { ...cached.headers, 'x-cubemark-cache': 'hit' } };
    } catch {
      return undefined;
    }
    if (this.mode === 'local' || (this.mode === 'auto' && (await this.runningWorkers()) === 0)) {
      const answer = await here();
      if (answer.status === 200) await this.cache.put(key, answer).catch(() => undefined);
      return { ...answer, headers: { ...answer.headers, 'x-cubemark-cache': 'miss', 'x-cubemark-computed-by': 'replica' } };
    }
    return this.onWorker({ kind: request.kind, name: request.name, version: request.version, url: request.url, ...(request.accept !== undefined && { accept: request.accept }), key }, request.signal, here);
  }

  /** Enqueues the job and waits for its answer; computes here if Redis fails on the way. */
  private async onWorker(data: ComputeJob, signal: AbortSignal, here: () => Promise<ComputedAnswer>): Promise<ComputedAnswer> {
    let job: Job<ComputeJob, ComputeJobResult>;
    const { queue, events } = await this.queues();
    try {
      job = await queue.add(data.kind, data, { attempts: 2, removeOnComplete: { age: 60, count: 1000 }, removeOnFail: { age: 600 } });
    } catch (error) {
      this.log.warn(`cluster: could not queue ${data.url} (${messageOf(error)}): computing it here`);
      return here();
    }
    const started = Date.now();
    const ticker = setInterval(() => {
      void queue.getJob(job.id!).then(async (now) => {
        const state = now ? await now.getState() : 'gone';
        this.log.info(`cluster: job ${job.id} (${data.kind} ${data.url}) ${state} for ${((Date.now() - started) / 1000).toFixed(0)} s${progressText(now?.progress)}`);
      }, () => undefined);
    }, LONG_JOB_MS);
    ticker.unref();
    let result: ComputeJobResult;
    try {
      const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
      aborted.catch(() => undefined);
      result = await Promise.race([job.waitUntilFinished(events, this.timeoutMs), aborted]);
    } catch (error) {
      const message = messageOf(error);
      if (/timed out/i.test(message)) {
        return errorAnswer(504, 'COMPUTE_TIMEOUT', `no worker answered ${data.url} within ${this.timeoutMs} ms (job ${job.id}); try again, or start workers (cubemark worker --redis ${shownUrl(this.url)})`);
      }
      return errorAnswer(500, 'COMPUTE_FAILED', `the worker failed on ${data.url}: ${message}`);
    } finally {
      clearInterval(ticker);
    }
    const answer = await this.cache.get(result.key).catch(() => undefined);
    if (!answer) return here();
    return { ...answer, headers: { ...answer.headers, 'x-cubemark-cache': 'miss', 'x-cubemark-computed-by': result.worker, 'x-cubemark-job': String(job.id) } };
  }

  /** How many workers sent a heartbeat lately (counted at most once a second). */
  private async runningWorkers(): Promise<number> {
    if (Date.now() - this.workers.at < WORKERS_FRESH_MS) return this.workers.count;
    try {
      const members = await listMembers(this.redis, this.keys);
      this.workers = { count: members.filter((m) => m.kind === 'worker').length, at: Date.now() };
    } catch {
      this.workers = { count: 0, at: Date.now() };
    }
    return this.workers.count;
  }

  private async queues(): Promise<{ queue: Queue; events: QueueEvents }> {
    if (!this.queue || !this.events) {
      const [a, b] = [connect(this.url, 'blocking', 'cubemark-queue'), connect(this.url, 'blocking', 'cubemark-queue-events')];
      this.connections.push(a, b);
      this.queue = new Queue(COMPUTE_QUEUE, { connection: a, prefix: this.keys.bull });
      this.events = new QueueEvents(COMPUTE_QUEUE, { connection: b, prefix: this.keys.bull });
      // While Redis is away BullMQ reports every failed reconnection; the registry already says Redis is lost.
      this.queue.on('error', () => undefined);
      this.events.on('error', () => undefined);
      await this.events.waitUntilReady();
    }
    return { queue: this.queue, events: this.events };
  }

  /** Jobs by state, for the cluster's status. */
  async queueUse(): Promise<QueueUse> {
    const { queue } = await this.queues();
    const [counts, active] = await Promise.all([queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed'), queue.getActive(0, 19)]);
    const running = active.map((job) => ({
      id: String(job.id),
      url: (job.data as ComputeJob).url,
      ...(job.processedOn && { startedAt: new Date(job.processedOn).toISOString() }),
      ...(typeof (job.progress as { done?: unknown })?.done === 'number' && { progress: job.progress as { done: number; total: number } }),
    }));
    return { waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0, failed: counts.failed ?? 0, completed: counts.completed ?? 0, running };
  }

  async close(): Promise<void> {
    // BullMQ's close waits for Redis; while Redis is away it would wait forever: give it a second, then cut.
    const closing = Promise.allSettled([this.events?.close(), this.queue?.close()]);
    await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    await Promise.all(this.connections.map((c) => close(c)));
  }
}
