import fp from 'fastify-plugin';
import { CubemarkError, type ErrorBody } from '@cubemark/format';
import { ByteSourceError, DtypeError, IndexError } from '@cubemark/cube';
import { PluginError, SchedulerError, messageOf, type SchedulerErrorCode } from '../errors.js';
import type { Logger } from '../plugins/types.js';

/**
 * Error codes only the HTTP API produces (request-level problems), with what they mean. Together with
 * `SCHEDULER_ERROR_CODES` these are every `code` an error body can carry (the README lists them; a test checks).
 */
export const HTTP_ERROR_CODES = {
  UNAUTHORIZED: 'a write (or, on a server with a read token, a read) without `Authorization: Bearer <token>`',
  FORBIDDEN: 'a token this server does not accept',
  INSUFFICIENT_SCOPE: 'a write with a token that may only read',
  WRITES_DISABLED: 'a write to a server started without a token (and without --insecure-writes)',
  VALIDATION: 'a parameter, query or body does not match the route’s schema',
  BAD_REQUEST: 'a request the server could not read (malformed JSON, empty body, ...)',
  BODY_TOO_LARGE: 'a request body larger than the limit',
  UNSUPPORTED_MEDIA_TYPE: 'a body in a content type the route does not take',
  NOT_ACCEPTABLE: 'an answer the server cannot give in the format asked for (binary text values)',
  ROUTE_NOT_FOUND: 'no such route',
  RATE_LIMITED: 'more requests from this client than the rate limit allows; `Retry-After` says when to retry',
  TOO_MANY_REQUESTS: 'this client already has as many data requests running as it may',
  SOURCE_READ_FAILED: 'reading data from a publication’s sources failed (file gone, changed, denied, corrupt)',
  EXPORT_CANNOT_EXPRESS: 'an export target cannot express something the publication holds (the message names it)',
  INTERNAL: 'a bug: the server failed in a way it did not expect (the log has the stack)',
} as const;

export type HttpErrorCode = keyof typeof HTTP_ERROR_CODES;

/** An error the HTTP layer raises itself, with its status. */
export class HttpError extends CubemarkError {
  declare readonly code: HttpErrorCode;
  constructor(
    readonly status: number,
    code: HttpErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(code, message);
  }
}

const STATUS: Record<SchedulerErrorCode, number> = {
  INVALID_NAME: 400,
  NAME_MISMATCH: 422,
  PUBLICATION_EXISTS: 409,
  PUBLICATION_NOT_FOUND: 404,
  PUBLICATION_ABANDONED: 404,
  PUBLICATION_RESTORING: 503,
  PUBLICATION_CHANGED: 409,
  CUBE_NOT_FOUND: 404,
  COORD_NOT_FOUND: 404,
  INVALID_DOCUMENT: 422,
  INVALID_INPUT: 400,
  NO_LOADER: 501,
  LOAD_FAILED: 422,
  SOURCE_NOT_ALLOWED: 403,
  PUBLICATION_TOO_LARGE: 413,
  CREDENTIALS_IN_URI: 400,
  BAD_SELECTION: 400,
  PARAMETER_NOT_FOUND: 404,
  MERGE_FAILED: 409,
  BAD_PLOT: 400,
  NOT_PLOTTABLE: 422,
  SLICE_TOO_LARGE: 413,
  BUDGET_EXCEEDED: 507,
  PLUGIN_START_FAILED: 500,
  PLUGIN_REJECTED: 500,
  REGISTRY_FAILED: 503,
  INVALID_CONFIG: 500,
  NOT_RUNNING: 503,
};

/** Fastify's own request errors, by their codes. */
const FASTIFY: Record<string, HttpErrorCode> = {
  FST_ERR_VALIDATION: 'VALIDATION',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
};

export interface MappedError {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** A server-side failure worth logging with its stack (5xx other than expected conditions). */
  unexpected: boolean;
}

/**
 * The answer for anything a route threw: the status, `{code, message, details?}`, extra headers. Bad input is
 * always 4xx; 5xx means the server or a source failed, and only INTERNAL means a bug.
 */
export function mapError(error: unknown): MappedError {
  if (error instanceof HttpError) {
    return { status: error.status, body: { code: error.code, message: error.message }, headers: error.headers, unexpected: false };
  }
  if (error instanceof SchedulerError) {
    let status = STATUS[error.code] ?? 500;
    // A plugin may reject a publish for a reason that is the client's (e.g. a source it cannot stat): it says so
    // with a 4xx `statusCode` on what it throws, as fastify and http-errors do.
    // Likewise a 503 or 507 for a store that cannot take the write now (unavailable, full): not a bug, and the
    // client may retry later.
    let details = error.details;
    if (error instanceof PluginError) {
      const cause = error.cause as { statusCode?: unknown; code?: unknown } | undefined;
      const pluginStatus = cause?.statusCode;
      if (typeof pluginStatus === 'number' && ((pluginStatus >= 400 && pluginStatus < 500) || pluginStatus === 503 || pluginStatus === 507)) status = pluginStatus;
      if (typeof cause?.code === 'string') details = { ...details, cause: cause.code };
    }
    const headers: Record<string, string> = {};
    const retry = error.details?.retryAfterSeconds;
    if (typeof retry === 'number') headers['retry-after'] = String(retry);
    return {
      status,
      body: { code: error.code, message: error.message, ...(details && { details }) },
      headers,
      unexpected: status === 500,
    };
  }
  if (error instanceof IndexError || error instanceof DtypeError) {
    return { status: 400, body: { code: 'BAD_SELECTION', message: error.message, details: { cause: error.code } }, headers: {}, unexpected: false };
  }
  const fastifyCode = (error as { code?: unknown })?.code;
  const statusCode = (error as { statusCode?: unknown })?.statusCode;
  if (typeof fastifyCode === 'string' && fastifyCode.startsWith('FST_') && typeof statusCode === 'number' && statusCode < 500) {
    const code = FASTIFY[fastifyCode] ?? 'BAD_REQUEST';
    return { status: statusCode, body: { code, message: (error as Error).message }, headers: {}, unexpected: false };
  }
  if (error instanceof SyntaxError && typeof statusCode === 'number' && statusCode === 400) {
    return { status: 400, body: { code: 'BAD_REQUEST', message: `the body is not valid JSON: ${error.message}` }, headers: {}, unexpected: false };
  }
  if (error instanceof ByteSourceError && (error.code === 'SOURCE_NOT_ALLOWED' || error.code === 'CREDENTIALS_IN_URI')) {
    // A read the source policy refused (a publication restored from a file naming a source outside the roots).
    return { status: 403, body: { code: error.code, message: error.message }, headers: {}, unexpected: false };
  }
  if (error instanceof CubemarkError) {
    // Errors of the cube package while reading: the source is gone, changed, denied or corrupt. Not the client's
    // fault, not a bug here either: 502, as a gateway whose upstream failed.
    return {
      status: 502,
      body: { code: 'SOURCE_READ_FAILED', message: error.message, details: { cause: error.code } },
      headers: {},
      unexpected: false,
    };
  }
  return { status: 500, body: { code: 'INTERNAL', message: `internal error: ${messageOf(error)}` }, headers: {}, unexpected: true };
}

/** The JSON schema of every error answer, shared by the routes as `Error#`. */
export const errorSchema = {
  $id: 'Error',
  type: 'object',
  description: 'Every error answer. `code` is stable (see the README); `details` carries context, e.g. format errors as `path:line:col CODE message`.',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string' },
    message: { type: 'string' },
    details: { type: 'object', additionalProperties: true },
  },
} as const;

const errorRef = { $ref: 'Error#' } as const;

/** Error answers by status, for routes' `response`. */
export function errors(...statuses: number[]): Record<number, typeof errorRef> {
  return Object.fromEntries(statuses.map((s) => [s, errorRef]));
}

/**
 * The one error mapping, registered once for the whole server: every throw becomes `mapError`'s answer (bugs
 * logged with their stack), and an unknown route a JSON 404.
 */
export const errorHandling = fp<{ log: Logger }>(async (app, { log }) => {
  app.addSchema(errorSchema);
  app.setErrorHandler((error, request, reply) => {
    const mapped = mapError(error);
    if (mapped.unexpected) log.error(`${request.method} ${request.url}: ${error instanceof Error ? (error.stack ?? error.message) : messageOf(error)}`);
    void reply.code(mapped.status).headers(mapped.headers).type('application/json; charset=utf-8').send(mapped.body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({ code: 'ROUTE_NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}; GET /openapi.json lists them` });
  });
});
