#!/usr/bin/env node
// Writes spec/schema/cubemark-v1.schema.json, and the validator compiled from it into src/schema/. The schema is
// vendored JSON (readers never fetch it); this script is how it is edited, so that repeated shapes (names, arrays,
// coordinate systems) are written once. Run `pnpm --filter @cubemark/format gen:schema` after editing; a test
// fails when the committed files are out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import addFormats from 'ajv-formats';
// The publication-name rule, from the file src/publication/name.ts reads it from (one definition of it).
import NAME_RULE from '../src/publication/name-rule.json' with { type: 'json' };

const str = { type: 'string' };
const num = { type: 'number' };
const int = { type: 'integer', minimum: 0 };
const publicationName = { type: 'string', maxLength: NAME_RULE.maxLength, pattern: NAME_RULE.pattern };
const ident = { type: 'string', minLength: 1, maxLength: 256 };
const strList = { type: 'array', items: str };
const identList = { type: 'array', items: ident };

const names = {
  standard_name: { $ref: '#/$defs/standard_name' },
  long_name: str,
  var_name: { $ref: '#/$defs/var_name' },
};

const numericDtypes = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64'];

function object(properties, required = [], extra = {}) {
  return { type: 'object', properties, required, additionalProperties: false, ...extra };
}

const ellipsoidProps = {
  semi_major_axis: { type: 'number', exclusiveMinimum: 0 },
  semi_minor_axis: { type: 'number', exclusiveMinimum: 0 },
  inverse_flattening: { type: 'number', minimum: 0 },
  longitude_of_prime_meridian: num,
};
const projected = { false_easting: num, false_northing: num, ellipsoid: { $ref: '#/$defs/ellipsoid' } };
const lat = { type: 'number', minimum: -90, maximum: 90 };
const lon = { type: 'number', minimum: -360, maximum: 360 };

const coordSystems = {
  latitude_longitude: [ellipsoidProps, []],
  rotated_latitude_longitude: [
    { grid_north_pole_latitude: lat, grid_north_pole_longitude: lon, north_pole_grid_longitude: lon, ellipsoid: { $ref: '#/$defs/ellipsoid' } },
    ['grid_north_pole_latitude', 'grid_north_pole_longitude'],
  ],
  transverse_mercator: [
    { latitude_of_projection_origin: lat, longitude_of_central_meridian: lon, scale_factor_at_central_meridian: num, ...projected },
    ['latitude_of_projection_origin', 'longitude_of_central_meridian'],
  ],
  lambert_conformal_conic: [
    { latitude_of_projection_origin: lat, longitude_of_central_meridian: lon, standard_parallel: { type: 'array', items: lat, minItems: 1, maxItems: 2 }, ...projected },
    ['latitude_of_projection_origin', 'longitude_of_central_meridian', 'standard_parallel'],
  ],
  mercator: [
    { longitude_of_projection_origin: lon, standard_parallel: lat, scale_factor_at_projection_origin: num, ...projected },
    ['longitude_of_projection_origin'],
  ],
  stereographic: [
    { latitude_of_projection_origin: lat, longitude_of_projection_origin: lon, standard_parallel: lat, scale_factor_at_projection_origin: num, ...projected },
    ['latitude_of_projection_origin', 'longitude_of_projection_origin'],
  ],
  polar_stereographic: [
    { latitude_of_projection_origin: { enum: [90, -90] }, straight_vertical_longitude_from_pole: lon, standard_parallel: lat, scale_factor_at_projection_origin: num, ...projected },
    ['latitude_of_projection_origin', 'straight_vertical_longitude_from_pole'],
  ],
  lambert_azimuthal_equal_area: [
    { latitude_of_projection_origin: lat, longitude_of_projection_origin: lon, ...projected },
    ['latitude_of_projection_origin', 'longitude_of_projection_origin'],
  ],
  albers_conical_equal_area: [
    { latitude_of_projection_origin: lat, longitude_of_central_meridian: lon, standard_parallel: { type: 'array', items: lat, minItems: 1, maxItems: 2 }, ...projected },
    ['latitude_of_projection_origin', 'longitude_of_central_meridian', 'standard_parallel'],
  ],
  orthographic: [
    { latitude_of_projection_origin: lat, longitude_of_projection_origin: lon, ...projected },
    ['latitude_of_projection_origin', 'longitude_of_projection_origin'],
  ],
  vertical_perspective: [
    { latitude_of_projection_origin: lat, longitude_of_projection_origin: lon, perspective_point_height: { type: 'number', exclusiveMinimum: 0 }, ...projected },
    ['latitude_of_projection_origin', 'longitude_of_projection_origin', 'perspective_point_height'],
  ],
  geostationary: [
    { latitude_of_projection_origin: lat, longitude_of_projection_origin: lon, perspective_point_height: { type: 'number', exclusiveMinimum: 0 }, sweep_angle_axis: { enum: ['x', 'y'] }, ...projected },
    ['latitude_of_projection_origin', 'longitude_of_projection_origin', 'perspective_point_height', 'sweep_angle_axis'],
  ],
  oblique_mercator: [
    { azimuth_of_central_line: num, latitude_of_projection_origin: lat, longitude_of_projection_origin: lon, scale_factor_at_projection_origin: num, ...projected },
    ['azimuth_of_central_line', 'latitude_of_projection_origin', 'longitude_of_projection_origin'],
  ],
};
coordSystems.rotated_mercator = coordSystems.oblique_mercator;

const coordSystem = {
  type: 'object',
  required: ['kind'],
  properties: { kind: { enum: Object.keys(coordSystems) } },
  allOf: Object.entries(coordSystems).map(([kind, [props, required]]) => ({
    if: { properties: { kind: { const: kind } }, required: ['kind'] },
    then: object({ kind: { const: kind }, ...props }, ['kind', ...required]),
  })),
};

// An array value: a scalar, a (nested) list, a regular sequence, or an encoded block of little-endian bytes.
// Alternatives are chosen with if/then on a discriminating key rather than oneOf, so errors name the real problem.
const regular = object(
  { start: { type: ['number', 'array'], items: num, minItems: 1 }, step: num, count: { type: 'integer', minimum: 1 } },
  ['start', 'step', 'count'],
);
const encoded = object(
  { encoding: { enum: ['base64', 'zlib+base64'] }, data: { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$' } },
  ['encoding', 'data'],
);
const arrayValue = {
  if: { type: 'object' },
  then: { if: { required: ['encoding'] }, then: encoded, else: regular },
  else: { type: ['number', 'string', 'array'], items: { $ref: '#/$defs/array_item' } },
};

// The `pp` plugin's options (spec §14.5): where each field of a UM PP file or fieldsfile is and how it is packed.
const intList = { type: 'array', items: int };
const intOrList = { anyOf: [{ type: 'integer' }, { type: 'array', items: { type: 'integer' } }] };
const numOrList = { anyOf: [num, { type: 'array', items: num }] };
const ppOptions = object(
  {
    word: { enum: [4, 8] },
    byte_order: { enum: ['big', 'little'] },
    source: intList,
    field: intList,
    offset: intList,
    length: intList,
    lbpack: intOrList,
    bmdi: numOrList,
    bdatum: numOrList,
    bmks: numOrList,
    boundary: { anyOf: [{ type: 'array', items: int, minItems: 3, maxItems: 3 }, { type: 'array', items: { type: 'array', items: int, minItems: 3, maxItems: 3 } }] },
  },
  ['word', 'byte_order', 'field', 'offset', 'length', 'lbpack', 'bmdi'],
);

const sourceRef = object(
  {
    source: int,
    format: { type: 'string', pattern: '^[a-z][a-z0-9_-]*$' },
    variable: ident,
    shape: { type: 'array', items: int },
    chunks: { type: 'array', items: { type: 'integer', minimum: 1 } },
    stored_dtype: { enum: numericDtypes },
    scale_factor: num,
    add_offset: num,
    fill_value: { type: ['number', 'string'] },
    missing_value: { type: 'array', items: { type: ['number', 'string'] } },
    valid_min: num,
    valid_max: num,
    options: { type: 'object', propertyNames: { not: { enum: ['__proto__', 'constructor', 'prototype'] } } },
  },
  ['source', 'format', 'variable'],
  {
    if: { type: 'object', properties: { format: { const: 'pp' } }, required: ['format'] },
    then: { properties: { options: ppOptions }, required: ['options'] },
  },
);
const combinedRef = object(
  {
    combine: { enum: ['stack', 'concat'] },
    axis: int,
    parts: { type: 'array', minItems: 1, items: { $ref: '#/$defs/source_ref' } },
  },
  ['combine', 'axis', 'parts'],
);
const dataValue = {
  if: { type: 'object', required: ['source'] },
  then: { $ref: '#/$defs/source_ref' },
  else: { if: { type: 'object', required: ['combine'] }, then: { $ref: '#/$defs/combined_ref' }, else: { $ref: '#/$defs/array' } },
};

// Bounds may also be the n + 1 edges of contiguous cells (format 1.1).
const boundsValue = {
  if: { type: 'object', required: ['edges'] },
  then: object({ edges: { $ref: '#/$defs/array' } }, ['edges']),
  else: { $ref: '#/$defs/data' },
};

const attributes = {
  type: 'object',
  propertyNames: { minLength: 1, not: { enum: ['__proto__', 'constructor', 'prototype'] } },
  additionalProperties: {
    if: { type: 'object' },
    then: object(
      { dtype: { enum: numericDtypes }, value: { type: ['number', 'string', 'array'], items: { type: ['number', 'string'] } } },
      ['dtype', 'value'],
    ),
    else: { type: ['string', 'number', 'array'], items: { type: ['number', 'string'] } },
  },
};

const coordCommon = {
  ...names,
  units: { $ref: '#/$defs/units' },
  calendar: { $ref: '#/$defs/calendar' },
  dtype: { $ref: '#/$defs/dtype' },
  points: { $ref: '#/$defs/data' },
  bounds: { $ref: '#/$defs/bounds' },
  attributes: { $ref: '#/$defs/attributes' },
  coord_system: ident,
  climatological: { type: 'boolean' },
};

// Unstructured meshes (format 1.1): per-location elements with their coordinates, and the connectivities.
const connectivityRoles = [
  'edge_node_connectivity', 'face_node_connectivity', 'face_edge_connectivity', 'face_face_connectivity',
  'edge_face_connectivity', 'boundary_node_connectivity', 'volume_node_connectivity', 'volume_edge_connectivity',
  'volume_face_connectivity', 'volume_volume_connectivity',
];
const meshCoord = object(
  { ...names, units: { $ref: '#/$defs/units' }, dtype: { $ref: '#/$defs/dtype' }, points: { $ref: '#/$defs/data' }, attributes: { $ref: '#/$defs/attributes' } },
  ['points'],
);
const meshElements = (required) =>
  object(
    {
      dimension: ident,
      count: int,
      coords: object({ x: { $ref: '#/$defs/mesh_coord' }, y: { $ref: '#/$defs/mesh_coord' } }, required),
    },
    ['dimension', 'count', ...(required.length > 0 ? ['coords'] : [])],
  );
const connectivity = object(
  {
    ...names,
    units: { $ref: '#/$defs/units' },
    dtype: { $ref: '#/$defs/dtype' },
    start_index: { enum: [0, 1] },
    location_axis: { enum: [0, 1] },
    indices: { $ref: '#/$defs/data' },
    attributes: { $ref: '#/$defs/attributes' },
  },
  ['indices'],
);
const mesh = object(
  {
    ...names,
    units: { $ref: '#/$defs/units' },
    topology_dimension: { enum: [1, 2] },
    node: meshElements(['x', 'y']),
    edge: { $ref: '#/$defs/mesh_elements' },
    face: { $ref: '#/$defs/mesh_elements' },
    connectivities: object(Object.fromEntries(connectivityRoles.map((role) => [role, { $ref: '#/$defs/connectivity' }]))),
    attributes: { $ref: '#/$defs/attributes' },
  },
  ['topology_dimension', 'node'],
);

const keyed = (ref) => ({ type: 'object', propertyNames: { $ref: '#/$defs/key' }, additionalProperties: { $ref: ref } });

const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://cubemark.dev/schema/1.1/cubemark-v1.schema.json',
  title: 'cubemark publication, format versions 1 and 1.1 (the YAML frontmatter of a .cube.md file)',
  type: 'object',
  required: ['cubemark', 'name', 'cubes'],
  additionalProperties: false,
  properties: {
    cubemark: { enum: [1, 1.1] },
    name: publicationName,
    title: str,
    created: { type: 'string', format: 'date-time' },
    modified: { type: 'string', format: 'date-time' },
    provenance: { type: 'object', propertyNames: { $ref: '#/$defs/key' }, additionalProperties: str },
    sources: {
      type: 'array',
      items: object(
        { uri: { type: 'string', minLength: 1 }, size: int, mtime: { type: 'string', format: 'date-time' }, etag: str },
        ['uri'],
      ),
    },
    coord_systems: { type: 'object', propertyNames: { $ref: '#/$defs/key' }, additionalProperties: { $ref: '#/$defs/coord_system' } },
    meshes: keyed('#/$defs/mesh'),
    cubes: { type: 'array', items: { $ref: '#/$defs/cube' } },
  },
  $defs: {
    key: { type: 'string', minLength: 1, maxLength: 256, not: { enum: ['__proto__', 'constructor', 'prototype'] } },
    standard_name: { type: 'string', pattern: '^[a-z][a-z0-9_]*$' },
    var_name: { type: 'string', minLength: 1 },
    units: str,
    calendar: str,
    dtype: { enum: [...numericDtypes, 'string'] },
    array_item: { type: ['number', 'string', 'array'], items: { $ref: '#/$defs/array_item' } },
    array: arrayValue,
    source_ref: sourceRef,
    combined_ref: combinedRef,
    data: dataValue,
    bounds: boundsValue,
    attributes,
    ellipsoid: object(ellipsoidProps),
    coord_system: coordSystem,
    mesh_coord: meshCoord,
    mesh_elements: meshElements([]),
    connectivity,
    mesh,
    cell_method: object(
      { method: { type: 'string', minLength: 1 }, coords: identList, intervals: strList, comments: strList },
      ['method'],
    ),
    dim_coord: object({ ...coordCommon, circular: { type: 'boolean' } }, ['points']),
    aux_coord: object({ ...coordCommon, dims: identList }, ['points']),
    derived_coord: object(
      {
        ...names,
        formula: { enum: ['hybrid_height', 'hybrid_pressure', 'atmosphere_sigma', 'ocean_sigma_z', 'ocean_sigma', 'ocean_s', 'ocean_s_g1', 'ocean_s_g2'] },
        units: { $ref: '#/$defs/units' },
        terms: { type: 'object', propertyNames: { $ref: '#/$defs/key' }, additionalProperties: ident },
        attributes: { $ref: '#/$defs/attributes' },
        coord_system: ident,
      },
      ['formula', 'terms'],
    ),
    cell_measure: object(
      { ...names, measure: { enum: ['area', 'volume'] }, units: { $ref: '#/$defs/units' }, dtype: { $ref: '#/$defs/dtype' }, dims: identList, data: { $ref: '#/$defs/data' }, attributes: { $ref: '#/$defs/attributes' } },
      ['measure', 'data'],
    ),
    ancillary_variable: object(
      { ...names, units: { $ref: '#/$defs/units' }, dtype: { $ref: '#/$defs/dtype' }, dims: identList, data: { $ref: '#/$defs/data' }, attributes: { $ref: '#/$defs/attributes' } },
      ['data'],
    ),
    cube: object(
      {
        ...names,
        units: { $ref: '#/$defs/units' },
        calendar: { $ref: '#/$defs/calendar' },
        dtype: { $ref: '#/$defs/dtype' },
        dims: identList,
        shape: { type: 'array', items: int },
        data: { $ref: '#/$defs/data' },
        cell_methods: { type: 'array', items: { $ref: '#/$defs/cell_method' } },
        dim_coords: keyed('#/$defs/dim_coord'),
        aux_coords: keyed('#/$defs/aux_coord'),
        derived_coords: keyed('#/$defs/derived_coord'),
        cell_measures: keyed('#/$defs/cell_measure'),
        ancillary_variables: keyed('#/$defs/ancillary_variable'),
        mesh: object({ name: ident, location: { enum: ['node', 'edge', 'face'] }, dim: ident }, ['name', 'location', 'dim']),
        attributes: { $ref: '#/$defs/attributes' },
        global_attributes: { $ref: '#/$defs/attributes' },
      },
      ['dims', 'shape', 'dtype', 'data'],
    ),
  },
};

export const SCHEMA_JSON = JSON.stringify(schema, null, 2) + '\n';

/** The compiled validator as an ES module (ajv's standalone output uses `require` for its runtime helpers). */
export function compiledValidator() {
  const ajv = new Ajv2020({ code: { source: true, esm: true, lines: false }, allErrors: false, strict: true, strictRequired: false, strictTypes: false, strictNumbers: false, allowUnionTypes: true });
  addFormats.default(ajv, ['date-time']);
  const validate = ajv.compile(schema);
  const code = standaloneCode.default(ajv, validate);
  return [
    '// @ts-nocheck',
    '// Generated by scripts/gen-schema.mjs from spec/schema/cubemark-v1.schema.json. Do not edit.',
    "import { createRequire } from 'node:module';",
    'const require = createRequire(import.meta.url);',
    code,
    '',
  ].join('\n');
}

const here = new URL('.', import.meta.url);
export const OUTPUTS = {
  schema: new URL('../../../spec/schema/cubemark-v1.schema.json', here),
  validator: new URL('../src/schema/validator.generated.ts', here),
};

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  writeFileSync(OUTPUTS.schema, SCHEMA_JSON);
  writeFileSync(OUTPUTS.validator, compiledValidator());
  console.log(`wrote ${OUTPUTS.schema.pathname}\nwrote ${OUTPUTS.validator.pathname}`);
}
void readFileSync;
