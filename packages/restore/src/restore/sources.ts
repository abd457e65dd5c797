import { createSourcePool, LocalByteSource, resolveUri, uriScheme, type ObjectStat, type S3Options, type SourcePolicy, type SourcePool } from '@cubemark/cube';
import type { Source } from '@cubemark/format';
import pLimit, { type LimitFunction } from 'p-limit';
import { errorMessage } from '../errors.js';

/** What checking a publication's data sources found. */
export interface SourceFindings {
  /** Why the publication is stale: a source is missing or changed since it was published. Empty: all as recorded. */
  stale: string[];
  /** Sources that could not be checked (denied, unreachable, timed out): reported, not counted as stale. */
  unchecked: string[];
}

export interface SourceCheckerOptions {
  /** What relative source URIs resolve against (a folder, `file:` URI, `s3://bucket/prefix/` or URL prefix). */
  base: string;
  s3?: S3Options;
  /** Stat requests in flight at once, over all publications (default: 16). */
  concurrency?: number;
  /** Milliseconds one remote stat may take before it counts as unchecked (default: 10000). */
  timeoutMs?: number;
  /**
   * The scheduler's source policy: a source it refuses (outside the data roots or allowed URLs) makes the
   * publication stale, and is not stat'ed (default: none).
   */
  policy?: SourcePolicy;
}

/** A source the policy refused: the publication is stale, and nothing of the source was read. */
class Refused {
  constructor(readonly reason: string) {}
}

/**
 * Compares each source's size, modification time and ETag, as the file recorded them, with what the object has
 * now (`ByteSource.stat()`), so a restore can flag publications whose data moved underneath them. Each distinct URI
 * is stat'ed once however many publications name it; requests are bounded so thousands of publications do not
 * open thousands of connections at once.
 */
export class SourceChecker {
  private readonly pool: SourcePool;
  private readonly base: string;
  private readonly limit: LimitFunction;
  private readonly stats = new Map<string, Promise<ObjectStat | undefined | Error | Refused>>();
  private readonly policy?: SourcePolicy;

  constructor(options: SourceCheckerOptions) {
    this.base = options.base;
    this.policy = options.policy;
    this.pool = createSourcePool({
      policy: options.policy,
      base: options.base,
      s3: options.s3,
      timeoutMs: options.timeoutMs ?? 10_000,
      // One retry: a check that keeps failing is reported as unchecked rather than holding the restore back.
      retry: { retries: 1 },
    });
    this.limit = pLimit(options.concurrency ?? 16);
  }

  /** Check the sources a publication records (its model, or its index: both carry `sources`). */
  async check(publication: { readonly sources: readonly Source[] }, signal?: AbortSignal): Promise<SourceFindings> {
    const findings: SourceFindings = { stale: [], unchecked: [] };
    await Promise.all(
      publication.sources.map(async (source) => {
        const stat = await this.stat(source.uri, signal);
        if (stat instanceof Refused) findings.stale.push(`source ${source.uri} ${stat.reason}`);
        else if (stat instanceof Error) findings.unchecked.push(`source ${source.uri} could not be checked: ${errorMessage(stat)}`);
        else {
          const change = compare(source, stat);
          if (change) findings.stale.push(`source ${source.uri} ${change}`);
        }
      }),
    );
    return findings;
  }

  /** Forget cached answers (a reload checks afresh). */
  reset(): void {
    this.stats.clear();
  }

  async close(): Promise<void> {
    this.stats.clear();
    await this.pool.close();
  }

  private stat(uri: string, signal?: AbortSignal): Promise<ObjectStat | undefined | Error | Refused> {
    let pending = this.stats.get(uri);
    if (!pending) {
      pending = this.limit(async () => {
        try {
          // A local file straight from the cube package's local byte source: the pool's per-request machinery
          // (limits, timeouts, retries), built for remote objects, was most of the main thread's work in a restore
          // of 1,000 publications (4 sources each).
          let resolved = resolveUri(uri, this.base);
          const scheme = uriScheme(resolved);
          if (this.policy) {
            try {
              resolved = await this.policy.check(resolved);
            } catch (error) {
              const code = (error as { code?: unknown }).code;
              if (code === 'SOURCE_NOT_ALLOWED' || code === 'CREDENTIALS_IN_URI') {
                return new Refused(`is not readable by this server, so it is not read: ${errorMessage(error).replace(/^.*?: /, '')}`);
              }
              throw error;
            }
          }
          return scheme === undefined || scheme === 'file' ? await new LocalByteSource(resolved).stat({ signal }) : await this.pool.open(uri).stat({ signal });
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      });
      this.stats.set(uri, pending);
    }
    return pending;
  }
}

/** How `now` differs from what the file recorded, in words, or `undefined` if it does not. */
export function compare(recorded: Source, now: ObjectStat | undefined): string | undefined {
  if (!now) return 'is missing';
  if (recorded.size !== undefined && recorded.size !== now.size) {
    return `changed size since it was published (${recorded.size} → ${now.size} bytes)`;
  }
  if (recorded.etag !== undefined && now.etag !== undefined && etag(recorded.etag) !== etag(now.etag)) {
    return `changed since it was published (ETag ${recorded.etag} → ${now.etag})`;
  }
  if (recorded.mtime !== undefined && now.mtime !== undefined && !sameTime(recorded.mtime, now.mtime)) {
    return `was modified since it was published (${recorded.mtime} → ${now.mtime})`;
  }
  return undefined;
}

/** ETags compare without quotes or the weak marker, which servers add or drop freely. */
function etag(value: string): string {
  return value.replace(/^W\//, '').replace(/"/g, '');
}

/**
 * Times compare at the precision the file recorded: `04:02:11Z` matches any time within that second (files often
 * record whole seconds), `04:02:11.250Z` only that millisecond.
 */
function sameTime(recorded: string, now: string): boolean {
  const a = Date.parse(recorded);
  const b = Date.parse(now);
  if (Number.isNaN(a) || Number.isNaN(b)) return recorded === now;
  const fraction = /\.(\d+)/.exec(recorded)?.[1];
  if (!fraction) return Math.floor(a / 1000) === Math.floor(b / 1000);
  return a === b;
}
