import type { FastifyPluginAsync } from 'fastify';
import { cubeJson } from '../../publication/describe.js';
import type { Scheduler } from '../../api.js';
import { cubeDescriptionSchema } from '../descriptions.js';
import { errors } from '../errors.js';
import { offloaded, sendComputed, type Offload } from '../compute.js';
import { clientSignal, pathParams } from '../request.js';
import { valueRoutes, type ValueLimits } from '../values.js';

/** The unified routes: one parameter's cubes joined into one, described, and read as a cube is. */

type UnifiedParams = { name: string; parameter: string };

const unifiedParams = pathParams({ parameter: { type: 'string', maxLength: 256, description: "A cube name (Iris's name(): standard, long or var name)" } });

export const unifiedRoutes: FastifyPluginAsync<{ scheduler: Scheduler; limits: ValueLimits; offload?: Offload }> = async (app, { scheduler, limits, offload }) => {
  app.get<{ Params: UnifiedParams }>('/publications/:name/unified/:parameter', {
    schema: {
      summary: "One parameter's cubes concatenated or merged into one (409 MERGE_FAILED with the reasons when they do not join)",
      params: unifiedParams,
      response: {
        200: {
          type: 'object',
          required: ['parameter', 'parts', 'how', 'cube'],
          properties: {
            parameter: { type: 'string' },
            parts: { type: 'array', items: { type: 'integer' }, description: 'Indices of the cubes joined' },
            how: { type: 'string', enum: ['concatenate', 'merge', 'single'] },
            coord_systems: { type: 'object', additionalProperties: true },
            cube: cubeDescriptionSchema,
          },
        },
        ...errors(400, 404, 409, 502, 503),
      },
    },
  }, async (request, reply) => {
    const signal = clientSignal(request, reply);
    const held = await scheduler.get(request.params.name, { signal });
    const computed = await offloaded(offload, request, { kind: 'unified', name: held.name, version: held.id }, signal);
    if (computed) return sendComputed(reply, computed);
    const { parameter, parts, how, publication, cube } = await held.unified(request.params.parameter);
    return reply.type('application/json; charset=utf-8').send({
      parameter,
      parts,
      how,
      coord_systems: JSON.parse(JSON.stringify(publication.coord_systems)) as Record<string, unknown>,
      cube: cubeJson(cube.meta, 0, publication),
    });
  });

  valueRoutes<UnifiedParams>(app, limits, {
    path: '/publications/:name/unified/:parameter',
    params: unifiedParams,
    summaries: {
      data: 'Values of the unified cube of a parameter, selected as for a cube (?sel=..., coordinate values)',
      plot: 'A PNG map of a 2-D selection of the unified cube of a parameter',
    },
    plotErrors: [400, 404, 409, 413, 502, 503],
    unified: true,
    publication: ({ name }, signal) => scheduler.get(name, { signal }),
    async target(held, { parameter }) {
      const { cube, publication } = await held.unified(parameter);
      return { cube, coordSystems: publication.coord_systems, meshes: publication.meshes };
    },
  }, offload);
};
