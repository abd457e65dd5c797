import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';

/**
 * Who may write (publish, unpublish, persist). Reads are open. Writes need `Authorization: Bearer <token>` when a
 * token is configured. Without one, writes are refused (WRITES_DISABLED), unless `allowUnauthenticatedWrites` is
 * set: a server that forgot its token must not quietly accept anyone's writes; opening it is an explicit choice
 * (`--insecure-writes`) for trusted networks and tests.
 */
export interface WriteAccess {
  token?: string;
  allowUnauthenticatedWrites?: boolean;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** A check that throws UNAUTHORIZED (401), FORBIDDEN (403) or WRITES_DISABLED (403), or returns. */
export function writeGuard(access: WriteAccess): (authorization: string | undefined) => void {
  const expected = access.token ? digest(access.token) : undefined;
  return (authorization) => {
    if (!expected) {
      if (access.allowUnauthenticatedWrites) return;
      throw new HttpError(
        403,
        'WRITES_DISABLED',
        'this server has no write token, so it refuses writes: start it with --token T (or CUBEMARK_TOKEN), or with --insecure-writes on a trusted network',
      );
    }
    const match = authorization === undefined ? null : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (!match) {
      throw new HttpError(401, 'UNAUTHORIZED', 'writes need an `Authorization: Bearer <token>` header (cubemark --token T, or CUBEMARK_TOKEN)', {
        'www-authenticate': 'Bearer realm="cubemark"',
      });
    }
    // Compare digests: equal length, constant time, so the token cannot be guessed byte by byte from timings.
    if (!timingSafeEqual(digest(match[1]), expected)) {
      throw new HttpError(403, 'FORBIDDEN', 'the bearer token is not the one this server was started with');
    }
  };
}

/** What a write route declares: the check run before its handler, and the OpenAPI security it needs. */
export function writeRoute(access: WriteAccess): { preHandler: (request: FastifyRequest) => Promise<void>; security: { bearer: never[] }[] } {
  const guard = writeGuard(access);
  return {
    preHandler: async (request) => guard(request.headers.authorization),
    security: access.token ? [{ bearer: [] }] : [],
  };
}
