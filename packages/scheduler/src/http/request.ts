import type { FastifyReply, FastifyRequest } from 'fastify';
import { errors } from './errors.js';

/**
 * Longest name a request may carry (the router's `maxParamLength` too): a bound on input, not the name rule, and
 * above the rule's limit so that a name a little too long is refused by the rule itself (INVALID_NAME, its message).
 */
export const MAX_NAME_PARAM = 200;

/**
 * A route's path parameters: the publication `name` (with `nameDescription` for the OpenAPI document, if given)
 * and `more`, all required.
 */
export function pathParams<More extends Record<string, object>>(more: More, nameDescription?: string) {
  const name = { type: 'string', ...(nameDescription !== undefined && { description: nameDescription }), maxLength: MAX_NAME_PARAM } as const;
  return { type: 'object', required: ['name', ...Object.keys(more)], properties: { name, ...more } } as const;
}

/** An AbortSignal that fires when the client goes away before the answer is sent, so reads stop early. */
export function clientSignal(request: FastifyRequest, reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error(`the client closed ${request.method} ${request.url}`));
  });
  return controller.signal;
}

/** Which answer format a data request wants: `?format=` wins, then `Accept`; binary by default. */
export function wantsJson(request: FastifyRequest, format: string | undefined): boolean {
  if (format) return format === 'json';
  const accept = request.headers.accept ?? '';
  return /application\/json/i.test(accept) && !/application\/octet-stream/i.test(accept);
}

/**
 * The schema of a route that answers JSON, or text when `?format=<text.format>` (or Accept) asks for it:
 * `/publications/:name` (or its `.cube.md`) and `/cubes/:index` (or its summary).
 */
export function jsonOrTextSchema(route: { summary: string; params: object; description: string; json: object; text: { format: string; type: string; description: string } }) {
  return {
    summary: route.summary,
    params: route.params,
    querystring: { type: 'object', properties: { format: { type: 'string', enum: ['json', route.text.format] } } },
    response: {
      200: {
        description: route.description,
        content: {
          'application/json': { schema: route.json },
          [route.text.type]: { schema: { type: 'string', description: route.text.description } },
        },
      },
      ...errors(400, 404, 503),
    },
  };
}
