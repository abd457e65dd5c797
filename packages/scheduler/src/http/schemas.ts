import { HELD_STATES, PUBLICATION_STATES } from '@cubemark/format';

/**
 * JSON schemas of the HTTP API: they validate requests (fastify + ajv), serialise responses, and make the
 * OpenAPI document (@fastify/swagger). Free-form parts (attributes, coordinate systems) are open objects.
 */

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
 * Longest name a request may carry (the router's `maxParamLength` too): a bound on input, not the name rule, and
 * above the rule's limit so that a name a little too long is refused by the rule itself (INVALID_NAME, its message).
 */
export const MAX_NAME_PARAM = 200;

const nameParam = {
  type: 'string',
  description: "Publication name (the format's name rule: letters, digits, `.`, `_`, `-`, no `..`). A trailing `.md` asks for the `.cube.md` text.",
  maxLength: MAX_NAME_PARAM,
} as const;

export const nameParams = {
  type: 'object',
  required: ['name'],
  properties: { name: nameParam },
} as const;

export const cubeParams = {
  type: 'object',
  required: ['name', 'index'],
  properties: { name: { type: 'string', maxLength: MAX_NAME_PARAM }, index: { type: 'integer', minimum: 0, description: 'Cube index (0-based)' } },
} as const;

const stringArray = { type: 'array', items: { type: 'string' } } as const;

export const publicationInfoSchema = {
  type: 'object',
  required: ['name', 'cubes', 'lazyBytes', 'residentBytes', 'state', 'warnings'],
  properties: {
    name: { type: 'string' },
    title: { type: 'string' },
    cubes: { type: 'integer', description: 'Number of cubes' },
    lazyBytes: { type: 'integer', description: 'Bytes the data would take in memory' },
    residentBytes: { type: 'integer', description: 'Bytes held in memory by persist' },
    state: { type: 'string', enum: [...PUBLICATION_STATES] },
    warnings: stringArray,
    publishedAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const listSchema = {
  type: 'object',
  required: ['publications'],
  properties: { publications: { type: 'array', items: publicationInfoSchema } },
} as const;

const openObject = { type: 'object', additionalProperties: true } as const;

const jsonNumber = { anyOf: [{ type: 'number' }, { type: 'string' }] } as const;

/** An array's description (coordinate points, a cube's data): what it is, and its values when they are cheap to list. */
export const arrayDescriptionSchema = {
  type: 'object',
  description:
    'kind `inline` (values in the file), `regular` (start + i × step), `source` (in a data file) or `combined` (parts joined). ' +
    'Values are listed for up to 1000 elements: inline always; regular on the cube routes, while a publication gives only ' +
    'the rule (`start`, `step`: element i of column j is start[j] + i × step, in float64, then rounded to the dtype).',
  additionalProperties: true,
  required: ['kind', 'dtype', 'shape'],
  properties: {
    kind: { type: 'string', enum: ['inline', 'regular', 'source', 'combined'] },
    dtype: { type: 'string' },
    shape: { type: 'array', items: { type: 'integer' } },
    start: { type: 'array', items: jsonNumber, description: 'Regular arrays: the first value of each column' },
    step: { ...jsonNumber, description: 'Regular arrays: the difference between consecutive rows' },
    values: { type: 'array', items: { anyOf: [{ type: 'number' }, { type: 'string' }, { type: 'null' }] }, description: 'Flat, row-major' },
    source: openObject,
    chunks: { type: 'array', items: { type: 'integer' } },
    mode: { type: 'string' },
    axis: { type: 'integer' },
    parts: { type: 'integer', description: 'Combined arrays: how many parts' },
  },
} as const;

/** A coordinate's description. */
export const coordDescriptionSchema = {
  type: 'object',
  additionalProperties: true,
  required: ['key', 'role', 'name', 'units', 'dims', 'points'],
  properties: {
    key: { type: 'string' },
    role: { type: 'string', enum: ['dim', 'aux'] },
    name: { type: 'string' },
    units: { type: 'string' },
    dims: { type: 'array', items: { type: 'string' } },
    points: arrayDescriptionSchema,
  },
} as const;

export const cubeDescriptionSchema = {
  type: 'object',
  description: 'A cube: names, units, dims, shape, dtype, coordinates (points listed when small), Iris-style summary, where its data lives.',
  additionalProperties: true,
  required: ['index', 'name', 'units', 'dims', 'shape', 'dtype', 'summary'],
  properties: {
    index: { type: 'integer' },
    name: { type: 'string' },
    units: { type: 'string' },
    dims: stringArray,
    shape: { type: 'array', items: { type: 'integer' } },
    dtype: { type: 'string' },
    lazyBytes: { type: 'integer' },
    summary: { type: 'string', description: 'Iris `print(cube)` text' },
    shortSummary: { type: 'string' },
    coords: { type: 'array', items: coordDescriptionSchema },
    data: arrayDescriptionSchema,
  },
} as const;

export const publicationSchema = {
  type: 'object',
  description: 'A publication: metadata, state, and each cube described.',
  additionalProperties: true,
  required: ['name', 'state', 'warnings', 'cubes'],
  properties: {
    name: { type: 'string' },
    title: { type: 'string' },
    state: { type: 'string', enum: [...HELD_STATES] },
    warnings: stringArray,
    publishedAt: { type: 'string' },
    lazyBytes: { type: 'integer' },
    residentBytes: { type: 'integer' },
    sources: { type: 'array', items: openObject },
    cubes: { type: 'array', items: cubeDescriptionSchema },
  },
} as const;

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

export const binaryDescription =
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

export const collapsedQuerySchema = {
  type: 'object',
  required: ['coords'],
  additionalProperties: { type: 'string', maxLength: 200 },
  properties: {
    ...dataQuerySchema.properties,
    coords: { type: 'string', maxLength: 1000, description: 'Comma-separated coordinates (or dimensions) to collapse' },
    op: { type: 'string', enum: ['mean', 'sum', 'min', 'max', 'std', 'count'], default: 'mean' },
  },
} as const;

export const plotQuerySchema = {
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
  },
} as const;

export const unifiedParams = {
  type: 'object',
  required: ['name', 'parameter'],
  properties: { name: { type: 'string', maxLength: MAX_NAME_PARAM }, parameter: { type: 'string', maxLength: 256, description: "A cube name (Iris's name(): standard, long or var name)" } },
} as const;

export const publishResultSchema = {
  type: 'object',
  required: ['name', 'replaced', 'state', 'cubes', 'warnings', 'publishedAt'],
  properties: {
    name: { type: 'string' },
    replaced: { type: 'boolean' },
    state: { type: 'string' },
    cubes: { type: 'integer' },
    warnings: stringArray,
    publishedAt: { type: 'string' },
  },
} as const;

export const publishSourcesSchema = {
  type: 'object',
  required: ['name', 'sources'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: MAX_NAME_PARAM },
    title: { type: 'string', maxLength: 10000 },
    sources: { type: 'array', minItems: 1, maxItems: 10000, items: { type: 'string', minLength: 1, maxLength: 4096 } },
  },
} as const;

export const residencySchema = {
  type: 'object',
  required: ['budget', 'total', 'publications'],
  properties: {
    budget: { type: 'integer' },
    total: { type: 'integer' },
    publications: {
      type: 'array',
      description: 'Most recently used first',
      items: { type: 'object', required: ['name', 'bytes'], properties: { name: { type: 'string' }, bytes: { type: 'integer' } } },
    },
  },
} as const;

export const persistResultSchema = {
  type: 'object',
  required: ['name', 'bytes', 'evicted', 'residency', 'warnings'],
  properties: {
    name: { type: 'string' },
    bytes: { type: 'integer' },
    evicted: stringArray,
    residency: residencySchema,
    warnings: stringArray,
  },
} as const;

export const unpublishResultSchema = {
  type: 'object',
  required: ['name', 'warnings'],
  properties: { name: { type: 'string' }, warnings: stringArray },
} as const;
