import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { DEFAULT_LIMITS } from '@cubemark/format';
import type { CloseResult, Scheduler } from '../api.js';
import { AccessControl, type AccessOptions } from './auth.js';
import type { ComputeSeam, Offload } from './compute.js';
import { errorHandling } from './errors.js';
import { guard } from './guard.js';
import { MAX_NAME_PARAM } from './request.js';
import { coordRoutes } from './routes/coords.js';
import { cubeRoutes } from './routes/cubes.js';
import { explorerRoutes } from './routes/explorer.js';
import { exportRoutes } from './routes/export.js';
import { healthRoutes } from './routes/health.js';
import { publicationRoutes, type ReloadOutcome } from './routes/publications.js';
import { unifiedRoutes } from './routes/unified.js';

export type { ReloadOutcome } from './routes/publications.js';

/** Default largest request body: the format's largest document plus room for headers (32 MiB + 64 KiB). */
export const DEFAULT_BODY_LIMIT = DEFAULT_LIMITS.maxBytes + 64 * 1024;
/** Default largest JSON data answer, in values (262,144). */
export const DEFAULT_MAX_JSON_VALUES = 262_144;
/** Default largest binary data answer, in bytes (256 MiB). */
export const DEFAULT_MAX_SLICE_BYTES = 256 * 1024 * 1024;
/** Default most values one request may read (a reduction's input, a slice, a map): 2^30. */
export const DEFAULT_MAX_READ_VALUES = 2 ** 30;

/** How long a connection may take, against clients that hold connections open (slow-loris). */
export interface TimeoutOptions {
  /** Milliseconds to receive a request's headers (default: 10000). */
  headersMs?: number;
  /** Milliseconds to receive a whole request, body included (default: 120000). */
  requestMs?: number;
  /** Milliseconds a connection may sit idle, nothing read or written (default: 120000). */
  idleMs?: number;
  /** Milliseconds an idle keep-alive connection is kept for the next request (default: 5000). */
  keepAliveMs?: number;
  /** How often connections are checked against `headersMs` and `requestMs` (default: 1000). */
  checkIntervalMs?: number;
}

export const DEFAULT_TIMEOUTS: Required<TimeoutOptions> = {
  headersMs: 10_000,
  requestMs: 120_000,
  idleMs: 120_000,
  keepAliveMs: 5_000,
  checkIntervalMs: 1_000,
};

export interface HttpOptions extends AccessOptions {
  /** Largest request body in bytes (default: 32 MiB + 64 KiB). */
  bodyLimit?: number;
  /** Most values a JSON data or collapsed answer may hold (default: 262,144); more is 413. */
  maxJsonValues?: number;
  /** Most bytes a binary data or collapsed answer may hold (default: 256 MiB); more is 413. */
  maxSliceBytes?: number;
  /** Most values one request may read: a reduction's input, a slice, a map (default: 2^30); more is 413. */
  maxReadValues?: number;
  /** Heavy requests (data, collapsed, plot) one client may have running at once (default: 8); more is 429. */
  maxHeavyPerClient?: number;
  /** Requests per client per window, or `false` for no limit (default: none; `cubemark serve` uses 6000 a minute). */
  rateLimit?: { max: number; timeWindowMs?: number } | false;
  /** Origins whose pages may call the API (CORS), `'*'` for any (default: none: no CORS headers). */
  corsOrigins?: readonly string[];
  /** Connection timeouts (see `TimeoutOptions`). */
  timeouts?: TimeoutOptions;
  /** Largest request header section in bytes (default: 16 KiB); larger is 431. */
  maxHeaderBytes?: number;
  /**
   * Proxies in front of the server whose `X-Forwarded-For` names the client (fastify's `trustProxy`: addresses or
   * CIDR ranges). Rate limits and the heavy-request bound then count per client, not per proxy. Default: none
   * trusted (each connection's own address is the client).
   */
  trustProxy?: readonly string[];
  /**
   * Directory of the built explorer page, served at `/` (@cubemark/explorer's `explorerDist`; `cubemark serve`
   * passes it). Default: none, and `/` is 404 like any unknown route.
   */
  explorerRoot?: string;
  /**
   * Re-reads the publications' durable store (`POST /reload`, `cubemark reload`): `cubemark serve` passes the restore
   * plugin's reload. Default: none, and `/reload` answers 404.
   */
  reload?: (names?: readonly string[]) => Promise<ReloadOutcome>;
  /**
   * Asked first for answers that cost computing (reductions, maps, large slices, unified views): it may answer
   * from a cache or a worker, or leave the work to the route (see `ComputeSeam`). Default: none, every answer is
   * computed in this process.
   */
  compute?: ComputeSeam;
  /** More routes, as fastify plugins registered after the built-in ones (e.g. a cluster's status). Default: none. */
  routes?: readonly FastifyPluginAsync[];
}

/** A scheduler behind HTTP. `listen` starts the scheduler (plugins' `start`) before accepting requests. */
export interface SchedulerServer {
  readonly app: FastifyInstance;
  readonly scheduler: Scheduler;
  /** Starts the scheduler, then listens; resolves to the base URL (`http://127.0.0.1:8787`). Port 0 picks a free port. */
  listen(options?: { port?: number; host?: string }): Promise<string>;
  /** Stops accepting requests, lets running ones finish, then closes the scheduler (plugins' `stop`). */
  close(): Promise<CloseResult>;
  /** Re-read the tokens file (`cubemark serve` calls it on SIGHUP); resolves to whether it loaded. */
  reloadTokens(): Promise<boolean>;
}

/**
 * An HTTP server for `scheduler`: the routes of the README as one fastify plugin per resource, an OpenAPI 3
 * document at `/openapi.json`, JSON errors `{code, message, details?}`. Nothing listens until `listen()`.
 */
export async function createServer(scheduler: Scheduler, options: HttpOptions = {}): Promise<SchedulerServer> {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const app = Fastify({
    logger: false,
    ...(options.trustProxy?.length && { trustProxy: [...options.trustProxy] }),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    connectionTimeout: timeouts.idleMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    requestTimeout: timeouts.requestMs,
    http: {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
      maxHeaderSize: options.maxHeaderBytes ?? 16 * 1024,
    },
    // A name segment (a name, plus `.md`) is at most MAX_NAME_PARAM characters.
    routerOptions: { maxParamLength: MAX_NAME_PARAM },
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, allErrors: false } },
  });
  const limits = {
    maxJsonValues: options.maxJsonValues ?? DEFAULT_MAX_JSON_VALUES,
    maxSliceBytes: options.maxSliceBytes ?? DEFAULT_MAX_SLICE_BYTES,
    maxReadValues: options.maxReadValues ?? DEFAULT_MAX_READ_VALUES,
  };
  const access = new AccessControl(options, scheduler.log);
  await access.start();

  await app.register(errorHandling, { log: scheduler.log });
  await app.register(guard, {
    access,
    rateLimit: options.rateLimit ? { max: options.rateLimit.max, timeWindowMs: options.rateLimit.timeWindowMs ?? 60_000 } : false,
    corsOrigins: options.corsOrigins ?? [],
    maxHeavyPerClient: options.maxHeavyPerClient ?? 8,
  });
  await app.register(healthRoutes);
  if (options.explorerRoot) await app.register(explorerRoutes, { root: options.explorerRoot });
  await app.register(publicationRoutes, {
    scheduler,
    access,
    reload: options.reload,
  });
  const offload: Offload | undefined = options.compute && { seam: options.compute, app };
  await app.register(cubeRoutes, { scheduler, limits, offload });
  await app.register(coordRoutes, { scheduler, limits });
  await app.register(unifiedRoutes, { scheduler, limits, offload });
  await app.register(exportRoutes, { scheduler });
  for (const routes of options.routes ?? []) await app.register(routes);
  await app.ready();

  let closing: Promise<CloseResult> | undefined;
  return {
    app,
    scheduler,
    async listen({ port = 8787, host = '127.0.0.1' } = {}) {
      await scheduler.start();
      await warmUp(app, scheduler);
      await app.listen({ port, host });
      const address = app.server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `http://${shownHost}:${address.port}`;
    },
    reloadTokens: () => access.reload(),
    close() {
      closing ??= (async () => {
        access.close();
        await app.close();
        return scheduler.close();
      })();
      return closing;
    },
  };
}

/**
 * Describes one publication already held, through its route, before the server listens: the description is then
 * cached and the code every answer runs compiled for the first request. A failure only means no warm-up.
 */
async function warmUp(app: FastifyInstance, scheduler: Scheduler): Promise<void> {
  const first = (await scheduler.list()).find((p) => p.state !== 'restoring');
  if (!first) return;
  await app.inject({ method: 'GET', url: `/publications/${encodeURIComponent(first.name)}` }).catch(() => undefined);
}
