import type { FastifyPluginAsync } from 'fastify';
import type { Scheduler } from '../../api.js';
import { HttpError, errors } from '../errors.js';
import { pathParams } from '../request.js';

/** What a publication can be exported as (`@cubemark/interop`'s targets). */
const TARGETS = ['kerchunk', 'stac', 'cdl', 'ncml'] as const;

export interface ExportRoutesOptions {
  scheduler: Scheduler;
}

/**
 * `GET /publications/:name/export/:kind`: the publication as a kerchunk reference file, a STAC Item, CDL or NcML.
 * `@cubemark/interop` is imported on the first export, so a server that never exports never loads it. A
 * publication the target cannot express is 422 `EXPORT_CANNOT_EXPRESS`, naming what.
 */
export const exportRoutes: FastifyPluginAsync<ExportRoutesOptions> = async (app, { scheduler }) => {
  app.get<{ Params: { name: string; kind: (typeof TARGETS)[number] } }>('/publications/:name/export/:kind', {
    schema: {
      summary: 'The publication as a kerchunk reference file (kerchunk), a STAC Item with the datacube extension (stac), CDL (cdl) or NcML (ncml)',
      params: pathParams({ kind: { type: 'string', enum: [...TARGETS] } }),
      response: {
        200: {
          description: 'The exported document',
          content: {
            'application/json': { schema: { type: 'object', description: 'kerchunk references (version 1)' } },
            'application/geo+json': { schema: { type: 'object', description: 'a STAC Item' } },
            'text/plain': { schema: { type: 'string', description: 'CDL' } },
            'application/xml': { schema: { type: 'string', description: 'NcML 2.2' } },
          },
        },
        ...errors(400, 404, 422, 502, 503),
      },
    },
  }, async (request, reply) => {
    const held = await scheduler.get(request.params.name);
    const { exportPublication, InteropError } = await import('@cubemark/interop');
    const { pool, base } = held.sourceContext;
    try {
      const result = await exportPublication(held.publication, request.params.kind, { pool, base });
      return reply.type(result.mediaType).header('content-disposition', `inline; filename="${held.name}${result.extension}"`).send(result.text);
    } catch (error) {
      if (error instanceof InteropError && error.code === 'EXPORT_CANNOT_EXPRESS') throw new HttpError(422, 'EXPORT_CANNOT_EXPRESS', error.message);
      throw error;
    }
  });
};
