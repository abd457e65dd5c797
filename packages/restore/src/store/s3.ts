import type { S3Client } from '@aws-sdk/client-s3';
import { buildS3Client, resolveS3Config, type S3ClientConfig, type S3Options } from '@cubemark/cube';
import { errorMessage, RestoreError } from '../errors.js';
import { withStoreRetries, type StoreRetryOptions } from './retry.js';
import {
  assertStoreName,
  nameOfFile,
  PUBLICATION_SUFFIX,
  QUARANTINE_DIR,
  stamp,
  STATE_DIR,
  STATE_FILE,
  type StateFile,
  TRASH_DIR,
  type PublicationStore,
  type StoreCallOptions,
  type StoreEntry,
} from './types.js';

/**
 * A bucket and prefix (`s3://bucket/prefix/`) on AWS or any S3-compatible server. The SDK is imported when the
 * store is first used; credentials come from its default chain (environment, profile, instance role).
 *
 * Durability: one PutObject replaces one object atomically — readers see the old object or the new one, never a
 * part — and S3 acknowledges it only once stored durably, so `write` is a single PutObject. S3 has no rename:
 * `trash` and `quarantine` copy then delete, so a crash between the two leaves the file in both places (the
 * publication comes back on the next boot; the trash copy is harmless).
 *
 * Everything, reads included, goes through one SDK client that lives as long as the store, with the store's own
 * retries (`retry.ts`: per-attempt timeout, overall deadline, bodies shorter than their Content-Length retried): @cubemark/cube's byte sources would share a client only while one of them is open, so reading
 * thousands of files one source at a time would build and destroy a client per file. Endpoint and region are
 * resolved exactly as the byte sources resolve them (`resolveS3Config`), so data sources and the store agree.
 *
 * S3-compatible quirks handled here: a custom endpoint implies path-style addressing (as in @cubemark/cube);
 * listing uses a delimiter so the `.trash/`, `.quarantine/` and `.cubemark/` folders are not walked.
 */
export class S3Store implements PublicationStore {
  readonly kind = 's3';
  readonly location: string;
  readonly dataBase: string;
  readonly bucket: string;
  /** Key prefix, empty or ending in `/`. */
  readonly prefix: string;
  private readonly config: S3ClientConfig;
  private readonly retry: StoreRetryOptions;
  private client?: Promise<{ sdk: typeof import('@aws-sdk/client-s3'); client: S3Client }>;

  constructor(uri: string, options: { s3?: S3Options; retry?: StoreRetryOptions } = {}) {
    const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/i.exec(uri);
    if (!m) throw new RestoreError('BAD_STORE_URI', `an S3 store must look like s3://bucket/prefix/, not '${uri}'`);
    this.bucket = m[1];
    const prefix = (m[2] ?? '').replace(/^\/+/, '');
    this.prefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    this.location = `s3://${this.bucket}/${this.prefix}`;
    this.dataBase = this.location;
    this.config = resolveS3Config(options.s3);
    this.retry = options.retry ?? {};
  }

  /**
   * One S3 call, retried on 5xx, throttling, resets and timeouts (each attempt cut off after `attemptTimeoutMs`)
   * until it succeeds or the deadline passes. The SDK's own retries are off: these are the only ones.
   */
  private call<T>(run: (client: S3Client, sdk: typeof import('@aws-sdk/client-s3'), signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.sdk().then(({ sdk, client }) => withStoreRetries((attemptSignal) => run(client, sdk, attemptSignal), { ...this.retry, signal }));
  }

  describe(name: string): string {
    return `${this.location}${name}${PUBLICATION_SUFFIX}`;
  }

  async list(options: StoreCallOptions = {}): Promise<StoreEntry[]> {
    const entries: StoreEntry[] = [];
    let token: string | undefined;
    try {
      do {
        const continuation = token;
        const page = await this.call(
          (client, sdk, abortSignal) =>
            client.send(new sdk.ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, Delimiter: '/', ContinuationToken: continuation }), { abortSignal }),
          options.signal,
        );
        for (const o of page.Contents ?? []) {
          const name = o.Key ? nameOfFile(o.Key.slice(this.prefix.length)) : undefined;
          if (!name) continue;
          entries.push({
            name,
            size: o.Size ?? 0,
            mtime: (o.LastModified ?? new Date(0)).toISOString(),
            ...(o.ETag && { etag: o.ETag }),
          });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw new RestoreError('STORE_UNAVAILABLE', `cannot list the store ${this.location}: ${errorMessage(error)}`, {
        location: this.location,
        cause: error,
      });
    }
    return entries;
  }

  async read(name: string, options: StoreCallOptions = {}): Promise<Uint8Array | undefined> {
    return this.get(this.key(name), options.signal);
  }

  async write(name: string, content: string | Uint8Array, options: StoreCallOptions = {}): Promise<void> {
    await this.put(this.key(name, true), content, options.signal);
  }

  async trash(name: string): Promise<string | undefined> {
    const key = this.key(name);
    const to = `${this.prefix}${TRASH_DIR}/${name}.${stamp()}${PUBLICATION_SUFFIX}`;
    try {
      await this.call((client, sdk, abortSignal) => client.send(new sdk.CopyObjectCommand({ Bucket: this.bucket, Key: to, CopySource: this.copySource(key) }), { abortSignal }));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw this.moveFailed(name, 'trash', error);
    }
    await this.delete(name);
    return `s3://${this.bucket}/${to}`;
  }

  async delete(name: string): Promise<void> {
    try {
      // DeleteObject succeeds for a missing key: nothing to special-case.
      await this.call((client, sdk, abortSignal) => client.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(name) }), { abortSignal }));
    } catch (error) {
      throw this.moveFailed(name, 'delete', error);
    }
  }

  async quarantine(name: string, content: Uint8Array, report: string, options: { removeOriginal?: boolean } = {}): Promise<string> {
    assertStoreName(name, this.location);
    const base = `${this.prefix}${QUARANTINE_DIR}/${name}.${stamp()}`;
    try {
      await this.put(base + PUBLICATION_SUFFIX, content);
      await this.put(`${base}.errors.txt`, report, undefined, 'text/plain; charset=utf-8');
      if (options.removeOriginal) {
        const now = await this.read(name);
        if (now && Buffer.compare(now, content) === 0) await this.delete(name);
      }
    } catch (error) {
      throw this.moveFailed(name, 'quarantine', error);
    }
    return `s3://${this.bucket}/${base}${PUBLICATION_SUFFIX}`;
  }

  readState(file: StateFile = STATE_FILE): Promise<Uint8Array | undefined> {
    return this.get(`${this.prefix}${STATE_DIR}/${file}`);
  }

  writeState(content: string | Uint8Array, file: StateFile = STATE_FILE): Promise<void> {
    return this.put(`${this.prefix}${STATE_DIR}/${file}`, content, undefined, file === STATE_FILE ? 'application/json' : 'application/octet-stream');
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) (await client.catch(() => undefined))?.client.destroy();
  }

  /** The key of a publication file; `writing` asks for a publication name, not just a file of this prefix. */
  private key(name: string, writing = false): string {
    assertStoreName(name, this.location, writing);
    return `${this.prefix}${name}${PUBLICATION_SUFFIX}`;
  }

  private async get(key: string, signal?: AbortSignal): Promise<Uint8Array | undefined> {
    try {
      return await this.call(async (client, sdk, abortSignal) => {
        const res = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal });
        const bytes = res.Body ? await res.Body.transformToByteArray() : new Uint8Array(0);
        // A body cut short by the connection must never be parsed as the file (it would be quarantined as torn).
        if (res.ContentLength !== undefined && bytes.length !== res.ContentLength) {
          throw Object.assign(new Error(`body cut short: ${bytes.length} of ${res.ContentLength} bytes`), { name: 'TruncatedBody' });
        }
        return bytes;
      }, signal);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw new RestoreError('STORE_READ_FAILED', `cannot read s3://${this.bucket}/${key}: ${errorMessage(error)}`, {
        location: this.location,
        key,
        cause: error,
      });
    }
  }

  private async put(key: string, content: string | Uint8Array, signal?: AbortSignal, type = 'text/markdown; charset=utf-8'): Promise<void> {
    try {
      await this.call((client, sdk, abortSignal) => client.send(new sdk.PutObjectCommand({ Bucket: this.bucket, Key: key, Body: content, ContentType: type }), { abortSignal }), signal);
    } catch (error) {
      const attempts = (error as { attempts?: number }).attempts;
      throw new RestoreError('STORE_WRITE_FAILED', `cannot write s3://${this.bucket}/${key}${attempts ? ` (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'})` : ''}: ${errorMessage(error)}`, {
        location: this.location,
        key,
        cause: error,
        statusCode: 503,
      });
    }
  }

  private copySource(key: string): string {
    return `${this.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }

  private sdk(): Promise<{ sdk: typeof import('@aws-sdk/client-s3'); client: S3Client }> {
    return (this.client ??= buildS3Client(this.config, { maxAttempts: 1 }));
  }

  private moveFailed(name: string, what: string, error: unknown): RestoreError {
    return new RestoreError('STORE_MOVE_FAILED', `cannot ${what} ${this.describe(name)}: ${errorMessage(error)}`, {
      location: this.location,
      key: this.key(name),
      cause: error,
    });
  }
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.$metadata?.httpStatusCode === 404 || e?.name === 'NoSuchKey' || e?.name === 'NotFound';
}
