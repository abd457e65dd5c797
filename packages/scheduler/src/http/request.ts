import type { FastifyReply, FastifyRequest } from 'fastify';

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

/** A `?format=` parameter taking `values`. */
export function formatQuery(...values: string[]) {
  return { type: 'object', properties: { format: { type: 'string', enum: values } } } as const;
}

/** A 200 answer that is JSON or text: `/publications/:name` (or Markdown) and `/cubes/:index` (or its summary). */
export function jsonOrText(description: string, json: object, text: { type: string; description: string }) {
  return {
    200: {
      description,
      content: {
        'application/json': { schema: json },
        [text.type]: { schema: { type: 'string', description: text.description } },
      },
    },
  };
}
