import { ByteSourceError, credentialsIn, resolveUri, uriScheme, type SourcePolicy } from '@cubemark/cube';
import type { PublicationIndex } from '@cubemark/format';
import { SchedulerError, messageOf } from '../errors.js';

/**
 * The policy a scheduler reads sources under when none is given: the data base and nothing else (the directory,
 * or the URL prefix, relative URIs resolve against; the working directory without one).
 */
export function defaultSourcePolicy(dataBase: string | undefined): { roots: string[]; allowUrls: string[] } {
  if (dataBase !== undefined && dataBase !== '') {
    const scheme = uriScheme(dataBase);
    if (scheme !== undefined && scheme !== 'file') return { roots: [], allowUrls: [dataBase] };
    return { roots: [dataBase], allowUrls: [] };
  }
  return { roots: [process.cwd()], allowUrls: [] };
}

/** A policy refusal (or a URI with credentials) as the scheduler's error, else `undefined`. */
export function policyRefusal(error: unknown, name: string): SchedulerError | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 6; depth++) {
    if (e instanceof ByteSourceError && (e.code === 'SOURCE_NOT_ALLOWED' || e.code === 'CREDENTIALS_IN_URI')) {
      return new SchedulerError(e.code, `cannot publish '${name}': ${e.message}`, { cause: e });
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Refuse a publication whose sources carry credentials (they would be stored and shown to every reader) or lie
 * outside what `policy` lets the server read. Checked on every client publish, documents included: a `.cube.md`
 * naming `/etc/passwd` is refused at publish, not at its first read.
 */
export async function checkPublicationSources(name: string, index: PublicationIndex, policy: SourcePolicy | undefined, base: string | undefined): Promise<void> {
  for (const source of index.sources) {
    const credentials = credentialsIn(source.uri);
    if (credentials) {
      throw new SchedulerError('CREDENTIALS_IN_URI', `cannot publish '${name}': a source URI carries credentials (${credentials}); give the server its credentials through its environment, never in a source URI`);
    }
    if (!policy) continue;
    try {
      await policy.check(resolveUri(source.uri, base));
    } catch (error) {
      throw policyRefusal(error, name) ?? new SchedulerError('SOURCE_NOT_ALLOWED', `cannot publish '${name}': ${messageOf(error)}`, { cause: error });
    }
  }
}
