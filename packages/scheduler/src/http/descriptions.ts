/**
 * JSON schemas of the descriptions the routes answer with (a cube, its coordinates and arrays): shared by the
 * publication, cube and unified routes. Free-form parts (attributes, coordinate systems) are open objects.
 */

export const stringArray = { type: 'array', items: { type: 'string' } } as const;

export const openObject = { type: 'object', additionalProperties: true } as const;

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
    key: { type: 'string', description: 'The coordinate-values route takes it (`mesh:x`, `mesh:y` for mesh coordinates)' },
    role: { type: 'string', enum: ['dim', 'aux', 'mesh'] },
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
