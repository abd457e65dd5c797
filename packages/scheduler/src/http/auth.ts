import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { unwatchFile, watchFile } from 'node:fs';
import type { FastifyRequest } from 'fastify';
import type { Logger } from '../plugins/types.js';
import { HttpError } from './errors.js';

/**
 * Who may read and who may write. Two scopes: `read` (every GET of publications and their data) and `write`
 * (publish, unpublish, persist, reload; a write token reads too). Reads are open unless a read token is configured.
 * Writes need a write token; a server with none refuses writes (WRITES_DISABLED) unless `allowUnauthenticatedWrites`
 * is set: a server that forgot its token must not quietly accept anyone's writes.
 *
 * Tokens are compared as SHA-256 digests with `timingSafeEqual`, against every configured token (no early exit), so
 * neither a token nor which one matched can be learned from timings. Only token names are ever logged.
 */
export interface AccessOptions {
  /** A write token, named `token` in logs (`--token`, `CUBEMARK_TOKEN`). */
  token?: string;
  /** A read token, named `read-token` in logs (`--read-token`): once any read token exists, reads need one. */
  readToken?: string;
  /**
   * A JSON file of named tokens, `{"tokens": [{"name", "scope": "read"|"write", "token"|"sha256"}]}` (`sha256`: the
   * hex digest of the token, so the file need not hold the secret). Re-read when it changes and on
   * `SchedulerServer.reloadTokens()` (`cubemark serve` calls it on SIGHUP); a file that fails to load keeps the
   * previous tokens and logs why (never its content).
   */
  tokensFile?: string;
  /** Accept writes when no write token is configured (trusted networks and tests only). */
  allowUnauthenticatedWrites?: boolean;
}

/** @deprecated The old name of `AccessOptions`. */
export type WriteAccess = AccessOptions;

export type TokenScope = 'read' | 'write';

interface Token {
  name: string;
  scope: TokenScope;
  digest: Buffer;
}

/** Who a request was made by, once its token matched. */
export interface Caller {
  name: string;
  scope: TokenScope;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** How often a tokens file is looked at for changes (fs.watchFile polls: it survives editors' atomic renames). */
const WATCH_INTERVAL_MS = 1000;

/** The tokens a server accepts, from its options and its tokens file; `check` is what routes call. */
export class AccessControl {
  private fixed: Token[] = [];
  private fromFile: Token[] = [];
  private watching = false;
  private readonly onChange = () => void this.reload();

  constructor(
    private readonly options: AccessOptions,
    private readonly log: Logger,
  ) {
    if (options.token) this.fixed.push({ name: 'token', scope: 'write', digest: digest(options.token) });
    if (options.readToken) this.fixed.push({ name: 'read-token', scope: 'read', digest: digest(options.readToken) });
  }

  private get tokens(): Token[] {
    return [...this.fixed, ...this.fromFile];
  }

  /** Whether reads need a token (a read token is configured). */
  get readsClosed(): boolean {
    return this.tokens.some((t) => t.scope === 'read');
  }

  /** Whether any write token is configured (the OpenAPI document then lists bearer security on writes). */
  get writesNeedToken(): boolean {
    return this.tokens.some((t) => t.scope === 'write') || !this.options.allowUnauthenticatedWrites;
  }

  /**
   * Load the tokens file (if any) and watch it. Rejects at start when it cannot be loaded: a server must not start
   * open because its tokens file has a typo.
   */
  async start(): Promise<void> {
    if (!this.options.tokensFile) return;
    this.fromFile = await loadTokens(this.options.tokensFile);
    this.log.info(`tokens: ${describe(this.fromFile)} from ${this.options.tokensFile}`);
    if (!this.watching) {
      this.watching = true;
      watchFile(this.options.tokensFile, { interval: WATCH_INTERVAL_MS, persistent: false }, this.onChange);
    }
  }

  /** Re-read the tokens file; on failure keep the tokens in force and log why. Resolves to whether it loaded. */
  async reload(): Promise<boolean> {
    if (!this.options.tokensFile) return false;
    try {
      this.fromFile = await loadTokens(this.options.tokensFile);
      this.log.info(`tokens reloaded: ${describe(this.fromFile)} from ${this.options.tokensFile}`);
      return true;
    } catch (error) {
      this.log.warn(`tokens file ${this.options.tokensFile} not reloaded, the previous tokens stay in force: ${(error as Error).message}`);
      return false;
    }
  }

  close(): void {
    // Only this server's listener: another server may watch the same file.
    if (this.watching && this.options.tokensFile) unwatchFile(this.options.tokensFile, this.onChange);
    this.watching = false;
  }

  /** The caller a request's `Authorization` names, or `undefined` without one; throws for a token that matches none. */
  private caller(authorization: string | undefined): Caller | undefined {
    if (authorization === undefined) return undefined;
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (!match) return undefined;
    const presented = digest(match[1]);
    // Every token compared, whatever matched: the time taken does not depend on which one (or none) did.
    let found: Token | undefined;
    for (const t of this.tokens) {
      if (timingSafeEqual(presented, t.digest) && !found) found = t;
    }
    if (!found) throw new HttpError(403, 'FORBIDDEN', 'the bearer token is not one this server accepts');
    return { name: found.name, scope: found.scope };
  }

  /** A read: open unless a read token is configured; then any configured token. */
  checkRead(authorization: string | undefined): Caller | undefined {
    // Open reads ignore any token sent: a client with a stale one still reads what everyone may.
    if (!this.readsClosed) return undefined;
    const caller = this.caller(authorization);
    if (!caller) {
      throw new HttpError(401, 'UNAUTHORIZED', 'reads on this server need an `Authorization: Bearer <token>` header with a read or write token', {
        'www-authenticate': 'Bearer realm="cubemark"',
      });
    }
    return caller;
  }

  /** A write: a write-scope token, or an open server (`allowUnauthenticatedWrites`) without one. */
  checkWrite(authorization: string | undefined): Caller | undefined {
    const writers = this.tokens.some((t) => t.scope === 'write');
    if (!writers) {
      if (this.options.allowUnauthenticatedWrites) return undefined;
      throw new HttpError(
        403,
        'WRITES_DISABLED',
        'this server has no write token, so it refuses writes: start it with --token T (or CUBEMARK_TOKEN, or --tokens FILE), or with --insecure-writes on a trusted network',
      );
    }
    const caller = this.caller(authorization);
    if (!caller) {
      throw new HttpError(401, 'UNAUTHORIZED', 'writes need an `Authorization: Bearer <token>` header (cubemark --token T, or CUBEMARK_TOKEN)', {
        'www-authenticate': 'Bearer realm="cubemark"',
      });
    }
    if (caller.scope !== 'write') throw new HttpError(403, 'INSUFFICIENT_SCOPE', `the token '${caller.name}' may read but not write`);
    return caller;
  }
}

function describe(tokens: Token[]): string {
  const read = tokens.filter((t) => t.scope === 'read').map((t) => t.name);
  const write = tokens.filter((t) => t.scope === 'write').map((t) => t.name);
  return `write: ${write.join(', ') || 'none'}; read: ${read.join(', ') || 'none'}`;
}

/** The tokens of a tokens file; throws with a message that names the file and entry, never a token. */
export async function loadTokens(path: string): Promise<Token[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text, which holds tokens.
    throw new Error(`${path} is not valid JSON; expected {"tokens": [{"name", "scope", "token" or "sha256"}]}`);
  }
  const entries = (json as { tokens?: unknown })?.tokens;
  if (!Array.isArray(entries)) throw new Error(`${path}: expected {"tokens": [...]}`);
  const names = new Set<string>();
  return entries.map((entry: unknown, i) => {
    const e = entry as Record<string, unknown>;
    const where = `${path}: tokens[${i}]`;
    if (typeof e?.name !== 'string' || e.name === '' || e.name.length > 100) throw new Error(`${where}: "name" must be a non-empty string`);
    if (names.has(e.name)) throw new Error(`${where}: the name '${e.name}' is used twice`);
    names.add(e.name);
    if (e.scope !== 'read' && e.scope !== 'write') throw new Error(`${where} (${e.name}): "scope" must be "read" or "write"`);
    if (typeof e.token === 'string' && e.token.length >= 1 && e.sha256 === undefined) {
      return { name: e.name, scope: e.scope, digest: digest(e.token) };
    }
    if (typeof e.sha256 === 'string' && /^[0-9a-f]{64}$/i.test(e.sha256) && e.token === undefined) {
      return { name: e.name, scope: e.scope, digest: Buffer.from(e.sha256, 'hex') };
    }
    throw new Error(`${where} (${e.name}): give exactly one of "token" or "sha256" (64 hex digits)`);
  });
}

/** The caller a request was authenticated as, for logs (by name only). */
export function callerOf(request: FastifyRequest): Caller | undefined {
  return (request as FastifyRequest & { caller?: Caller }).caller;
}

function setCaller(request: FastifyRequest, caller: Caller | undefined): void {
  (request as FastifyRequest & { caller?: Caller }).caller = caller;
}

/** What a write route declares: the check run before its handler, and the OpenAPI security it needs. */
export function writeRoute(access: AccessControl): { check: (request: FastifyRequest) => Promise<void>; security: { bearer: never[] }[] } {
  return {
    // onRequest, before the body is read: an unauthenticated client cannot make the server parse 32 MiB.
    check: async (request) => setCaller(request, access.checkWrite(request.headers.authorization)),
    security: access.writesNeedToken ? [{ bearer: [] }] : [],
  };
}

/** The check of a read route (every GET under /publications and /resident). */
export function readCheck(access: AccessControl): (request: FastifyRequest) => Promise<void> {
  return async (request) => setCaller(request, access.checkRead(request.headers.authorization));
}
