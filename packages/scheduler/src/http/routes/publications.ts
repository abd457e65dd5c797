import type { FastifyPluginAsync } from 'fastify';
import { HELD_STATES, PUBLICATION_STATES, parse } from '@cubemark/format';
import { InvalidPublicationError } from '../../errors.js';
import { assertValidName } from '../../names.js';
import { publicationJsonText } from '../../publication/describe.js';
import type { Scheduler } from '../../api.js';
import { writeRoute, type AccessControl } from '../auth.js';
import { cubeDescriptionSchema, openObject, stringArray } from '../descriptions.js';
import { HttpError, errors } from '../errors.js';
import { MAX_NAME_PARAM, clientSignal, jsonOrTextSchema, pathParams } from '../request.js';

/** The publication routes: list, describe (JSON or `.cube.md`), publish, unpublish, persist, residency, reload. */

/** What a reload did: a one-line summary, detail lines (quarantined, stale), and the full report. */
export interface ReloadOutcome {
  summary: string;
  details: string[];
  report: unknown;
}

export interface PublicationRoutesOptions {
  scheduler: Scheduler;
  access: AccessControl;
  /** Re-reads the durable store (`POST /reload`); without it the route does not exist. */
  reload?: (names?: readonly string[]) => Promise<ReloadOutcome>;
}

const nameParams = pathParams(
  {},
  "Publication name (the format's name rule: letters, digits, `.`, `_`, `-`, no `..`). A trailing `.md` asks for the `.cube.md` text.",
);

const publicationInfoSchema = {
  type: 'object',
  required: ['name', 'cubes', 'lazyBytes', 'residentBytes', 'state', 'warnings'],
  properties: {
    name: { type: 'string' },
    title: { type: 'string' },
    cubes: { type: 'integer', description: 'Number of cubes' },
    lazyBytes: { type: 'integer', description: 'Bytes the data would take in memory' },
    residentBytes: { type: 'integer', description: 'Bytes held in memory by persist' },
    state: { type: 'string', enum: [...PUBLICATION_STATES] },
    warnings: stringArray,
    publishedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const publicationSchema = {
  type: 'object',
  description: 'A publication: metadata, state, and each cube described.',
  additionalProperties: true,
  required: ['name', 'state', 'warnings', 'cubes'],
  properties: {
    name: { type: 'string' },
    title: { type: 'string' },
    state: { type: 'string', enum: [...HELD_STATES] },
    warnings: stringArray,
    publishedAt: { type: 'string' },
    lazyBytes: { type: 'integer' },
    residentBytes: { type: 'integer' },
    sources: { type: 'array', items: openObject },
    cubes: { type: 'array', items: cubeDescriptionSchema },
  },
} as const;

const publishResultSchema = {
  type: 'object',
  required: ['name', 'replaced', 'state', 'cubes', 'warnings', 'publishedAt'],
  properties: {
    name: { type: 'string' },
    replaced: { type: 'boolean' },
    state: { type: 'string' },
    cubes: { type: 'integer' },
    warnings: stringArray,
    publishedAt: { type: 'string' },
  },
} as const;

const publishSourcesSchema = {
  type: 'object',
  required: ['name', 'sources'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: MAX_NAME_PARAM },
    title: { type: 'string', maxLength: 10000 },
    sources: { type: 'array', minItems: 1, maxItems: 10000, items: { type: 'string', minLength: 1, maxLength: 4096 } },
  },
} as const;

const residencySchema = {
  type: 'object',
  required: ['budget', 'total', 'publications'],
  properties: {
    budget: { type: 'integer' },
    total: { type: 'integer' },
    publications: {
      type: 'array',
      description: 'Most recently used first',
      items: { type: 'object', required: ['name', 'bytes'], properties: { name: { type: 'string' }, bytes: { type: 'integer' } } },
    },
  },
} as const;

const persistResultSchema = {
  type: 'object',
  required: ['name', 'bytes', 'evicted', 'residency', 'warnings'],
  properties: { name: { type: 'string' }, bytes: { type: 'integer' }, evicted: stringArray, residency: residencySchema, warnings: stringArray },
} as const;

const unpublishResultSchema = {
  type: 'object',
  required: ['name', 'warnings'],
  properties: { name: { type: 'string' }, warnings: stringArray },
} as const;

export const publicationRoutes: FastifyPluginAsync<PublicationRoutesOptions> = async (app, { scheduler, access, reload }) => {
  const { check, security } = writeRoute(access);

  // `.cube.md` text; text/plain too, as curl --data-binary sends it by default with -H.
  app.addContentTypeParser(['text/markdown', 'text/x-markdown', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.get('/publications', {
    schema: {
      summary: 'Every publication (and every one being restored)',
      response: { 200: { type: 'object', required: ['publications'], properties: { publications: { type: 'array', items: publicationInfoSchema } } } },
    },
  }, async () => ({ publications: await scheduler.list() }));

  app.get<{ Params: { name: string }; Querystring: { format?: 'json' | 'md' } }>('/publications/:name', {
    schema: jsonOrTextSchema({
      summary: 'A publication: JSON metadata and cube summaries, or the .cube.md text (`.md` suffix or ?format=md)',
      params: nameParams,
      description: 'The publication',
      json: publicationSchema,
      text: { format: 'md', type: 'text/markdown', description: 'Canonical .cube.md text, prose kept' },
    }),
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

  app.get('/resident', {
    schema: { summary: 'What persist holds in memory: bytes per publication (most recently used first), total, budget', response: { 200: residencySchema } },
  }, async () => scheduler.residency());

  app.post<{ Querystring: { replace?: boolean; name?: string }; Body: string | { name: string; sources: string[]; title?: string } }>('/publications', {
    onRequest: check,
    schema: {
      summary: 'Publish a .cube.md document (text/markdown) or data sources (JSON {name, sources}); ?replace=true to replace',
      security,
      querystring: {
        type: 'object',
        properties: {
          replace: { type: 'boolean', default: false },
          name: { type: 'string', maxLength: MAX_NAME_PARAM, description: "For a document: the name it must have (checked against its 'name:')" },
        },
      },
      body: {
        content: {
          'text/markdown': { schema: { type: 'string', description: 'A .cube.md document' } },
          'text/plain': { schema: { type: 'string', description: 'A .cube.md document' } },
          'application/json': { schema: publishSourcesSchema },
        },
      },
      response: { 200: publishResultSchema, 201: publishResultSchema, ...errors(400, 401, 403, 409, 413, 415, 422, 500, 501, 503) },
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
    onRequest: check,
    schema: { summary: 'Unpublish', security, params: nameParams, response: { 200: unpublishResultSchema, ...errors(400, 401, 403, 404, 503) } },
  }, async (request) => scheduler.unpublish(request.params.name));

  app.post<{ Params: { name: string } }>('/publications/:name/persist', {
    onRequest: check,
    schema: {
      summary: "Read a publication's data into memory (least recently used publications are evicted to stay within the budget)",
      security,
      params: nameParams,
      response: { 200: persistResultSchema, ...errors(400, 401, 403, 404, 409, 502, 503, 507) },
    },
  }, async (request) => scheduler.persist(request.params.name));

  if (!reload) return;
  app.post<{ Body: { names?: string[] } | undefined }>('/reload', {
    onRequest: check,
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
        ...errors(400, 401, 403),
      },
    },
  }, async (request) => reload(request.body?.names));
};
