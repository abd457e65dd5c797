import { ImportError } from '../errors.js';
import { checkReferences } from './kerchunk.js';
import { parseJson } from './json.js';
import { checkStacItem, type StacImport } from './stac.js';

/** What a JSON document given to `cubemark import` is, and whether it can be imported. */
export type ImportInspection =
  | { kind: 'kerchunk'; errors: ImportError[] }
  | { kind: 'stac'; errors: ImportError[]; plan?: StacImport }
  | { kind: 'unknown'; errors: ImportError[] };

/**
 * Look at a JSON document before importing it: a kerchunk reference file (loaded as a source by the `kerchunk`
 * reader) or a STAC Item with the datacube extension (its data assets loaded). Problems come back positioned
 * (`file:line:col`), as the format's do.
 */
export function inspectImport(text: string, file: string | undefined, location = file ?? ''): ImportInspection {
  const { json, errors } = parseJson(text, file);
  if (!json) return { kind: 'unknown', errors };
  const doc = json.value as Record<string, unknown> | null;
  if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
    if ('refs' in doc || 'version' in doc) return { kind: 'kerchunk', errors: checkReferences(json, file) };
    if (doc.type === 'Feature' || 'stac_version' in doc) return { kind: 'stac', ...checkStacItem(json, file, location) };
  }
  return {
    kind: 'unknown',
    errors: [new ImportError('neither a kerchunk reference file ({"version": 1, "refs": ...}) nor a STAC Item', { file, line: 1, column: 1, pointer: '', code: 'IMPORT_UNKNOWN_KIND' })],
  };
}
