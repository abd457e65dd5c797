import type { ByteSource, ObjectStat, RangeOptions, RangeReadOptions } from '../../bytes/types.js';
import { ByteSourceError, DatasetFormatError } from '../../errors.js';
import type { PluginContext } from '../types.js';

/** One reference: inline text or `base64:` bytes, a whole object `[url]`, or a byte range `[url, offset, length]`. */
export type Reference = string | [string] | [string, number, number];

/** A kerchunk reference file (version 1), checked. */
export interface References {
  refs: Map<string, Reference>;
}

function bad(uri: string, message: string): DatasetFormatError {
  return new DatasetFormatError('KERCHUNK_BAD_REFERENCES', uri, `${message} (\`cubemark import\` reports the line and column)`);
}

/**
 * Parse a kerchunk reference file (version 1: `{"version": 1, "refs": {...}, "templates"?: {...}}`), expanding
 * `{{name}}` templates in URLs. `gen` (generated keys) is not supported.
 */
export function parseReferences(text: string, uri: string): References {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw bad(uri, `not JSON: ${(error as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw bad(uri, 'not a JSON object');
  const { version, refs, templates, gen } = doc as Record<string, unknown>;
  if (version !== 1) throw bad(uri, `version ${JSON.stringify(version)} is not 1`);
  if (gen !== undefined) throw bad(uri, '"gen" (generated references) is not supported');
  if (typeof refs !== 'object' || refs === null || Array.isArray(refs)) throw bad(uri, '"refs" is not an object');
  const names = (typeof templates === 'object' && templates !== null ? templates : {}) as Record<string, unknown>;
  const expand = (url: string) => url.replace(/\{\{\s*(\w+)\s*\}\}/g, (all, name: string) => (typeof names[name] === 'string' ? (names[name] as string) : all));
  const out = new Map<string, Reference>();
  for (const [key, value] of Object.entries(refs as Record<string, unknown>)) {
    if (typeof value === 'string') out.set(key, value);
    else if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string') out.set(key, [expand(value[0])]);
    else if (
      Array.isArray(value) &&
      value.length === 3 &&
      typeof value[0] === 'string' &&
      [value[1], value[2]].every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0)
    ) {
      out.set(key, [expand(value[0]), value[1] as number, value[2] as number]);
    } else throw bad(uri, `reference '${key}' is not a string, [url] or [url, offset, length]`);
  }
  if (!out.has('.zgroup')) throw bad(uri, 'no ".zgroup": not the references of a Zarr group');
  // A consolidated view, so the Zarr reader finds every array without listing (references cannot be listed).
  if (!out.has('.zmetadata')) {
    const metadata: Record<string, unknown> = {};
    for (const [key, value] of out) {
      if (typeof value !== 'string' || !/(^|\/)\.z(group|attrs|array)$/.test(key)) continue;
      try {
        metadata[key] = JSON.parse(value.startsWith('base64:') ? Buffer.from(value.slice(7), 'base64').toString('utf8') : value);
      } catch (error) {
        throw bad(uri, `'${key}' is not JSON: ${(error as Error).message}`);
      }
    }
    out.set('.zmetadata', JSON.stringify({ zarr_consolidated_format: 1, metadata }));
  }
  return { refs: out };
}

/** The bytes of an inline reference. */
function inlineBytes(text: string): Uint8Array {
  return text.startsWith('base64:') ? new Uint8Array(Buffer.from(text.slice(7), 'base64')) : new TextEncoder().encode(text);
}

/** One key of a reference file as a byte source: its inline bytes, or a range of the object it points at. */
class ReferenceSource implements ByteSource {
  constructor(
    readonly uri: string,
    private readonly ref: Reference | undefined,
    private readonly ctx: PluginContext,
  ) {}

  async stat(options?: RangeOptions): Promise<ObjectStat | undefined> {
    const ref = this.ref;
    if (ref === undefined) return undefined;
    if (typeof ref === 'string') return { size: inlineBytes(ref).length };
    if (ref.length === 3) return { size: ref[2] };
    return this.ctx.openSource(ref[0]).stat(options);
  }

  async get(options?: RangeOptions): Promise<Uint8Array | undefined> {
    const ref = this.ref;
    if (ref === undefined) return undefined;
    if (typeof ref === 'string') return inlineBytes(ref);
    if (ref.length === 3) return this.ctx.openSource(ref[0]).getRange(ref[1], ref[2], options);
    return this.ctx.openSource(ref[0]).get(options);
  }

  async getRange(offset: number, length: number, options?: RangeReadOptions): Promise<Uint8Array> {
    const ref = this.ref;
    if (ref === undefined) throw new ByteSourceError('NOT_FOUND', this.uri, 'no such reference');
    if (typeof ref === 'string') return inlineBytes(ref).subarray(offset, offset + length);
    if (ref.length === 1) return this.ctx.openSource(ref[0]).getRange(offset, length, { signal: options?.signal });
    const n = Math.max(0, Math.min(length, ref[2] - offset));
    return this.ctx.openSource(ref[0]).getRange(ref[1] + offset, n, { signal: options?.signal });
  }

  async close(): Promise<void> {}
}

/** A plugin context in which `<refsUri>/<key>` is the reference file's key and any other URI opens as usual. */
export function referenceContext(refsUri: string, references: References, ctx: PluginContext): PluginContext {
  const prefix = `${refsUri.replace(/\/+$/, '')}/`;
  return {
    openSource(uri: string): ByteSource {
      if (!uri.startsWith(prefix)) return ctx.openSource(uri);
      const key = uri.slice(prefix.length);
      return new ReferenceSource(uri, references.refs.get(key), ctx);
    },
  };
}
