import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookupAll } from 'node:dns/promises';
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ipaddr from 'ipaddr.js';
import { ByteSourceError } from '../errors.js';
import { uriScheme } from './uri.js';

/**
 * Which sources a server may read: local files under its data roots, remote objects under its allowed URL
 * prefixes, nothing else. The one place these rules live; a `SourcePool` (and `openByteSource`) given a policy
 * enforces it on every open, and callers that check before reading (a publish, a restore) ask it the same way.
 *
 * - Local paths are checked after symlinks and `..` are resolved (realpath), and the real path is what is opened.
 *   A path that does not exist is refused unless it lies (lexically) under a root, so a refusal never tells whether
 *   a file outside the roots exists.
 * - `http(s)://` and `s3://` URIs must start with an allowed prefix (compared after URL normalisation, so
 *   `%2e%2e` and `..` cannot climb out of it). HTTP fetches are made through `policy.fetch`, which refuses
 *   loopback, link-local, private, unique-local, CGNAT, multicast and other non-public addresses unless the allowed
 *   prefix names that address itself (`http://127.0.0.1:9000/`, or `localhost` for loopback). The check is made on
 *   the address DNS gave, and the connection goes to that very address (no second lookup to rebind); every
 *   redirect is checked again, prefix and address.
 * - URIs carrying credentials (`user:pass@`, signed-URL parameters such as `X-Amz-Signature`) are refused
 *   (`CREDENTIALS_IN_URI`): they would be stored with the publication and shown to every reader.
 *
 * Refusals are `ByteSourceError`s of code `SOURCE_NOT_ALLOWED` (or `CREDENTIALS_IN_URI`) whose message names the
 * URI as given and the rule, never anything read from the object.
 */
export interface SourcePolicyOptions {
  /** Local directories sources may be read under, after symlinks are resolved (default: none: no local source). */
  roots?: readonly string[];
  /**
   * URI prefixes remote sources may be read under: `https://host/path/`, `http://127.0.0.1:9000/`,
   * `s3://bucket/prefix/` (default: none: no remote source).
   */
  allowUrls?: readonly string[];
  /** Redirects an HTTP fetch follows, each checked (default: 5). */
  maxRedirects?: number;
  /** Resolves host names for HTTP fetches, all addresses (default: `dns.lookup`; tests give their own). */
  lookup?: (hostname: string) => Promise<LookupAddress[]>;
}

/** A `fetch` as `HttpByteSource` calls it. */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; signal?: AbortSignal }) => Promise<Response>;

/** Query parameters that carry credentials in presigned or tokenised URLs (lower case). */
const CREDENTIAL_PARAMS = new Set([
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'x-goog-signature',
  'x-goog-credential',
  'awsaccesskeyid',
  'signature',
  'sig',
  'token',
  'access_token',
  'api_key',
  'apikey',
  'password',
  'secret',
]);

/**
 * Why `uri` carries credentials (`user:pass@`, a signed-URL parameter), or `undefined`. Checked on every URI a
 * publication records, so that no secret is ever written to the store or served to readers.
 */
export function credentialsIn(uri: string): string | undefined {
  const scheme = uriScheme(uri);
  if (scheme === undefined || scheme === 'file') return undefined;
  const authority = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)/.exec(uri)?.[1];
  if (authority?.includes('@')) return 'a user name or password before @';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  for (const key of url.searchParams.keys()) {
    if (CREDENTIAL_PARAMS.has(key.toLowerCase())) return `the query parameter ${key}`;
  }
  return undefined;
}

/** Whether `address` is anything but a public unicast address (loopback, private, link-local, metadata, ...). */
export function isNonPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  return ipaddr.process(address).range() !== 'unicast';
}

function denied(uri: string, message: string): ByteSourceError {
  return new ByteSourceError('SOURCE_NOT_ALLOWED', uri, message);
}

/** The host of a URL without IPv6 brackets. */
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

interface AllowedPrefix {
  /** Normalised prefix (`https://host/path/`, `s3://bucket/prefix/`). */
  prefix: string;
  scheme: string;
}

/**
 * The rules a pool reads under (see `SourcePolicyOptions`). An interface, not the class, so that copies of this
 * package built separately (sources and compiled output in one program) accept each other's policies.
 */
export interface SourcePolicy {
  /** The data roots as configured, absolute. */
  readonly roots: readonly string[];
  /** The allowed URL prefixes, normalised. */
  readonly allowUrls: readonly string[];
  /** One line for a log: what the server may read. */
  describe(): string;
  /**
   * Check a resolved URI (a path, `file:`, `s3://`, `http(s)://`) against the rules; resolves to the URI or path to
   * open (a local file's real path). Rejects with `SOURCE_NOT_ALLOWED` or `CREDENTIALS_IN_URI`.
   */
  check(uri: string): Promise<string>;
  /** The synchronous rules for a remote URI (scheme, allowed prefix, credentials); throws. */
  checkRemote(uri: string): void;
  /** A local path or `file:` URI: its real path, when that lies under a data root; rejects otherwise. */
  admitLocal(uri: string): Promise<string>;
  /** Whether a connection for `url` may go to `address`. */
  addressAllowed(url: URL, address: string): boolean;
  /** `fetch` confined to the rules: prefixes and addresses checked on every connection and redirect. */
  readonly fetch: FetchLike;
  /** Close the connections `fetch` keeps open. */
  close(): Promise<void>;
}

class Policy implements SourcePolicy {
  readonly roots: readonly string[];
  readonly allowUrls: readonly string[];
  private readonly prefixes: AllowedPrefix[];
  private readonly maxRedirects: number;
  private readonly lookup: (hostname: string) => Promise<LookupAddress[]>;
  private realRoots?: Promise<string[]>;
  private dispatcher?: Promise<{ fetch: FetchLike; close(): Promise<void> }>;

  constructor(options: SourcePolicyOptions = {}) {
    this.roots = (options.roots ?? []).map((r) => resolve(/^file:/i.test(r) ? fileURLToPath(r) : r));
    this.prefixes = (options.allowUrls ?? []).map(normalisePrefix);
    this.allowUrls = this.prefixes.map((p) => p.prefix);
    this.maxRedirects = options.maxRedirects ?? 5;
    this.lookup = options.lookup ?? ((hostname) => dnsLookupAll(hostname, { all: true }));
  }

  /** One line for a log: what the server may read. */
  describe(): string {
    const roots = this.roots.length ? this.roots.join(', ') : 'none';
    const urls = this.allowUrls.length ? this.allowUrls.join(', ') : 'none';
    return `data roots: ${roots}; allowed URLs: ${urls}`;
  }

  /**
   * Check a resolved URI (a path, `file:`, `s3://`, `http(s)://`) against the rules; resolves to the URI or path to
   * open (a local file's real path). Rejects with `SOURCE_NOT_ALLOWED` or `CREDENTIALS_IN_URI`.
   */
  async check(uri: string): Promise<string> {
    const scheme = uriScheme(uri);
    if (scheme === undefined || scheme === 'file') return this.admitLocal(uri);
    this.checkRemote(uri);
    return uri;
  }

  /**
   * The synchronous part of the rules, for remote URIs: scheme, allowed prefix, credentials. Throws. Addresses are
   * checked when connecting (`fetch`).
   */
  checkRemote(uri: string): void {
    const credentials = credentialsIn(uri);
    if (credentials) {
      throw new ByteSourceError('CREDENTIALS_IN_URI', redact(uri), `the URI carries credentials (${credentials}); give the server its credentials through its environment, not in a source URI`);
    }
    const scheme = uriScheme(uri);
    if (scheme !== 's3' && scheme !== 'http' && scheme !== 'https') {
      throw denied(uri, `the scheme ${scheme ?? '(none)'}: is not one this server reads`);
    }
    const normal = normaliseUri(uri, scheme);
    if (normal === undefined) throw denied(uri, 'not a URI this server can check (malformed, or with . or .. segments)');
    if (!this.prefixes.some((p) => underPrefix(normal, p))) {
      throw denied(uri, `not under a URL this server is allowed to read (${this.allowUrls.length ? this.allowUrls.join(', ') : 'none configured: start it with --allow-url PREFIX'})`);
    }
  }

  /** A local path or `file:` URI: its real path, when that lies under a data root. */
  async admitLocal(uri: string): Promise<string> {
    let path: string;
    try {
      path = resolve(/^file:/i.test(uri) ? fileURLToPath(uri) : uri);
    } catch {
      throw new ByteSourceError('BAD_URI', uri, 'not a valid file: URI (expected file:///absolute/path)');
    }
    const roots = await this.resolvedRoots();
    const where = () => `${this.roots.length ? this.roots.join(', ') : 'none configured'}; a server's operator adds one with --data-root DIR`;
    let real: string;
    try {
      real = await realpath(path);
    } catch {
      // Missing or unreadable: refused unless it lies under a root as written, so nothing is told about other paths.
      if (roots.some((r) => inside(r, path)) || this.roots.some((r) => inside(r, path))) return path;
      throw denied(uri, `outside the server's data roots (${where()})`);
    }
    if (!roots.some((r) => inside(r, real))) {
      // The same words as for a missing file: a refusal tells nothing of what exists outside the roots.
      throw denied(uri, `outside the server's data roots (${where()})`);
    }
    return real;
  }

  /** Whether a connection for `url` may go to `address` (see the class comment). */
  addressAllowed(url: URL, address: string): boolean {
    if (!isNonPublicAddress(address)) return true;
    const host = bareHost(url).toLowerCase();
    if (host === 'localhost') return ipaddr.isValid(address) && ipaddr.process(address).range() === 'loopback';
    if (!ipaddr.isValid(host)) return false;
    return ipaddr.process(host).toNormalizedString() === ipaddr.process(address).toNormalizedString();
  }

  /**
   * `fetch` through this policy: the URL (and every redirect's) checked against the allowed prefixes, each
   * connection's address against the non-public ranges, on the address actually connected to.
   */
  readonly fetch: FetchLike = async (url, init) => {
    const client = await this.client();
    let current = url;
    for (let hop = 0; ; hop++) {
      this.checkRemote(current);
      const parsed = new URL(current);
      const host = bareHost(parsed);
      if (ipaddr.isValid(host) && !this.addressAllowed(parsed, host)) throw this.addressDenied(current, host);
      let res: Response;
      try {
        res = await client.fetch(current, { ...init, redirect: 'manual' } as Parameters<FetchLike>[1]);
      } catch (error) {
        throw policyErrorIn(error) ?? error;
      }
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || location === null) return res;
      await res.body?.cancel().catch(() => undefined);
      if (hop >= this.maxRedirects) throw denied(url, `more than ${this.maxRedirects} redirects`);
      current = new URL(location, current).href;
    }
  };

  /** Close the connections `fetch` keeps open. */
  async close(): Promise<void> {
    const dispatcher = this.dispatcher;
    this.dispatcher = undefined;
    if (dispatcher) await (await dispatcher).close();
  }

  private addressDenied(uri: string, address: string): ByteSourceError {
    return denied(
      uri,
      `its host resolves to ${address}, a loopback, private, link-local or otherwise non-public address; an allowed URL must name that address itself (--allow-url http://${address.includes(':') ? `[${address}]` : address}:PORT/) for the server to read from it`,
    );
  }

  private resolvedRoots(): Promise<string[]> {
    this.realRoots ??= Promise.all(this.roots.map((r) => realpath(r).catch(() => r)));
    return this.realRoots;
  }

  /** undici's fetch on an agent whose DNS lookup checks every address it returns (imported on first use). */
  private client(): Promise<{ fetch: FetchLike; close(): Promise<void> }> {
    this.dispatcher ??= (async () => {
      const undici = await import('undici');
      const agent = new undici.Agent({
        connect: {
          lookup: (hostname: string, options: object, callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void) => {
            this.lookup(hostname).then((addresses) => {
              const allowed = addresses.filter((a) => this.addressAllowed(new URL(`http://${hostname.includes(':') ? `[${hostname}]` : hostname}/`), a.address));
              if (allowed.length === 0) {
                return callback(new PolicyLookupError(this.addressDenied(`http://${hostname}/`, addresses[0]?.address ?? '?')), []);
              }
              if ((options as { all?: boolean }).all) return callback(null, allowed);
              return callback(null, allowed[0].address, allowed[0].family);
            }, (error: Error) => callback(error, []));
          },
        },
      });
      return {
        fetch: (url, init) => undici.fetch(url, { ...init, dispatcher: agent }) as unknown as Promise<Response>,
        close: () => agent.close(),
      };
    })();
    return this.dispatcher;
  }
}

/** A refusal raised inside the connector, carried out of undici's `fetch failed` wrapper. */
class PolicyLookupError extends Error {
  readonly code = 'SOURCE_NOT_ALLOWED';
  constructor(readonly refusal: ByteSourceError) {
    super(refusal.message);
  }
}

function policyErrorIn(error: unknown): ByteSourceError | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 6; depth++) {
    if (e instanceof PolicyLookupError) return e.refusal;
    if (e instanceof ByteSourceError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** A URI with any user info and query removed, for messages about credentials. */
function redact(uri: string): string {
  return uri.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^/?#]*@/, '$1***@').replace(/\?.*$/, '?…');
}

/** `uri` in the form prefixes are compared in, or `undefined` when it cannot be checked safely. */
function normaliseUri(uri: string, scheme: string): string | undefined {
  if (scheme === 's3') {
    const m = /^s3:\/\/([^/?#]+)(\/[^?#]*)?$/i.exec(uri);
    if (!m) return undefined;
    const key = m[2] ?? '/';
    // S3 keys are literal; a `.`/`..` segment would mean one thing to this check and maybe another to a proxy.
    if (key.split('/').some((s) => s === '.' || s === '..')) return undefined;
    return `s3://${m[1].toLowerCase()}${key}`;
  }
  try {
    const url = new URL(uri);
    url.hash = '';
    return url.href;
  } catch {
    return undefined;
  }
}

function normalisePrefix(given: string): AllowedPrefix {
  const scheme = uriScheme(given);
  if (scheme !== 's3' && scheme !== 'http' && scheme !== 'https') {
    throw new ByteSourceError('BAD_URI', given, 'an allowed URL must start with http://, https:// or s3://');
  }
  if (credentialsIn(given)) throw new ByteSourceError('CREDENTIALS_IN_URI', redact(given), 'an allowed URL may not carry credentials');
  const normal = scheme === 's3' && !/^s3:\/\/[^/]+\//i.test(given) ? normaliseUri(`${given}/`, scheme) : normaliseUri(given, scheme);
  if (normal === undefined) throw new ByteSourceError('BAD_URI', given, 'not a URL prefix (scheme://host/path/)');
  return { prefix: normal, scheme };
}

/** `uri` is the prefix itself or lies under it: the prefix ends at `/`, or `uri` continues with `/` or `?`. */
function underPrefix(uri: string, p: AllowedPrefix): boolean {
  if (!uri.startsWith(p.prefix)) return false;
  if (uri.length === p.prefix.length || p.prefix.endsWith('/')) return true;
  return uri[p.prefix.length] === '/' || uri[p.prefix.length] === '?';
}

/** Whether `value` is a policy (rather than options for one). */
export function isSourcePolicy(value: unknown): value is SourcePolicy {
  return typeof value === 'object' && value !== null && typeof (value as SourcePolicy).check === 'function' && typeof (value as SourcePolicy).admitLocal === 'function';
}

/** A policy from options (see `SourcePolicyOptions`), or the policy itself. */
export function createSourcePolicy(options: SourcePolicyOptions | SourcePolicy = {}): SourcePolicy {
  return isSourcePolicy(options) ? options : new Policy(options);
}
