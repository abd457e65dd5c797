import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { MESH_AXES } from '@cubemark/format';
import type { Coord, LazyArray } from '@cubemark/cube';
import type { Scheduler } from '../../api.js';
import { parseSel } from '../../data/selection.js';
import { SchedulerError } from '../../errors.js';
import type { CubeAccess } from '../../publication/access.js';
import { clientSignal, pathParams, wantsJson } from '../request.js';
import { checkSize, dataQuerySchema, dataResponses, sendArray, type ValueLimits } from '../values.js';

/**
 * The coordinate-values routes: a coordinate's points or bounds, as binary or JSON like a cube's values, selected
 * with `sel` over the coordinate's own dimensions and bounded by the same limits. What the descriptions do not list
 * (arrays over 1000 values, values read from files) a client reads here: a curvilinear grid's 2-D latitude and
 * longitude, a hybrid-height orography, the bounds of a mesh's faces.
 */

type Part = 'points' | 'bounds';

/** Keys of a cube's mesh coordinates (Iris's `MeshCoord`s), as the descriptions list them. */
const meshKey = (axis: string) => `mesh:${axis}`;

/** A cube's coordinates by key: dimension, auxiliary and derived ones, then its mesh coordinates (`mesh:x`, `mesh:y`). */
function coordinates(cube: CubeAccess): { key: string; coord: Coord; dims: readonly string[] }[] {
  const model = cube.cube;
  const entries = model.coordEntries().map(({ key, coord, dims }) => ({ key, coord, dims }));
  const placement = model.mesh;
  if (!placement) return entries;
  // `meshCoords()` gives x then y, for the axes the location has coordinates on.
  const axes = MESH_AXES.filter((axis) => placement.mesh[placement.location]?.coords[axis]);
  const meshCoords = model.meshCoords();
  return [...entries, ...axes.map((axis, k) => ({ key: meshKey(axis), coord: meshCoords[k], dims: [placement.dim] }))];
}

/** The lazy array of `part` of coordinate `key`, and names of its axes (bounds end with `vertex`). */
function coordinateArray(cube: CubeAccess, key: string, part: Part): { array: LazyArray; dims: string[] } {
  const all = coordinates(cube);
  const found = all.find((c) => c.key === key);
  if (!found) {
    throw new SchedulerError('COORD_NOT_FOUND', `cube ${cube.index} has no coordinate with key '${key}'; its keys are ${all.map((c) => c.key).join(', ') || 'none'}`);
  }
  const described = part === 'points' ? found.coord.points : found.coord.bounds;
  if (!described) throw new SchedulerError('COORD_NOT_FOUND', `coordinate '${key}' of cube ${cube.index} has no bounds; ask for its points`);
  const array = described.lazy;
  // A scalar coordinate spans no dimension but holds one point: its axis is named after it.
  const own = found.dims.length > 0 ? [...found.dims] : [key];
  const dims = array.shape.map((_, i) => own[i] ?? (i === own.length && part === 'bounds' ? 'vertex' : `axis${i}`));
  return { array, dims };
}

const coordQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    sel: { ...dataQuerySchema.properties.sel, description: "NumPy-style selection over the coordinate's own dimensions (bounds have one more, the vertices): `0:10,:`" },
    format: dataQuerySchema.properties.format,
  },
} as const;

/** How `coordRoutes` registers `<path>/coords/:key/:part` for one kind of cube. */
interface CoordRoutes<Params> {
  path: string;
  params: { type: 'object'; required: readonly string[]; properties: Record<string, object> };
  summary: string;
  target(params: Params, signal: AbortSignal): Promise<CubeAccess>;
}

function coordRoute<Params extends Record<string, string | number>>(app: FastifyInstance, limits: ValueLimits, routes: CoordRoutes<Params>): void {
  const params = {
    type: 'object',
    required: [...routes.params.required, 'key', 'part'],
    properties: {
      ...routes.params.properties,
      key: { type: 'string', maxLength: 256, description: "The coordinate's key, as the cube's description lists it (`coords[].key`)" },
      part: { type: 'string', enum: ['points', 'bounds'] },
    },
  } as const;
  app.get<{ Params: Params & { key: string; part: Part }; Querystring: { sel?: string; format?: 'json' | 'binary' } }>(
    `${routes.path}/coords/:key/:part`,
    { schema: { summary: routes.summary, params, querystring: coordQuerySchema, response: dataResponses("The coordinate's selected points or bounds") } },
    async (request, reply) => {
      const signal = clientSignal(request, reply);
      const { key, part, ...target } = request.params as Params & { key: string; part: Part };
      const cube = await routes.target(target as unknown as Params, signal);
      const { array, dims } = coordinateArray(cube, key, part);
      const selection = parseSel(request.query.sel ?? '', dims);
      let view: LazyArray;
      try {
        view = array.slice(selection);
      } catch (error) {
        throw new SchedulerError('BAD_SELECTION', (error as Error).message);
      }
      const kept = dims.filter((_, i) => typeof selection[i] !== 'number');
      const json = wantsJson(request, request.query.format);
      checkSize(limits, view.shape, view.dtype, json, 'select a smaller part with sel');
      return sendArray(reply, await view.read({ signal }), kept, json);
    },
  );
}

const cubeParams = pathParams({ index: { type: 'integer', minimum: 0, description: 'Cube index (0-based)' } });
const unifiedParams = pathParams({ parameter: { type: 'string', maxLength: 256, description: "A cube name (Iris's name())" } });

export const coordRoutes: FastifyPluginAsync<{ scheduler: Scheduler; limits: ValueLimits }> = async (app, { scheduler, limits }) => {
  coordRoute<{ name: string; index: number }>(app, limits, {
    path: '/publications/:name/cubes/:index',
    params: cubeParams,
    summary: "A coordinate's points or bounds (?sel= over its own dimensions), as binary or JSON like the data route",
    async target({ name, index }, signal) {
      return (await scheduler.get(name, { signal })).cube(index);
    },
  });
  coordRoute<{ name: string; parameter: string }>(app, limits, {
    path: '/publications/:name/unified/:parameter',
    params: unifiedParams,
    summary: "A coordinate's points or bounds of the unified cube of a parameter",
    async target({ name, parameter }, signal) {
      return (await (await scheduler.get(name, { signal })).unified(parameter)).cube;
    },
  });
};
