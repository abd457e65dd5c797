/**
 * JSON as Zarr writers produce it. zarr-python 2 and xarray write attributes with Python's `json.dumps`, which
 * emits bare `NaN`, `Infinity` and `-Infinity` (e.g. `"valid_max": NaN`), so strict `JSON.parse` rejects real
 * stores. No npm JSON parser that accepts exactly this is already a dependency (json5 would, but also accepts
 * much more), so the bare tokens are rewritten to marked strings outside string literals and revived as numbers.
 */

const STRING_OR_BARE = /"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g;
const MARK = '\u0000cubemark-number:';

const BARE_VALUES: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

/** A JSON document as `JSON.parse` gives it. */
export type JsonDocument = null | boolean | number | string | JsonDocument[] | { [key: string]: JsonDocument };

/** Parse JSON text that may contain Python's bare `NaN`/`Infinity`. Throws `SyntaxError` like `JSON.parse`. */
export function parseJson(text: string): JsonDocument {
  try {
    return JSON.parse(text) as JsonDocument;
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
  }
  // The mark is written as the escape `\u0000`: a raw control character is not allowed in a JSON string.
  const marked = text.replace(STRING_OR_BARE, (token) => (token in BARE_VALUES ? `"\\u0000${MARK.slice(1)}${token}"` : token));
  return JSON.parse(marked, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(MARK) ? BARE_VALUES[value.slice(MARK.length)] : value,
  ) as JsonDocument;
}

/** Decode and parse a JSON object (a metadata document); `undefined` if the bytes are not a JSON object. */
export function parseJsonObject(bytes: Uint8Array): { [key: string]: JsonDocument } | undefined {
  const doc = parseJson(new TextDecoder().decode(bytes));
  return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? doc : undefined;
}

/**
 * Serialize for zarrita, which reads non-finite fill values as the strings `"NaN"`, `"Infinity"`,
 * `"-Infinity"` (the Zarr v3 spelling, which zarrita also accepts for v2).
 */
export function encodeJson(doc: JsonDocument): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify(doc, (_key, value: unknown) =>
      typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
    ),
  );
}
