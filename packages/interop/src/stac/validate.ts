import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** The vendored schemas (see schemas/README.md): STAC 1.0.0, GeoJSON, the datacube extension 2.3.0, PROJJSON 0.7. */
const SCHEMA_FILES = [
  'stac/v1.0.0/item-spec/json-schema/basics.json',
  'stac/v1.0.0/item-spec/json-schema/datetime.json',
  'stac/v1.0.0/item-spec/json-schema/instrument.json',
  'stac/v1.0.0/item-spec/json-schema/licensing.json',
  'stac/v1.0.0/item-spec/json-schema/provider.json',
  'stac/v1.0.0/item-spec/json-schema/item.json',
  'stac/v1.0.0/collection-spec/json-schema/collection.json',
  'geojson/v1.0.5/Feature.json',
  'geojson/v1.0.5/Geometry.json',
  'stac-datacube/v2.3.0/schema.json',
  'projjson/v0.7/projjson.schema.json',
];

const ITEM = 'https://schemas.stacspec.org/v1.0.0/item-spec/json-schema/item.json';
const COLLECTION = 'https://schemas.stacspec.org/v1.0.0/collection-spec/json-schema/collection.json';
const DATACUBE = 'https://stac-extensions.github.io/datacube/v2.3.0/schema.json';

/** The package's `schemas/` folder, from `src/stac` or `dist/stac` alike. */
const SCHEMAS = new URL('../../schemas/', import.meta.url);

let compiled: { item: ValidateFunction; collection: ValidateFunction; datacube: ValidateFunction } | undefined;

function validators() {
  if (compiled) return compiled;
  // Draft-07 schemas that use unknown keywords here and there: not strict, never fetching (every $ref is vendored).
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
  addFormats.default(ajv);
  // STAC 1.0 uses JSON Schema's IRI formats, which ajv-formats lacks: an IRI has a scheme; a reference may be relative.
  ajv.addFormat('iri', /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/);
  ajv.addFormat('iri-reference', /^[^\s]*$/);
  for (const f of SCHEMA_FILES) {
    const schema = JSON.parse(readFileSync(new URL(f, SCHEMAS), 'utf8')) as { $id?: string };
    // Relative $refs resolve against each schema's $id; the STAC files' ids end in '#', which ajv takes as is.
    ajv.addSchema(schema, schema.$id?.replace(/#$/, ''));
  }
  compiled = { item: ajv.getSchema(ITEM)!, collection: ajv.getSchema(COLLECTION)!, datacube: ajv.getSchema(DATACUBE)! };
  return compiled;
}

export interface StacProblem {
  /** JSON pointer into the document. */
  pointer: string;
  message: string;
  /** Which schema said so. */
  schema: 'stac' | 'datacube';
}

const problems = (errors: ErrorObject[] | null | undefined, schema: StacProblem['schema']): StacProblem[] =>
  (errors ?? []).map((e) => ({ pointer: e.instancePath, message: `${e.instancePath || '/'} ${e.message ?? 'is invalid'} (${e.schemaPath})`, schema }));

/**
 * Validate a STAC Item or Collection offline against the vendored STAC 1.0.0 schema and, when it declares it, the
 * datacube extension 2.3.0 (with PROJJSON). Empty when valid.
 */
export function validateStac(document: unknown): StacProblem[] {
  const v = validators();
  const type = (document as { type?: unknown } | null)?.type;
  const core = type === 'Collection' ? v.collection : v.item;
  const out = core(document) ? [] : problems(core.errors, 'stac');
  const extensions = (document as { stac_extensions?: unknown } | null)?.stac_extensions;
  if (Array.isArray(extensions) && extensions.includes(DATACUBE) && !v.datacube(document)) out.push(...problems(v.datacube.errors, 'datacube'));
  return out;
}
