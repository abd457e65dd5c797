import type { FastifyInstance, FastifyReply } from 'fastify';
import { bytesPerElement, product } from '@cubemark/format';
import type { ArrayResult } from '@cubemark/cube';
import { encodeBinary, encodeJson } from '../data/encode.js';
import { selectView } from '../data/selection.js';
import { SchedulerError } from '../errors.js';
import type { CubeAccess } from '../publication/access.js';
import type { HeldPublication } from '../publication/held.js';
import { offloaded, sendComputed, type Offload } from './compute.js';
import { stringArray } from './descriptions.js';
import { HttpError, errors } from './errors.js';
import { PLOT_RESERVED, plotPng, type PlotContext, type PlotQuery } from './plot.js';
import { clientSignal, wantsJson } from './request.js';

/**
 * Answers with a cube's values: selected values as binary or JSON, PNG maps, and the size limits checked before
 * anything is read. The cube routes and the unified routes both answer through these.
 */

/** Most a data answer may hold: values in JSON, bytes in binary. */
export interface ValueLimits {
  maxJsonValues: number;
  maxSliceBytes: number;
  /** Values one request may read (a reduction's input, a slice, a map). */
  maxReadValues: number;
}

/** 413 before reading anything when a request would read more values than the limit. */
export function checkRead(limits: ValueLimits, shape: readonly number[], hint: string): void {
  const count = product(shape);
  if (count > limits.maxReadValues) {
    throw new SchedulerError('SLICE_TOO_LARGE', `the request would read ${count} values; requests are limited to ${limits.maxReadValues}: ${hint}`, {
      details: { values: count, limit: limits.maxReadValues },
    });
  }
}

/** A data route's query: `sel`, `format` and coordinate values. */
export type DataQuery = Record<string, string | undefined> & { format?: 'json' | 'binary' };

const DATA_RESERVED = new Set(['sel', 'format']);

export const arrayJsonSchema = {
  type: 'object',
  description:
    'Values flat in row-major order; null where masked; "NaN", "Infinity", "-Infinity" for non-finite floats; 64-bit integers beyond 2^53 as strings.',
  required: ['dims', 'shape', 'dtype', 'masked', 'values'],
  properties: {
    dims: stringArray,
    shape: { type: 'array', items: { type: 'integer' } },
    dtype: { type: 'string' },
    masked: { type: 'boolean' },
    values: { type: 'array', items: { anyOf: [{ type: 'number' }, { type: 'string' }, { type: 'null' }] } },
  },
} as const;

const binaryDescription =
  'Little-endian values of X-Dtype, row-major, shape X-Shape (comma-separated), dims X-Dims; if X-Masked is true a mask ' +
  'of one byte per value (1 = missing) follows at byte X-Mask-Offset.';

export const dataQuerySchema = {
  type: 'object',
  description: 'Other parameters select by coordinate value: `time=2017-05-15T03:00`, `model_level_number=1`.',
  additionalProperties: { type: 'string', maxLength: 200 },
  properties: {
    sel: { type: 'string', maxLength: 1000, description: 'NumPy-style selection, one entry per axis: `0,:,10:20,::2`' },
    format: { type: 'string', enum: ['json', 'binary'], description: 'Answer format (default: from Accept; binary otherwise)' },
  },
} as const;

const plotQuerySchema = {
  type: 'object',
  description: 'Other parameters select by coordinate value, as for data: `time=2017-05-15T03:00`.',
  additionalProperties: { type: 'string', maxLength: 200 },
  properties: {
    sel: dataQuerySchema.properties.sel,
    colormap: { type: 'string', maxLength: 40, description: 'viridis, cividis, magma, inferno, plasma, RdBu_r, PuOr_r, BrBG (default: viridis; RdBu_r when the data span 0)' },
    range: { type: 'string', maxLength: 100, description: 'Fixed colour range `min,max` (default: 2nd to 98th percentile)' },
    kind: { type: 'string', enum: ['auto', 'sequential', 'diverging'], default: 'auto' },
    width: { type: 'integer', minimum: 100, maximum: 8192, default: 800 },
    height: { type: 'integer', minimum: 100, maximum: 8192, description: 'Default: what makes cells square' },
    title: { type: 'string', maxLength: 300, description: 'Default: the cube name and the selected points' },
    coastlines: { type: 'string', enum: ['1', '0', 'true', 'false'], default: '1', description: "Coastlines (Natural Earth) over the map, in the grid's own coordinate system; on a mesh map when its coordinates are longitude and latitude" },
    graticule: { type: 'string', enum: ['1', '0', 'true', 'false'], default: '1', description: 'Lines of latitude and longitude over the map, labelled at its edges' },
  },
} as const;

/** The answers of a data route: values in binary or JSON, or an error. */
export function dataResponses(what: string) {
  return {
    200: {
      description: what,
      content: {
        'application/octet-stream': { schema: { type: 'string', format: 'binary', description: binaryDescription } },
        'application/json': { schema: arrayJsonSchema },
      },
    },
    ...errors(400, 404, 406, 413, 502, 503),
  };
}

function dtypeBytes(dtype: string): number {
  return dtype === 'string' ? 0 : bytesPerElement(dtype as Parameters<typeof bytesPerElement>[0]);
}

/** 413 before reading anything when the answer would be too large; 406 for text values in binary. */
export function checkSize(limits: ValueLimits, shape: readonly number[], dtype: string, json: boolean, hint: string): void {
  const count = product(shape);
  if (json) {
    if (count > limits.maxJsonValues) {
      throw new SchedulerError(
        'SLICE_TOO_LARGE',
        `the answer has ${count} values; JSON answers are limited to ${limits.maxJsonValues}: ask for binary (Accept: application/octet-stream) or ${hint}`,
        { details: { values: count, limit: limits.maxJsonValues } },
      );
    }
    return;
  }
  if (dtype === 'string') throw new HttpError(406, 'NOT_ACCEPTABLE', 'the values are text and have no binary form: ask for JSON (?format=json)');
  const bytes = count * (dtypeBytes(dtype) + 1);
  if (bytes > limits.maxSliceBytes) {
    throw new SchedulerError(
      'SLICE_TOO_LARGE',
      `the answer would be up to ${bytes} bytes (values and mask); binary answers are limited to ${limits.maxSliceBytes} bytes: ${hint}`,
      { details: { bytes, limit: limits.maxSliceBytes } },
    );
  }
}

/** Sends `result` as JSON or binary, after the size checks `checkSize` did before reading. */
export function sendArray(reply: FastifyReply, result: ArrayResult, dims: readonly string[], json: boolean): FastifyReply {
  if (json) return reply.type('application/json; charset=utf-8').send(encodeJson(result, dims));
  const binary = encodeBinary(result, dims);
  if (!binary) throw new HttpError(406, 'NOT_ACCEPTABLE', `the values are text (dtype ${result.dtype}) and have no binary form: ask for JSON (?format=json)`);
  return reply.headers(binary.headers).send(binary.body);
}

/** The cube a value route answers for, the coordinate systems its map's axes are labelled in, and its meshes. */
export interface ValueTarget extends PlotContext {
  cube: CubeAccess;
}

/** How `valueRoutes` registers `<path>/data` and `<path>/plot.png` for one kind of cube. */
export interface ValueRoutes<Params> {
  /** The cube's route (`/publications/:name/cubes/:index`). */
  path: string;
  params: object;
  summaries: { data: string; plot: string };
  /** Error statuses of the plot route, for the OpenAPI document. */
  plotErrors: number[];
  /** A unified view: its answers go to the compute seam before the view is joined (see `ComputeRequest`). */
  unified: boolean;
  /** The publication a request reads. */
  publication(params: Params, signal: AbortSignal): Promise<HeldPublication>;
  /** The cube it reads, in that publication. */
  target(held: HeldPublication, params: Params, signal: AbortSignal): Promise<ValueTarget>;
}

/**
 * The data and plot routes of a cube found by `target`: selected values, and a PNG map of a 2-D selection. Maps,
 * unified views and (by their size) slices are offered to the compute seam first, when there is one.
 */
export function valueRoutes<Params extends Record<string, string | number>>(
  app: FastifyInstance,
  limits: ValueLimits,
  routes: ValueRoutes<Params>,
  offload?: Offload,
): void {
  app.get<{ Params: Params; Querystring: DataQuery }>(
    `${routes.path}/data`,
    { schema: { summary: routes.summaries.data, params: routes.params, querystring: dataQuerySchema, response: dataResponses('The selected values') } },
    async (request, reply) => {
      const signal = clientSignal(request, reply);
      const params = request.params as Params;
      const held = await routes.publication(params, signal);
      const { name, id: version } = held;
      if (routes.unified) {
        const computed = await offloaded(offload, request, { kind: 'unified', name, version }, signal);
        if (computed) return sendComputed(reply, computed);
      }
      const { cube } = await routes.target(held, params, signal);
      const view = await selectView(cube, request.query, DATA_RESERVED, signal);
      const json = wantsJson(request, request.query.format);
      checkRead(limits, view.array.shape, 'select a smaller slice with sel or coordinate values');
      checkSize(limits, view.array.shape, view.array.dtype, json, 'select a smaller slice with sel or coordinate values');
      if (!routes.unified) {
        const bytes = product(view.array.shape) * (dtypeBytes(view.array.dtype) + 1);
        const computed = await offloaded(offload, request, { kind: 'data', name, version, bytes }, signal);
        if (computed) return sendComputed(reply, computed);
      }
      return sendArray(reply, await view.array.read({ signal }), view.dims, json);
    },
  );
  app.get<{ Params: Params; Querystring: PlotQuery }>(
    `${routes.path}/plot.png`,
    {
      schema: {
        summary: routes.summaries.plot,
        params: routes.params,
        querystring: plotQuerySchema,
        response: { 200: { description: 'The map', content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } }, ...errors(...routes.plotErrors) },
      },
    },
    async (request, reply) => {
      const signal = clientSignal(request, reply);
      const params = request.params as Params;
      const held = await routes.publication(params, signal);
      const computed = await offloaded(offload, request, { kind: routes.unified ? 'unified' : 'plot', name: held.name, version: held.id }, signal);
      if (computed) return sendComputed(reply, computed);
      const { cube, ...context } = await routes.target(held, params, signal);
      const view = await selectView(cube, request.query, PLOT_RESERVED, signal);
      checkRead(limits, view.array.shape, 'select a smaller region with sel');
      checkSize(limits, view.array.shape, view.array.dtype, false, 'select a smaller region with sel');
      const png = await plotPng(cube, view, request.query, { ...context, maxSliceBytes: limits.maxSliceBytes }, signal);
      return reply.type('image/png').header('cache-control', 'no-cache').send(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
    },
  );
}
