import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { readCheck, type AccessControl } from './auth.js';
import { HttpError } from './errors.js';

/**
 * What a server shared by many clients puts in front of every route: read tokens, security headers, CORS, a rate
 * limit per client, and a bound on each client's heavy requests (data, reductions, maps) in flight. Registered at
 * the root (fastify-plugin) before the routes, so its hooks run for all of them.
 */
export interface GuardOptions {
  access: AccessControl;
  /** Requests per client per `timeWindowMs`, or `false` for none (default: none; `cubemark serve` sets one). */
  rateLimit: { max: number; timeWindowMs: number } | false;
  /** Origins allowed to call the API from a browser page (default: none: no CORS headers). `'*'` allows any. */
  corsOrigins: readonly string[];
  /** Heavy requests (data, collapsed, plot) one client may have in flight at once; more are 429 (default: 8). */
  maxHeavyPerClient: number;
}

/** Routes whose answers read data: bounded per client. */
const HEAVY = /\/(data|collapsed|plot\.png)$/;
/** Routes that read publications: need a read token when one is configured. */
const READS = /^\/(publications|resident)(\/|$)/;

/**
 * The Content-Security-Policy of the explorer page (and every answer): its own scripts and styles, maps drawn
 * into data: and blob: images, API calls to the same origin only, no frames, no plugins.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  scriptSrc: ["'self'"],
  // React sets style attributes; the built CSS is a file.
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
};

/** The client a request counts against: its address (a proxy in front should be trusted with `trustProxy`). */
const clientOf = (request: FastifyRequest) => request.ip;

export const guard = fp<GuardOptions>(async (app, options) => {
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    // Cross-origin pages may embed maps and read answers only when CORS says so.
    crossOriginResourcePolicy: { policy: options.corsOrigins.length > 0 ? 'cross-origin' : 'same-origin' },
    // Plain HTTP on a loopback or intranet address is a supported deployment: no HSTS from here (a TLS proxy adds it).
    strictTransportSecurity: false,
  });

  if (options.corsOrigins.length > 0) {
    await app.register(fastifyCors, {
      origin: options.corsOrigins.includes('*') ? '*' : [...options.corsOrigins],
      methods: ['GET', 'HEAD', 'POST', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'accept'],
      exposedHeaders: ['x-dtype', 'x-shape', 'x-dims', 'x-masked', 'x-mask-offset', 'location', 'retry-after'],
      maxAge: 600,
    });
  }

  if (options.rateLimit) {
    await app.register(fastifyRateLimit, {
      global: true,
      max: options.rateLimit.max,
      timeWindow: options.rateLimit.timeWindowMs,
      keyGenerator: clientOf,
      errorResponseBuilder: (_request, context) =>
        new HttpError(429, 'RATE_LIMITED', `more than ${context.max} requests in ${options.rateLimit ? options.rateLimit.timeWindowMs / 1000 : 0} s from this client; retry in ${context.after}`, {
          'retry-after': String(Math.max(1, Math.ceil(context.ttl / 1000))),
        }),
    });
  }

  const reads = readCheck(options.access);
  app.addHook('onRequest', async (request) => {
    // By the matched route, so no spelling of a path (encoded, doubled slashes) slips past; unknown routes are 404.
    const route = request.routeOptions.url;
    if ((request.method === 'GET' || request.method === 'HEAD') && route !== undefined && READS.test(route)) await reads(request);
  });

  const heavy = new Map<string, number>();
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route === undefined || !HEAVY.test(route)) return;
    const client = clientOf(request);
    const running = heavy.get(client) ?? 0;
    if (running >= options.maxHeavyPerClient) {
      throw new HttpError(429, 'TOO_MANY_REQUESTS', `this client already has ${running} data requests running (at most ${options.maxHeavyPerClient}); wait for one to finish`, {
        'retry-after': '1',
      });
    }
    heavy.set(client, running + 1);
    // 'close' fires once whether the answer was sent or the client went away.
    reply.raw.once('close', () => {
      const left = (heavy.get(client) ?? 1) - 1;
      if (left <= 0) heavy.delete(client);
      else heavy.set(client, left);
    });
  });
});
