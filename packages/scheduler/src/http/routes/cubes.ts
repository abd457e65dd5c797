import type { FastifyPluginAsync } from 'fastify';
import { reduce, type Reduction } from '@cubemark/cube';
import { collapseAxes, selectView } from '../../data/selection.js';
import { cubeJson } from '../../publication/describe.js';
import type { Scheduler } from '../../api.js';
import { cubeDescriptionSchema } from '../descriptions.js';
import { HttpError } from '../errors.js';
import { offloaded, sendComputed, type Offload } from '../compute.js';
import { clientSignal, jsonOrTextSchema, pathParams, wantsJson } from '../request.js';
import { checkRead, checkSize, dataQuerySchema, dataResponses, sendArray, valueRoutes, type DataQuery, type ValueLimits } from '../values.js';

/** The cube routes: a publication's cube described, its values, reductions and maps. */

type CubeParams = { name: string; index: number };

const cubeParams = pathParams({ index: { type: 'integer', minimum: 0, description: 'Cube index (0-based)' } });

const collapsedQuerySchema = {
  type: 'object',
  required: ['coords'],
  additionalProperties: { type: 'string', maxLength: 200 },
  properties: {
    ...dataQuerySchema.properties,
    coords: { type: 'string', maxLength: 1000, description: 'Comma-separated coordinates (or dimensions) to collapse' },
    op: { type: 'string', enum: ['mean', 'sum', 'min', 'max', 'std', 'count'], default: 'mean' },
  },
} as const;

const COLLAPSED_RESERVED = new Set(['sel', 'format', 'coords', 'op']);

export const cubeRoutes: FastifyPluginAsync<{ scheduler: Scheduler; limits: ValueLimits; offload?: Offload }> = async (app, { scheduler, limits, offload }) => {
  // The index as written, before the schema coerces it: decimal digits only (`0x1`, ` `, `1e3` are not indexes).
  app.addHook('preValidation', async (request) => {
    const index = (request.params as { index?: unknown }).index;
    if (typeof index === 'string' && !/^(0|[1-9][0-9]{0,9})$/.test(index)) {
      throw new HttpError(400, 'VALIDATION', `params/index must be a cube index (0, 1, 2, ...), not '${index.slice(0, 20)}'`);
    }
  });
  app.get<{ Params: CubeParams; Querystring: { format?: 'json' | 'text' } }>('/publications/:name/cubes/:index', {
    schema: jsonOrTextSchema({
      summary: 'One cube: its Iris-style summary and JSON description (?format=text for the summary alone)',
      params: cubeParams,
      description: 'The cube',
      json: cubeDescriptionSchema,
      text: { format: 'text', type: 'text/plain', description: 'Iris print(cube) text' },
    }),
  }, async (request, reply) => {
    const held = await scheduler.get(request.params.name, { signal: clientSignal(request, reply) });
    const cube = held.cube(request.params.index);
    const text = request.query.format === 'text' || (request.query.format === undefined && /^text\/plain/i.test(request.headers.accept ?? ''));
    const description = cubeJson(cube.meta, cube.index, held.publication);
    if (text) return reply.type('text/plain; charset=utf-8').send(description.summary + '\n');
    return reply.type('application/json; charset=utf-8').send(description);
  });

  app.get<{ Params: CubeParams; Querystring: DataQuery & { coords: string; op: Reduction } }>('/publications/:name/cubes/:index/collapsed', {
    schema: {
      summary: 'A cube collapsed over coordinates (?coords=time&op=mean), streamed chunk by chunk; optional sel / coordinate values first',
      params: cubeParams,
      querystring: collapsedQuerySchema,
      response: dataResponses('The reduced values (masked where no value was valid)'),
    },
  }, async (request, reply) => {
    const signal = clientSignal(request, reply);
    const held = await scheduler.get(request.params.name, { signal });
    const cube = held.cube(request.params.index);
    const computed = await offloaded(offload, request, { kind: 'collapsed', name: held.name, version: held.id }, signal);
    if (computed) return sendComputed(reply, computed);
    const view = await selectView(cube, request.query, COLLAPSED_RESERVED, signal);
    const axes = collapseAxes(cube, view, request.query.coords);
    const op = request.query.op ?? 'mean';
    const json = wantsJson(request, request.query.format);
    const outShape = view.array.shape.filter((_, i) => !axes.includes(i));
    const outDtype = op === 'count' ? 'int32' : op === 'min' || op === 'max' ? view.array.dtype : 'float64';
    checkRead(limits, view.array.shape, 'select a smaller region (sel or coordinate values) before collapsing');
    checkSize(limits, outShape, outDtype, json, 'collapse more dimensions or select a smaller region first');
    const progress = offload?.seam.progress;
    const result = await reduce(view.array, op, axes, { signal, ...(progress && { onProgress: (done: number, total: number) => progress.call(offload!.seam, request.url, done, total) }) });
    return sendArray(reply, result, view.dims.filter((_, i) => !axes.includes(i)), json);
  });

  valueRoutes<CubeParams>(app, limits, {
    path: '/publications/:name/cubes/:index',
    params: cubeParams,
    summaries: {
      data: 'Values of a cube, selected by index (?sel=0,:,10:20) or coordinate value (?time=2017-05-15T03:00)',
      plot: 'A PNG map of a 2-D selection (?sel=0,0,:,: or coordinate values), as the explorer draws it: axes, colour bar, units',
    },
    plotErrors: [400, 404, 413, 502, 503],
    unified: false,
    publication: ({ name }, signal) => scheduler.get(name, { signal }),
    async target(held, { index }) {
      return { cube: held.cube(index), coordSystems: held.publication.coord_systems, meshes: held.publication.meshes };
    },
  }, offload);
};
