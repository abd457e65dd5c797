import type { AddressInfo } from 'node:net';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { DEFAULT_LIMITS, bytesPerElement, parse, product, type CoordSystem } from '@cubemark/format';
import { reduce, type ArrayResult, type Reduction } from '@cubemark/cube';
import { collapseAxes, selectView, type SelectedView } from '../data/selection.js';
import { encodeBinary, encodeJson } from '../data/encode.js';
import { InvalidPublicationError, SchedulerError, messageOf } from '../errors.js';
import { assertValidName } from '../names.js';
import { cubeJson, publicationJsonText } from '../publication/describe.js';
import { PLOT_RESERVED, plotPng, type PlotQuery } from './plot.js';
import type { CubeAccess } from '../publication/held.js';
import type { CloseResult, Scheduler } from '../scheduler.js';
import { writeGuard, type WriteAccess } from './auth.js';
import { HttpError, mapError } from './errors.js';
import * as S from './schemas.js';

/** Default largest request body: the format's largest document plus room for headers (32 MiB + 64 KiB). */
export const DEFAULT_BODY_LIMIT = DEFAULT_LIMITS.maxBytes + 64 * 1024;
/** Default largest JSON data answer, in values (262,144). */
export const DEFAULT_MAX_JSON_VALUES = 262_144;
/** Default largest binary data answer, in bytes (256 MiB). */
export const DEFAULT_MAX_SLICE_BYTES = 256 * 1024 * 1024;

export interface HttpOptions extends WriteAccess {
  /** Largest request body in bytes (default: 32 MiB + 64 KiB). */
  bodyLimit?: number;
  /** Most values a JSON data or collapsed answer may hold (default: 262,144); more is 413. */
  maxJsonValues?: number;
  /** Most bytes a binary data or collapsed answer may hold (default: 256 MiB); more is 413. */
  maxSliceBytes?: number;
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
}

/** What a reload did: a one-line summary, detail lines (quarantined, stale), and the full report. */
export interface ReloadOutcome {
  summary: string;
  details: string[];
  report: unknown;
}

/** A scheduler behind HTTP. `listen` starts the scheduler (plugins' `start`) before accepting requests. */
export interface SchedulerServer {
  readonly app: FastifyInstance;
  readonly scheduler: Scheduler;
  /** Starts the scheduler, then listens; resolves to the base URL (`http://127.0.0.1:8787`). Port 0 picks a free port. */
  listen(options?: { port?: number; host?: string }): Promise<string>;
  /** Stops accepting requests, lets running ones finish, then closes the scheduler (plugins' `stop`). */
  close(): Promise<CloseResult>;
}

const DATA_RESERVED = new Set(['sel', 'format']);
const COLLAPSED_RESERVED = new Set(['sel', 'format', 'coords', 'op']);

/** An AbortSignal that fires when the client goes away before the answer is sent, so reads stop early. */
function clientSignal(request: FastifyRequest, reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error(`the client closed ${request.method} ${request.url}`));
  });
  return controller.signal;
}

/** Which answer format a data request wants: `?format=` wins, then `Accept`; binary by default. */
function wantsJson(request: FastifyRequest, format: string | undefined): boolean {
  if (format) return format === 'json';
  const accept = request.headers.accept ?? '';
  return /application\/json/i.test(accept) && !/application\/octet-stream/i.test(accept);
}

function dtypeBytes(dtype: string): number {
  return dtype === 'string' ? 0 : bytesPerElement(dtype as Parameters<typeof bytesPerElement>[0]);
}

/**
 * An HTTP server for `scheduler`: the routes of the README, an OpenAPI 3 document at `/openapi.json`, JSON errors
 * `{code, message, details?}`. Nothing listens until `listen()`.
 */
export async function createServer(scheduler: Scheduler, options: HttpOptions = {}): Promise<SchedulerServer> {
  const maxJsonValues = options.maxJsonValues ?? DEFAULT_MAX_JSON_VALUES;
  const maxSliceBytes = options.maxSliceBytes ?? DEFAULT_MAX_SLICE_BYTES;
  const guard = writeGuard(options);
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // A name segment (a name, plus `.md`) is at most MAX_NAME_PARAM characters.
    routerOptions: { maxParamLength: S.MAX_NAME_PARAM },
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, allErrors: false } },
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'cubemark scheduler',
        description: 'Publications of lazy meteorological cubes: metadata, summaries, slices and reductions.',
        version: '0.1.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  app.addSchema(S.errorSchema);

  // `.cube.md` text; text/plain too, as curl --data-binary sends it by default with -H.
  app.addContentTypeParser(['text/markdown', 'text/x-markdown', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((error, request, reply) => {
    const mapped = mapError(error);
    if (mapped.unexpected) scheduler.log.error(`${request.method} ${request.url}: ${error instanceof Error ? (error.stack ?? error.message) : messageOf(error)}`);
    void reply.code(mapped.status).headers(mapped.headers).type('application/json; charset=utf-8').send(mapped.body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({ code: 'ROUTE_NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}; GET /openapi.json lists them` });
  });

  const requireWrite = async (request: FastifyRequest) => {
    guard(request.headers.authorization);
  };
  const security = options.token ? [{ bearer: [] }] : [];

  app.get('/healthz', {
    schema: {
      summary: 'Liveness: 200 once the server listens',
      response: { 200: { type: 'object', required: ['status'], properties: { status: { type: 'string' } } } },
    },
  }, async () => ({ status: 'ok' }));

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  if (options.explorerRoot) {
    // The explorer page: index.html and hashed assets (cached for good; the page itself is revalidated).
    await app.register(fastifyStatic, {
      root: options.explorerRoot,
      prefix: '/',
      index: ['index.html'],
      setHeaders(reply: FastifyReply, path: string) {
        reply.header('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }

  app.get('/publications', {
    schema: {
      summary: 'Every publication (and every one being restored)',
      response: { 200: S.listSchema },
    },
  }, async () => ({ publications: await scheduler.list() }));

  app.get<{ Params: { name: string }; Querystring: { format?: 'json' | 'md' } }>('/publications/:name', {
    schema: {
      summary: 'A publication: JSON metadata and cube summaries, or the .cube.md text (`.md` suffix or ?format=md)',
      params: S.nameParams,
      querystring: { type: 'object', properties: { format: { type: 'string', enum: ['json', 'md'] } } },
      response: {
        200: {
          description: 'The publication',
          content: {
            'application/json': { schema: S.publicationSchema },
            'text/markdown': { schema: { type: 'string', description: 'Canonical .cube.md text, prose kept' } },
          },
        },
        ...S.errors(400, 404, 503),
      },
    },
  }, async (request, reply) => {
    let { name } = request.params;
    let format = request.query.format;
    // `/publications/x.md` is x as Markdown; the JSON of a publication literally named `x.md` is `?format=json`.
    if (format === undefined && name.endsWith('.md')) {
      name = name.slice(0, -3);
      format = 'md';
    }
    if (format === undefined && /text\/markdown/i.test(request.headers.accept ?? '')) format = 'md';
    const held = await scheduler.get(name, { signal: clientSignal(request, reply) });
    if (format === 'md') return reply.type('text/markdown; charset=utf-8').send(held.markdown());
    const residentBytes = scheduler.residency().publications.find((p) => p.name === held.name)?.bytes ?? 0;
    // Sent as text: the description is cached as text with the held publication (see publicationJsonText).
    return reply.type('application/json; charset=utf-8').send(publicationJsonText(held, residentBytes));
  });

  app.get<{ Params: { name: string; index: number }; Querystring: { format?: 'json' | 'text' } }>('/publications/:name/cubes/:index', {
    schema: {
      summary: 'One cube: its Iris-style summary and JSON description (?format=text for the summary alone)',
      params: S.cubeParams,
      querystring: { type: 'object', properties: { format: { type: 'string', enum: ['json', 'text'] } } },
      response: {
        200: {
          description: 'The cube',
          content: {
            'application/json': { schema: S.cubeDescriptionSchema },
            'text/plain': { schema: { type: 'string', description: 'Iris print(cube) text' } },
          },
        },
        ...S.errors(400, 404, 503),
      },
    },
  }, async (request, reply) => {
    const held = await scheduler.get(request.params.name, { signal: clientSignal(request, reply) });
    const cube = held.cube(request.params.index);
    const text = request.query.format === 'text' || (request.query.format === undefined && /^text\/plain/i.test(request.headers.accept ?? ''));
    if (text) return reply.type('text/plain; charset=utf-8').send(cubeJson(cube.meta, cube.index, held.publication.sources).summary + '\n');
    return reply.type('application/json; charset=utf-8').send(cubeJson(cube.meta, cube.index, held.publication.sources));
  });

  /** Sends `result` as JSON or binary, after the size checks `checkSize` did before reading. */
  const sendArray = (reply: FastifyReply, result: ArrayResult, dims: readonly string[], json: boolean) => {
    if (json) return reply.type('application/json; charset=utf-8').send(encodeJson(result, dims));
    const binary = encodeBinary(result, dims);
    if (!binary) throw new HttpError(406, 'NOT_ACCEPTABLE', `the values are text (dtype ${result.dtype}) and have no binary form: ask for JSON (?format=json)`);
    return reply.headers(binary.headers).send(binary.body);
  };

  /** 413 before reading anything when the answer would be too large; 406 for text values in binary. */
  const checkSize = (shape: readonly number[], dtype: string, json: boolean, hint: string) => {
    const count = product(shape);
    if (json) {
      if (count > maxJsonValues) {
        throw new SchedulerError(
          'SLICE_TOO_LARGE',
          `the answer has ${count} values; JSON answers are limited to ${maxJsonValues}: ask for binary (Accept: application/octet-stream) or ${hint}`,
          { details: { values: count, limit: maxJsonValues } },
        );
      }
      return;
    }
    if (dtype === 'string') throw new HttpError(406, 'NOT_ACCEPTABLE', 'the values are text and have no binary form: ask for JSON (?format=json)');
    const bytes = count * (dtypeBytes(dtype) + 1);
    if (bytes > maxSliceBytes) {
      throw new SchedulerError(
        'SLICE_TOO_LARGE',
        `the answer would be up to ${bytes} bytes (values and mask); binary answers are limited to ${maxSliceBytes} bytes: ${hint}`,
        { details: { bytes, limit: maxSliceBytes } },
      );
    }
  };

  /** A cube's (or a unified cube's) selected values, as JSON or binary: the data routes. */
  const sendData = async (
    cube: CubeAccess,
    request: FastifyRequest,
    query: Record<string, string | undefined> & { format?: 'json' | 'binary' },
    reply: FastifyReply,
    signal: AbortSignal,
  ) => {
    const view: SelectedView = await selectView(cube, query, DATA_RESERVED, signal);
    const json = wantsJson(request, query.format);
    checkSize(view.array.shape, view.array.dtype, json, 'select a smaller slice with sel or coordinate values');
    return sendArray(reply, await view.array.read({ signal }), view.dims, json);
  };

  /** A PNG map of a cube's (or a unified cube's) 2-D selection: the plot routes. */
  const sendPlot = async (cube: CubeAccess, coordSystems: Record<string, CoordSystem>, query: PlotQuery, reply: FastifyReply, signal: AbortSignal) => {
    const view = await selectView(cube, query, PLOT_RESERVED, signal);
    checkSize(view.array.shape, view.array.dtype, false, 'select a smaller region with sel');
    const png = await plotPng(cube, view, query, coordSystems, signal);
    return reply.type('image/png').header('cache-control', 'no-cache').send(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
  };

  const dataResponses = (what: string) => ({
    200: {
      description: what,
      content: {
        'application/octet-stream': { schema: { type: 'string', format: 'binary', description: S.binaryDescription } },
        'application/json': { schema: S.arrayJsonSchema },
      },
    },
    ...S.errors(400, 404, 406, 413, 502, 503),
  });

  app.get<{ Params: { name: string; index: number }; Querystring: Record<string, string | undefined> & { format?: 'json' | 'binary' } }>(
    '/publications/:name/cubes/:index/data',
    {
      schema: {
        summary: 'Values of a cube, selected by index (?sel=0,:,10:20) or coordinate value (?time=2017-05-15T03:00)',
        params: S.cubeParams,
        querystring: S.dataQuerySchema,
        response: dataResponses('The selected values'),
      },
    },
    async (request, reply) => {
      const signal = clientSignal(request, reply);
      const held = await scheduler.get(request.params.name, { signal });
      return sendData(held.cube(request.params.index), request, request.query, reply, signal);
    },
  );

  app.get<{
    Params: { name: string; index: number };
    Querystring: Record<string, string | undefined> & { format?: 'json' | 'binary'; coords: string; op: Reduction };
  }>(
    '/publications/:name/cubes/:index/collapsed',
    {
      schema: {
        summary: 'A cube collapsed over coordinates (?coords=time&op=mean), streamed chunk by chunk; optional sel / coordinate values first',
        params: S.cubeParams,
        querystring: S.collapsedQuerySchema,
        response: dataResponses('The reduced values (masked where no value was valid)'),
      },
    },
    async (request, reply) => {
      const signal = clientSignal(request, reply);
      const held = await scheduler.get(request.params.name, { signal });
      const cube = held.cube(request.params.index);
      const view = await selectView(cube, request.query, COLLAPSED_RESERVED, signal);
      const axes = collapseAxes(cube, view, request.query.coords);
      const op = request.query.op ?? 'mean';
      const json = wantsJson(request, request.query.format);
      const outShape = view.array.shape.filter((_, i) => !axes.includes(i));
      const outDtype = op === 'count' ? 'int32' : op === 'min' || op === 'max' ? view.array.dtype : 'float64';
      checkSize(outShape, outDtype, json, 'collapse more dimensions or select a smaller region first');
      const result = await reduce(view.array, op, axes, { signal });
      return sendArray(reply, result, view.dims.filter((_, i) => !axes.includes(i)), json);
    },
  );

  app.get<{ Params: { name: string; index: number }; Querystring: PlotQuery }>('/publications/:name/cubes/:index/plot.png', {
    schema: {
      summary: 'A PNG map of a 2-D selection (?sel=0,0,:,: or coordinate values), as the explorer draws it: axes, colour bar, units',
      params: S.cubeParams,
      querystring: S.plotQuerySchema,
      response: {
        200: { description: 'The map', content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } },
        ...S.errors(400, 404, 413, 502, 503),
      },
    },
  }, async (request, reply) => {
    const signal = clientSignal(request, reply);
    const held = await scheduler.get(request.params.name, { signal });
    return sendPlot(held.cube(request.params.index), held.publication.coord_systems, request.query, reply, signal);
  });

  /** The unified cube of a parameter, as a CubeAccess and its publication (for coordinate systems and sources). */
  const unifiedAccess = async (name: string, parameter: string, signal: AbortSignal) => {
    const held = await scheduler.get(name, { signal });
    const unified = await held.unified(parameter);
    return { unified, cube: unified.held.cube(0) };
  };

  app.get<{ Params: { name: string; parameter: string } }>('/publications/:name/unified/:parameter', {
    schema: {
      summary: "One parameter's cubes concatenated or merged into one (409 MERGE_FAILED with the reasons when they do not join)",
      params: S.unifiedParams,
      response: {
        200: {
          type: 'object',
          required: ['parameter', 'parts', 'how', 'cube'],
          properties: {
            parameter: { type: 'string' },
            parts: { type: 'array', items: { type: 'integer' }, description: 'Indices of the cubes joined' },
            how: { type: 'string', enum: ['concatenate', 'merge', 'single'] },
            coord_systems: { type: 'object', additionalProperties: true },
            cube: S.cubeDescriptionSchema,
          },
        },
        ...S.errors(400, 404, 409, 502, 503),
      },
    },
  }, async (request, reply) => {
    const { unified, cube } = await unifiedAccess(request.params.name, request.params.parameter, clientSignal(request, reply));
    const pub = unified.held.publication;
    return reply.type('application/json; charset=utf-8').send({
      parameter: unified.parameter,
      parts: unified.parts,
      how: unified.how,
      coord_systems: JSON.parse(JSON.stringify(pub.coord_systems)) as Record<string, unknown>,
      cube: cubeJson(cube.meta, 0, pub.sources),
    });
  });

  app.get<{ Params: { name: string; parameter: string }; Querystring: Record<string, string | undefined> & { format?: 'json' | 'binary' } }>(
    '/publications/:name/unified/:parameter/data',
    {
      schema: {
        summary: 'Values of the unified cube of a parameter, selected as for a cube (?sel=..., coordinate values)',
        params: S.unifiedParams,
        querystring: S.dataQuerySchema,
        response: dataResponses('The selected values'),
      },
    },
    async (request, reply) => {
      const signal = clientSignal(request, reply);
      const { cube } = await unifiedAccess(request.params.name, request.params.parameter, signal);
      return sendData(cube, request, request.query, reply, signal);
    },
  );

  app.get<{ Params: { name: string; parameter: string }; Querystring: PlotQuery }>('/publications/:name/unified/:parameter/plot.png', {
    schema: {
      summary: 'A PNG map of a 2-D selection of the unified cube of a parameter',
      params: S.unifiedParams,
      querystring: S.plotQuerySchema,
      response: { 200: { description: 'The map', content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } }, ...S.errors(400, 404, 409, 413, 502, 503) },
    },
  }, async (request, reply) => {
    const signal = clientSignal(request, reply);
    const { unified, cube } = await unifiedAccess(request.params.name, request.params.parameter, signal);
    return sendPlot(cube, unified.held.publication.coord_systems, request.query, reply, signal);
  });

  app.get('/resident', {
    schema: { summary: 'What persist holds in memory: bytes per publication (most recently used first), total, budget', response: { 200: S.residencySchema } },
  }, async () => scheduler.residency());

  app.post<{ Querystring: { replace?: boolean; name?: string }; Body: string | { name: string; sources: string[]; title?: string } }>('/publications', {
    preHandler: requireWrite,
    schema: {
      summary: 'Publish a .cube.md document (text/markdown) or data sources (JSON {name, sources}); ?replace=true to replace',
      security,
      querystring: {
        type: 'object',
        properties: {
          replace: { type: 'boolean', default: false },
          name: { type: 'string', maxLength: S.MAX_NAME_PARAM, description: "For a document: the name it must have (checked against its 'name:')" },
        },
      },
      body: {
        content: {
          'text/markdown': { schema: { type: 'string', description: 'A .cube.md document' } },
          'text/plain': { schema: { type: 'string', description: 'A .cube.md document' } },
          'application/json': { schema: S.publishSourcesSchema },
        },
      },
      response: { 200: S.publishResultSchema, 201: S.publishResultSchema, ...S.errors(400, 401, 403, 409, 413, 415, 422, 500, 501, 503) },
    },
  }, async (request, reply) => {
    const replace = request.query.replace === true;
    const body = request.body;
    let result;
    if (typeof body === 'string') {
      if (request.query.name !== undefined) assertValidName(request.query.name);
      const parsed = parse(body, { file: request.query.name ? `${request.query.name}.cube.md` : '<body>' });
      if (!parsed.publication) throw new InvalidPublicationError(parsed.errors);
      const name = request.query.name ?? parsed.publication.name;
      result = await scheduler.publish(name, { publication: parsed.publication, body: parsed.body }, { replace });
    } else if (body && typeof body === 'object') {
      result = await scheduler.publish(body.name, { sources: body.sources, title: body.title }, { replace });
    } else {
      throw new HttpError(400, 'BAD_REQUEST', 'send a .cube.md document (Content-Type: text/markdown) or JSON {"name", "sources": [...]}');
    }
    return reply
      .code(result.replaced ? 200 : 201)
      .header('location', `/publications/${encodeURIComponent(result.name)}`)
      .send(result);
  });

  app.delete<{ Params: { name: string } }>('/publications/:name', {
    preHandler: requireWrite,
    schema: {
      summary: 'Unpublish',
      security,
      params: S.nameParams,
      response: { 200: S.unpublishResultSchema, ...S.errors(400, 401, 403, 404, 503) },
    },
  }, async (request) => scheduler.unpublish(request.params.name));

  app.post<{ Params: { name: string } }>('/publications/:name/persist', {
    preHandler: requireWrite,
    schema: {
      summary: "Read a publication's data into memory (least recently used publications are evicted to stay within the budget)",
      security,
      params: S.nameParams,
      response: { 200: S.persistResultSchema, ...S.errors(400, 401, 403, 404, 409, 502, 503, 507) },
    },
  }, async (request) => scheduler.persist(request.params.name));

  if (options.reload) {
    const reload = options.reload;
    app.post<{ Body: { names?: string[] } | undefined }>('/reload', {
      preHandler: requireWrite,
      schema: {
        summary: 'Re-read the durable store: files edited by hand are validated, then published (invalid ones are quarantined and the running publication kept)',
        security,
        body: {
          type: 'object',
          nullable: true,
          additionalProperties: false,
          properties: { names: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 256 } } },
        },
        response: {
          200: {
            type: 'object',
            required: ['summary', 'details', 'report'],
            properties: { summary: { type: 'string' }, details: { type: 'array', items: { type: 'string' } }, report: {} },
          },
          ...S.errors(400, 401, 403),
        },
      },
    }, async (request) => reload(request.body?.names));
  }

  await app.ready();

  /**
   * Before listening, describe one publication already held (the restore plugin restores the store's first file
   * during start), through the route, as a request would. The description is cached for the first request that
   * asks for it, and the code every answer runs (routing, Iris summaries, JSON) is compiled by then: on a cold
   * process the first description took ~100 ms, the next ones 10–30 ms. A failure here only means no warm-up.
   */
  const warmUp = async () => {
    const first = (await scheduler.list()).find((p) => p.state !== 'restoring');
    if (!first) return;
    await app.inject({ method: 'GET', url: `/publications/${encodeURIComponent(first.name)}` }).catch(() => undefined);
  };

  let closing: Promise<CloseResult> | undefined;
  return {
    app,
    scheduler,
    async listen({ port = 8787, host = '127.0.0.1' } = {}) {
      await scheduler.start();
      await warmUp();
      await app.listen({ port, host });
      const address = app.server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `http://${shownHost}:${address.port}`;
    },
    close() {
      closing ??= (async () => {
        await app.close();
        return scheduler.close();
      })();
      return closing;
    },
  };
}
