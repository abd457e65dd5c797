/**
 * The vendored JSON Schema (spec/schema/cubemark-v1.schema.json) and the validator compiled from it
 * (src/schema/validator.generated.ts) are what packages/format/scripts/gen-schema.mjs writes today. When this
 * fails, run `node packages/format/scripts/gen-schema.mjs` and commit both files.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';

const root = new URL('../../../../', import.meta.url);
// Read the committed files before the script is imported, so nothing the import does can change what is compared.
const committedSchema = readFileSync(new URL('spec/schema/cubemark-v1.schema.json', root), 'utf8');
const committedValidator = readFileSync(new URL('packages/format/src/schema/validator.generated.ts', root), 'utf8');

interface GenSchema {
  SCHEMA_JSON: string;
  compiledValidator(): string;
}

let gen: GenSchema;
beforeAll(async () => {
  // A computed specifier: the script is plain JavaScript without type declarations.
  const script: string = new URL('packages/format/scripts/gen-schema.mjs', root).href;
  gen = (await import(script)) as GenSchema;
});

describe('generated schema files are up to date', () => {
  test('spec/schema/cubemark-v1.schema.json equals SCHEMA_JSON', () => {
    expect(committedSchema === gen.SCHEMA_JSON, 'run node packages/format/scripts/gen-schema.mjs').toBe(true);
  });

  test('src/schema/validator.generated.ts equals compiledValidator()', () => {
    expect(committedValidator === gen.compiledValidator(), 'run node packages/format/scripts/gen-schema.mjs').toBe(true);
  });

  test('the schema file is the JSON Schema the spec describes', () => {
    const schema = JSON.parse(committedSchema) as { $schema: string; required: string[]; properties: { cubemark: { enum: number[] } } };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.properties.cubemark.enum).toEqual([1, 1.1]);
    expect(schema.required).toEqual(['cubemark', 'name', 'cubes']);
  });
});
