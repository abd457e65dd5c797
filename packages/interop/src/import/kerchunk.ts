import { ImportError } from '../errors.js';
import type { PositionedJson } from './json.js';

/**
 * Check a kerchunk reference file (version 1) with positions: the top level, each reference's form, and that the
 * Zarr metadata documents it holds are JSON objects with the keys Zarr v2 needs. Empty when it is readable.
 */
export function checkReferences(json: PositionedJson, file: string | undefined): ImportError[] {
  const errors: ImportError[] = [];
  const fail = (pointer: string, message: string) => errors.push(new ImportError(message, { file, ...json.at(pointer), pointer }));
  const doc = json.value as Record<string, unknown>;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    fail('', 'a kerchunk reference file is a JSON object');
    return errors;
  }
  if (doc.version !== 1) fail('/version', `version must be 1 (kerchunk references version 1), not ${JSON.stringify(doc.version)}`);
  if (doc.gen !== undefined) fail('/gen', '"gen" (generated references) is not supported: expand them with kerchunk first');
  if (doc.templates !== undefined && (typeof doc.templates !== 'object' || doc.templates === null || Array.isArray(doc.templates))) {
    fail('/templates', '"templates" must be an object of strings');
  }
  const refs = doc.refs as Record<string, unknown> | undefined;
  if (typeof refs !== 'object' || refs === null || Array.isArray(refs)) {
    fail(doc.refs === undefined ? '' : '/refs', '"refs" must be an object mapping Zarr keys to references');
    return errors;
  }
  if (!('.zgroup' in refs)) fail('/refs', 'no ".zgroup" reference: the references must describe a Zarr v2 group');
  for (const [key, value] of Object.entries(refs)) {
    const pointer = `/refs/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (typeof value === 'string') {
      if (/(^|\/)\.z(array|attrs|group)$/.test(key)) {
        let meta: unknown;
        try {
          meta = JSON.parse(value.startsWith('base64:') ? Buffer.from(value.slice(7), 'base64').toString('utf8') : value);
        } catch (error) {
          fail(pointer, `'${key}' must hold a JSON document: ${(error as Error).message}`);
          continue;
        }
        if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) fail(pointer, `'${key}' must hold a JSON object`);
        else if (key.endsWith('.zarray')) {
          const m = meta as Record<string, unknown>;
          const missing = ['shape', 'chunks', 'dtype', 'compressor', 'fill_value', 'order', 'filters', 'zarr_format'].filter((k) => !(k in m));
          if (missing.length) fail(pointer, `'${key}' lacks ${missing.join(', ')} (Zarr v2 array metadata)`);
        }
      }
      continue;
    }
    const ok =
      Array.isArray(value) &&
      typeof value[0] === 'string' &&
      (value.length === 1 || (value.length === 3 && [value[1], value[2]].every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0)));
    if (!ok) fail(pointer, `reference '${key}' must be a string, [url] or [url, offset, length] with whole numbers`);
  }
  return errors;
}
