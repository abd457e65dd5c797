import { resolve } from 'node:path';
import { EXPLORER_NOT_BUILT, explorerBuilt, explorerDist } from '@cubemark/explorer';
import { createRestorePlugin, reloadReportLines } from '@cubemark/restore';
import { createScheduler, createServer, defaultSourcePolicy, type Logger } from '@cubemark/scheduler';
import { exitAfterStop, type Io } from '../io.js';
import { joinCluster, type ClusterServeOptions } from './cluster.js';

export interface ServeOptions extends ClusterServeOptions {
  /** Where publications are kept (default: `./publications`). */
  store?: string;
  /** Port (default: 8787; 0 picks a free one). */
  port?: number | string;
  /** Interface to listen on (default: 127.0.0.1). */
  host?: string;
  /** Write token (default: CUBEMARK_TOKEN). */
  token?: string;
  /** Accept writes without a token (only on a trusted network). */
  insecureWrites?: boolean;
  /** What relative source URIs resolve against (default: the store folder, as the restore plugin does). */
  dataBase?: string;
  /** Residency budget for persist, in bytes (default: the scheduler's, 512 MiB). */
  budget?: number | string;
  /** Reload files edited in a local store as they change (the restore plugin's watch). */
  watch?: boolean;
  /** `false`: parse every store file at start, without the store's index (the restore plugin's `index`). */
  index?: boolean;
  /** Directories sources may be read under, symlinks resolved (default: the data base). */
  dataRoots?: string[];
  /** URL prefixes (`https://host/path/`, `s3://bucket/prefix/`) sources may be read under (default: none). */
  allowUrls?: string[];
  /** Read token: once given, reads need it or a write token (default: CUBEMARK_READ_TOKEN; reads open without one). */
  readToken?: string;
  /** A JSON file of named read and write tokens, re-read when it changes and on SIGHUP. */
  tokens?: string;
  /** Origins whose pages may call the API (CORS; default: none). */
  cors?: string[];
  /** Requests per minute per client (default: 6000; 0 turns the limit off). */
  rateLimit?: number | string;
  /** Proxies (addresses or CIDR ranges) whose X-Forwarded-For names the client. */
  trustProxy?: string[];
  /** Stops the server when aborted (default: SIGINT or SIGTERM). */
  signal?: AbortSignal;
}

function ioLogger(io: Io): Logger {
  return {
    info: (m) => io.err(`${m}\n`),
    warn: (m) => io.err(`warning: ${m}\n`),
    error: (m) => io.err(`error: ${m}\n`),
  };
}

/** Resolves when the process is told to stop (SIGINT, SIGTERM) or `signal` aborts. */
function stopRequested(signal?: AbortSignal): Promise<string> {
  return new Promise((done) => {
    if (signal) {
      if (signal.aborted) return done('aborted');
      signal.addEventListener('abort', () => done('aborted'), { once: true });
      return;
    }
    process.once('SIGINT', () => done('SIGINT'));
    process.once('SIGTERM', () => done('SIGTERM'));
  });
}

/**
 * `cubemark serve [--store DIR] [--port N] [--host H] [--token T]`: a scheduler with the restore plugin: every
 * publication in the store is restored (in the background, still lazy) and every publish is written there before
 * it is acknowledged. Runs until SIGINT/SIGTERM, then shuts down gracefully (plugins' stop hooks).
 */
export async function serveCommand(options: ServeOptions, io: Io): Promise<number> {
  const port = options.port === undefined ? 8787 : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`cubemark: --port ${options.port} is not a port number (0-65535)\n`);
    return 2;
  }
  const budget = options.budget === undefined ? undefined : Number(options.budget);
  if (budget !== undefined && !(Number.isFinite(budget) && budget >= 0)) {
    io.err(`cubemark: --budget ${options.budget} is not a number of bytes\n`);
    return 2;
  }
  const rateLimit = options.rateLimit === undefined ? 6000 : Number(options.rateLimit);
  if (!(Number.isInteger(rateLimit) && rateLimit >= 0)) {
    io.err(`cubemark: --rate-limit ${options.rateLimit} is not a number of requests per minute\n`);
    return 2;
  }
  const host = options.host ?? '127.0.0.1';
  const store = options.store ?? 'publications';
  const dataBase = options.dataBase ?? (/^[a-z][a-z0-9+.-]*:\/\//i.test(store) ? store : resolve(store));
  const token = options.token ?? (process.env.CUBEMARK_TOKEN || undefined);
  const log = ioLogger(io);

  // With --redis, a replica of a cluster: the registry in Redis, the store written and refreshed by the cluster.
  const cluster = options.redis === undefined ? undefined : await joinCluster(options, store, log, io);
  if (cluster && (options.watch || options.index === false)) io.err('note: --watch and --no-index apply without --redis only: a cluster refreshes from the store at boot and on `cubemark reload`\n');
  if (cluster === null) return 1;
  const restore = cluster ? undefined : createRestorePlugin({ store, dataBase, progress: io.isTty ? 'auto' : false, ...(options.watch === true && { watch: true }), ...(options.index === false && { index: false }) });
  // What the server may read: --data-root (default: the data base) and --allow-url (default: none, or a remote data base).
  const sourcePolicy = {
    ...defaultSourcePolicy(dataBase),
    ...(options.dataRoots?.length && { roots: options.dataRoots.map((r) => resolve(r)) }),
    ...(options.allowUrls?.length && { allowUrls: options.allowUrls }),
  };
  const scheduler = createScheduler({
    plugins: cluster ? cluster.plugins : [restore!],
    ...(cluster && { registry: cluster.registry, lock: cluster.lock }),
    dataBase,
    log,
    sourcePolicy,
    ...(budget !== undefined && { residentBudget: budget }),
  });
  // The explorer page at `/`, when it was built (`pnpm --filter @cubemark/explorer build`, or `npm run build`).
  const explorer = explorerBuilt();
  // Who may read and write, and what each client may ask (a tokens file that does not load stops the start).
  const sharing = {
    readToken: options.readToken ?? (process.env.CUBEMARK_READ_TOKEN || undefined),
    ...(options.tokens !== undefined && { tokensFile: resolve(options.tokens) }),
    corsOrigins: options.cors ?? [],
    rateLimit: rateLimit > 0 ? { max: rateLimit, timeWindowMs: 60_000 } : (false as const),
    ...(options.trustProxy?.length && { trustProxy: options.trustProxy }),
  };
  // Options are all checked before Redis is joined; a server that cannot start (a tokens file that does not load)
  // leaves the cluster, so no Redis connection keeps the process alive.
  const server = await createServer(scheduler, {
    token,
    ...sharing,
    allowUnauthenticatedWrites: options.insecureWrites === true,
    ...(explorer && { explorerRoot: explorerDist }),
    reload: cluster
      ? cluster.reload
      : async (names) => {
          const report = await restore!.reload(names ? { names } : {});
          return { ...reloadReportLines(store, report), report };
        },
    ...(cluster && cluster.http),
  }).catch(async (error: unknown) => {
    await cluster?.close();
    throw error;
  });
  // SIGHUP re-reads the tokens file: a token is rotated without a restart.
  const onHangup = () => void server.reloadTokens();
  if (options.tokens !== undefined) process.on('SIGHUP', onHangup);
  let url: string;
  try {
    url = await server.listen({ port, host });
  } catch (error) {
    io.err(`cubemark: cannot serve: ${(error as Error).message}\n`);
    await server.close().catch(() => undefined);
    return 1;
  }
  cluster?.listening(url);
  io.out(`listening on ${url} (restoring in the background)\n`);
  io.err(`reading sources only under: ${sourcePolicy.roots.length ? sourcePolicy.roots.join(', ') : 'no directory'}; ${sourcePolicy.allowUrls.length ? sourcePolicy.allowUrls.join(', ') : 'no URL'} (--data-root, --allow-url)\n`);
  if (explorer) io.out(`explorer at ${url}/\n`);
  else io.err(`note: ${EXPLORER_NOT_BUILT}\n`);
  if (!token && !options.insecureWrites && options.tokens === undefined) {
    io.err('warning: no write token: publish and unpublish are refused; pass --token T or set CUBEMARK_TOKEN (or --insecure-writes on a trusted network)\n');
  }
  // The restore plugin reports its own progress and summary (restored N publications ... · quarantined · stale).

  const why = await stopRequested(options.signal);
  io.err(`shutting down (${why})\n`);
  process.off('SIGHUP', onHangup);
  const { warnings } = await server.close();
  for (const w of warnings) io.err(`warning: ${w}\n`);
  if (!options.signal) exitAfterStop(0);
  return 0;
}
