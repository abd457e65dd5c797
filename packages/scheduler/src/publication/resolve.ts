import { parse, type ParseLimits } from '@cubemark/format';
import type { SourcePool } from '@cubemark/cube';
import type { PublishInput, PublishOptions } from '../api.js';
import { InvalidPublicationError, SchedulerError, messageOf } from '../errors.js';
import type { SourceLoader } from '../sources/loader.js';
import { policyRefusal } from '../sources/policy.js';
import { PublicationContent, isPublicationSource } from './content.js';

/** What a publish input resolves to: the content to hold, and warnings from loading it. */
export interface Resolved {
  content: PublicationContent;
  warnings: string[];
}

/** What resolving needs: the parse limits, and the loader with its byte sources for data-source inputs. */
export interface ResolveContext {
  parseLimits?: Partial<ParseLimits>;
  loader: SourceLoader;
  dataBase?: string;
  pool: SourcePool;
  signal: AbortSignal;
}

/**
 * The content of a publish input: a document parsed, a model or `PublicationSource` taken as is, data sources
 * loaded. NAME_MISMATCH when it names another publication than `name`.
 */
export async function resolveInput(name: string, input: PublishInput, options: PublishOptions, ctx: ResolveContext): Promise<Resolved> {
  let resolved: Resolved;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const result = parse(input, { file: options.file ?? `${name}.cube.md`, limits: ctx.parseLimits });
    if (!result.publication) throw new InvalidPublicationError(result.errors);
    resolved = { content: PublicationContent.of(result.publication, result.body), warnings: [] };
  } else if (input && typeof input === 'object' && 'publication' in input && input.publication && typeof input.publication === 'object') {
    resolved = { content: PublicationContent.of(input.publication, input.body), warnings: [] };
  } else if (input && typeof input === 'object' && 'source' in input && isPublicationSource(input.source)) {
    resolved = { content: PublicationContent.from(input.source), warnings: [] };
  } else if (input && typeof input === 'object' && 'sources' in input && Array.isArray(input.sources)) {
    const uris = input.sources;
    if (uris.length === 0 || uris.some((u) => typeof u !== 'string' || u === '')) {
      throw new SchedulerError('INVALID_INPUT', 'sources must be a non-empty list of URIs (paths, file:, s3://, https://)');
    }
    let loaded;
    try {
      loaded = await ctx.loader({
        name,
        uris,
        title: input.title,
        base: ctx.dataBase,
        pool: ctx.pool,
        signal: ctx.signal,
      });
    } catch (error) {
      if (error instanceof SchedulerError) throw error;
      const refusal = policyRefusal(error, name);
      if (refusal) throw refusal;
      throw new SchedulerError('LOAD_FAILED', `could not load '${name}' from ${uris.join(', ')}: ${messageOf(error)}`, { cause: error });
    }
    resolved = { content: PublicationContent.of(loaded.publication, loaded.body), warnings: loaded.warnings ?? [] };
  } else {
    throw new SchedulerError('INVALID_INPUT', 'publish a .cube.md document (text), { sources: [...] }, { publication, body }, or { source }');
  }
  const named = resolved.content.index.name;
  if (named !== name) {
    throw new SchedulerError(
      'NAME_MISMATCH',
      `the document is named '${named}' but was published as '${name}'; change its 'name:' or publish it under that name`,
    );
  }
  return resolved;
}
