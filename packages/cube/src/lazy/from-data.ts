import { regularValues, type ArrayData, type Source } from '@cubemark/format';
import type { ByteSource } from '../bytes/types.js';
import { resolveUri } from '../bytes/uri.js';
import type { PluginContext } from '../readers/types.js';
import { CombinedLazyArray } from './combined.js';
import { ArrayShapeError, SourceIndexError } from './errors.js';
import { InlineLazyArray } from './inline.js';
import { SourceLazyArray, type PluginResolver } from './source.js';
import type { LazyArray } from './types.js';

/** What turning a publication's `ArrayData` into lazy arrays needs. */
export interface LazyContext {
  /** The publication's sources (`Publication.sources`, or just their URIs), indexed by `SourceArray.source`. */
  sources: readonly (Source | string)[];
  /** Directory relative source URIs are resolved against (default: none; relative URIs are used as given). */
  base?: string;
  /** Opens byte sources for plugins: a source pool from `createSourcePool`, or anything with `open(uri)`. */
  pool: { open(uri: string): ByteSource };
  /**
   * Where `SourceArray.format` names are looked up: `defaultRegistry`, or a registry of the caller's own. Given by
   * whoever builds the context, so the lazy layer never imports the registry (which imports every reader).
   */
  plugins: PluginResolver;
  /** Slab or part reads in flight at once within one array read (default: 8). */
  concurrency?: number;
}

/**
 * A lazy array for a format `ArrayData`. Reads nothing and loads no plugin: source arrays open their plugin's
 * reader on first read. Checks what can be checked without I/O (source indices, combined shapes) and throws
 * `SourceIndexError` / `ArrayShapeError` naming the variable.
 */
export function fromArrayData(data: ArrayData, ctx: LazyContext): LazyArray {
  const uriOf = (index: number): string | undefined => {
    const source = Number.isInteger(index) ? ctx.sources[index] : undefined;
    return source === undefined ? undefined : resolveUri(typeof source === 'string' ? source : source.uri, ctx.base);
  };
  const pluginContext: PluginContext = { openSource: (uri) => ctx.pool.open(uri), sourceUri: uriOf };
  const build = (d: ArrayData): LazyArray => {
    switch (d.kind) {
      case 'inline':
        return InlineLazyArray.fromInline(d);
      case 'regular':
        // A handful of numbers describing a grid; materialising it is cheaper than any lazy machinery.
        return new InlineLazyArray(regularValues(d), d.shape, { dtype: d.dtype });
      case 'source': {
        const uri = uriOf(d.source);
        if (uri === undefined) {
          throw new SourceIndexError(
            `variable '${d.variable}' (${d.format}) refers to source ${d.source}, but the publication lists ${ctx.sources.length} source${ctx.sources.length === 1 ? '' : 's'} (indices 0-${ctx.sources.length - 1})`,
          );
        }
        return new SourceLazyArray(d, {
          plugins: ctx.plugins,
          uri,
          pluginContext,
          concurrency: ctx.concurrency,
        });
      }
      case 'combined': {
        const combined = new CombinedLazyArray(d.parts.map(build), d.mode, d.axis, {
          dtype: d.dtype,
          concurrency: ctx.concurrency,
        });
        if (combined.shape.length !== d.shape.length || combined.shape.some((n, i) => n !== d.shape[i])) {
          throw new ArrayShapeError(
            `a ${d.mode} along axis ${d.axis} of ${d.parts.length} parts has shape [${combined.shape.join(', ')}], but the document says [${d.shape.join(', ')}]`,
          );
        }
        return combined;
      }
      default: {
        // A new ArrayData kind in the format must be handled here: this stops compiling until it is.
        const unknown: never = d;
        throw new ArrayShapeError(`unknown array kind '${(unknown as { kind: string }).kind}'`);
      }
    }
  };
  return build(data);
}
