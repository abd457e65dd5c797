import fastifySwagger from '@fastify/swagger';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Liveness (`/healthz`) and the OpenAPI 3 document (`/openapi.json`) of every route registered after this plugin:
 * registered at the root (fastify-plugin), so the swagger plugin sees the other plugins' routes.
 */
export const healthRoutes: FastifyPluginAsync = fp(async (app) => {
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

  app.get('/healthz', {
    schema: {
      summary: 'Liveness: 200 once the server listens',
      response: { 200: { type: 'object', required: ['status'], properties: { status: { type: 'string' } } } },
    },
  }, async () => ({ status: 'ok' }));

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
});
