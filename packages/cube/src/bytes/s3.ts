import type { S3Client } from '@aws-sdk/client-s3';
import { ByteSourceError } from '../errors.js';
import { checkRangedBody } from './content-range.js';
import { countFetch } from './counting.js';
import { checkRange, isTransientStatus, isTransientSystemError, TransientByteSourceError, type ByteRange } from './failures.js';
import type { ByteCounter, ByteSource, ObjectStat, RangeOptions } from './types.js';

/**
 * S3 objects (`s3://bucket/key`) through @aws-sdk/client-s3, which is imported only when the first S3 source is
 * used. Credentials come from the SDK's default chain (environment, profile, instance role) and are never stored
 * here.
 *
 * S3-compatible quirks live here:
 * - Ranges are always `bytes=a-b`, never suffix ranges (`bytes=-N`), which s3rver answers wrongly.
 * - A custom endpoint implies path-style addressing (`http://host/bucket/key`) unless told otherwise.
 * - The SDK's own retries are off (`maxAttempts: 1`): the limits layer retries, so attempts are not multiplied.
 * - Checksums are validated only when required, since S3-compatible servers often do not send them.
 */

export interface S3Options {
  /**
   * Endpoint URL, e.g. `http://127.0.0.1:4568` for a local server (default: `CUBEMARK_S3_ENDPOINT`, then
   * `AWS_ENDPOINT_URL_S3`, then AWS itself).
   */
  endpoint?: string;
  /** Region (default: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then `us-east-1`). */
  region?: string;
  /** Address buckets by path rather than host name (default: true when an endpoint is set). */
  forcePathStyle?: boolean;
}

export interface S3SourceOptions {
  s3?: S3Options;
  /** Counts every request this source makes. */
  counter?: ByteCounter;
}

/** The client settings a source uses, after options and environment are combined. */
export interface S3ClientConfig {
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
}

export function resolveS3Config(options: S3Options = {}, env: NodeJS.ProcessEnv = process.env): S3ClientConfig {
  const endpoint = options.endpoint ?? (env.CUBEMARK_S3_ENDPOINT || env.AWS_ENDPOINT_URL_S3 || undefined);
  return {
    endpoint,
    region: options.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1'),
    forcePathStyle: options.forcePathStyle ?? endpoint !== undefined,
  };
}

export interface S3Location {
  bucket: string;
  key: string;
}

/** Split `s3://bucket/key`; the key is taken literally (no percent-decoding), as the AWS CLI does. */
export function parseS3Uri(uri: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/(.+)$/i.exec(uri);
  if (!m) throw new ByteSourceError('BAD_URI', uri, 'an S3 URI must look like s3://bucket/key');
  return { bucket: m[1], key: m[2] };
}

type Sdk = typeof import('@aws-sdk/client-s3');

interface ClientEntry {
  client: Promise<{ sdk: Sdk; client: S3Client }>;
  users: number;
}

/** One client per endpoint configuration, shared by every source using it and destroyed with the last one. */
const clients = new Map<string, ClientEntry>();

function acquireClient(config: S3ClientConfig): ClientEntry {
  const key = JSON.stringify(config);
  let entry = clients.get(key);
  if (!entry) {
    entry = { client: createClient(config), users: 0 };
    clients.set(key, entry);
  }
  entry.users += 1;
  return entry;
}

/** How many S3 clients are alive (each shared by every open source with the same endpoint configuration). */
export function activeS3Clients(): number {
  return clients.size;
}

function releaseClient(config: S3ClientConfig, entry: ClientEntry): void {
  entry.users -= 1;
  if (entry.users > 0) return;
  const key = JSON.stringify(config);
  if (clients.get(key) === entry) clients.delete(key);
  entry.client.then(({ client }) => client.destroy()).catch(() => undefined);
}

function createClient(config: S3ClientConfig): Promise<{ sdk: Sdk; client: S3Client }> {
  // Retries are ours (withLimits): the SDK's own would multiply them.
  return buildS3Client(config, { maxAttempts: 1 });
}

/**
 * An S3 client for any S3-compatible endpoint, with the SDK imported only now. Checksums are validated only where
 * the API requires them (local S3-compatible servers often send none). Shared by every S3 user in the project.
 */
export async function buildS3Client(config: S3ClientConfig, options: { maxAttempts?: number } = {}): Promise<{ sdk: Sdk; client: S3Client }> {
  const sdk = await import('@aws-sdk/client-s3');
  // The SDK warns once per process about Node < 22 when a client is built, unless this variable is set; set it
  // only while building so the process environment is left as it was.
  const quiet = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
  const before = process.env[quiet];
  process.env[quiet] = 'true';
  try {
    const client = new sdk.S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      ...(options.maxAttempts !== undefined && { maxAttempts: options.maxAttempts }),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    return { sdk, client };
  } finally {
    if (before === undefined) delete process.env[quiet];
    else process.env[quiet] = before;
  }
}

export class S3ByteSource implements ByteSource {
  readonly uri: string;
  readonly location: S3Location;
  readonly config: S3ClientConfig;
  private readonly counter?: ByteCounter;
  private lease?: ClientEntry;

  constructor(uri: string, options: S3SourceOptions = {}) {
    this.uri = uri;
    this.location = parseS3Uri(uri);
    this.config = resolveS3Config(options.s3);
    this.counter = options.counter;
  }

  async stat(options?: RangeOptions): Promise<ObjectStat | undefined> {
    const { sdk, client } = await this.client();
    countFetch(this.counter, 0);
    try {
      const head = await client.send(new sdk.HeadObjectCommand(this.params()), { abortSignal: options?.signal });
      return {
        size: head.ContentLength ?? 0,
        mtime: head.LastModified?.toISOString(),
        etag: head.ETag,
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw this.failure(error);
    }
  }

  async get(options?: RangeOptions): Promise<Uint8Array | undefined> {
    const { sdk, client } = await this.client();
    try {
      const res = await client.send(new sdk.GetObjectCommand(this.params()), { abortSignal: options?.signal });
      const data = await readBody(res.Body);
      countFetch(this.counter, data.length);
      return data;
    } catch (error) {
      countFetch(this.counter, 0);
      if (isNotFound(error)) return undefined;
      throw this.failure(error);
    }
  }

  async getRange(offset: number, length: number, options?: RangeOptions): Promise<Uint8Array> {
    checkRange(this.uri, offset, length);
    const range = { offset, length };
    if (length === 0) return new Uint8Array(0);
    const { sdk, client } = await this.client();
    let data: Uint8Array;
    let contentRange: string | undefined;
    try {
      const res = await client.send(
        new sdk.GetObjectCommand({ ...this.params(), Range: `bytes=${offset}-${offset + length - 1}` }),
        { abortSignal: options?.signal },
      );
      contentRange = res.ContentRange;
      data = await readBody(res.Body);
    } catch (error) {
      countFetch(this.counter, 0);
      // S3 answers 416 only for an existing object whose size is at most `offset`.
      if (statusOf(error) === 416 || nameOf(error) === 'InvalidRange') return new Uint8Array(0);
      throw this.failure(error, range);
    }
    countFetch(this.counter, data.length);
    return checkRangedBody(this.uri, data, contentRange, range);
  }

  async close(): Promise<void> {
    const lease = this.lease;
    this.lease = undefined;
    if (lease) releaseClient(this.config, lease);
  }

  private client(): Promise<{ sdk: Sdk; client: S3Client }> {
    this.lease ??= acquireClient(this.config);
    return this.lease.client;
  }

  private params(): { Bucket: string; Key: string } {
    return { Bucket: this.location.bucket, Key: this.location.key };
  }

  private failure(error: unknown, range?: ByteRange): ByteSourceError {
    const options = { range, cause: error };
    const status = statusOf(error);
    const name = nameOf(error) ?? 'Error';
    const message = error instanceof Error ? error.message : String(error);
    if (isNotFound(error)) {
      const what = name === 'NoSuchBucket' ? `bucket '${this.location.bucket}' does not exist` : 'no such object';
      return new ByteSourceError('NOT_FOUND', this.uri, what, options);
    }
    if (status === 401 || status === 403 || ACCESS_NAMES.has(name)) {
      return new ByteSourceError(
        'ACCESS_DENIED',
        this.uri,
        `access denied (${name}: ${message}); check the credentials (AWS_ACCESS_KEY_ID/AWS_PROFILE) and the ` +
          `bucket policy${this.config.endpoint ? ` for endpoint ${this.config.endpoint}` : ''}`,
        options,
      );
    }
    if (name === 'CredentialsProviderError') {
      return new ByteSourceError(
        'ACCESS_DENIED',
        this.uri,
        `no S3 credentials found (${message}); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE`,
        options,
      );
    }
    const detail = `${name}${status ? ` (HTTP ${status})` : ''}: ${message}`;
    const transient =
      (status !== undefined && isTransientStatus(status)) ||
      TRANSIENT_NAMES.has(name) ||
      (error as { $retryable?: unknown }).$retryable !== undefined ||
      isTransientSystemError(error);
    if (transient) return new TransientByteSourceError(this.uri, detail, { ...options, status });
    if (status === 301 || name === 'PermanentRedirect') {
      return new ByteSourceError(
        'READ_FAILED',
        this.uri,
        `${detail}; the bucket is in another region than ${this.config.region} (set AWS_REGION)`,
        options,
      );
    }
    return new ByteSourceError('READ_FAILED', this.uri, detail, options);
  }
}

const ACCESS_NAMES = new Set([
  'AccessDenied',
  'Forbidden',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
]);
const TRANSIENT_NAMES = new Set([
  'SlowDown',
  'RequestTimeout',
  'InternalError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeTooSkewed',
]);

function statusOf(error: unknown): number | undefined {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | undefined)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

function nameOf(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

function isNotFound(error: unknown): boolean {
  const name = nameOf(error);
  return statusOf(error) === 404 || name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchBucket';
}

async function readBody(body: { transformToByteArray(): Promise<Uint8Array> } | undefined): Promise<Uint8Array> {
  return body ? body.transformToByteArray() : new Uint8Array(0);
}
