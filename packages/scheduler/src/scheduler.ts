import { setMaxListeners } from 'node:events';
import { randomUUID } from 'node:crypto';
import { isPublicationName, parse, type HeldState, type ParseLimits, type Publication, type PublicationInfo, type PublicationSource } from '@cubemark/format';
import { createSourcePool, type SourcePool } from '@cubemark/cube';
import {
  InvalidPublicationError,
  PublicationExistsError,
  PublicationNotFoundError,
  SchedulerError,
  messageOf,
} from './errors.js';
import { KeyedLock } from './lock.js';
import { assertValidName } from './names.js';
import { PluginHost, withContent, type Previous } from './plugins/host.js';
import type {
  Logger,
  PublishEvent,
  PublishOrigin,
  SchedulerHandle,
  UnpublishEvent,
  SchedulerPlugin,
} from './plugins/types.js';
import { DEFAULT_MODEL_CACHE_BYTES, DEFAULT_MODEL_CACHE_COUNT, HeldCache } from './publication/cache.js';
import { PublicationContent, isPublicationSource } from './publication/content.js';
import { HeldPublication } from './publication/held.js';
import { MemoryRegistry } from './registry/memory.js';
import type { PublicationRecord, PublicationRegistry } from './registry/types.js';
import { ResidentSet, bytesHeld, type ResidencyReport, type ResidentEntry } from './residency/resident.js';
import { cfLoader } from './sources/cf.js';
import type { SourceLoader } from './sources/loader.js';

/** Default residency budget: 512 MiB. */
export const DEFAULT_RESIDENT_BUDGET = 512 * 1024 * 1024;
/** How long `get` waits for a name announced with `expect` (default: 30 s). */
export const DEFAULT_EXPECT_TIMEOUT_MS = 30_000;
/** How long plugins' `stop` hooks get before their signal aborts (default: 10 s). */
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;

export interface SchedulerOptions {
  /** Plugins, in the order their hooks run (default: none). Names must be unique. */
  plugins?: readonly SchedulerPlugin[];
  /** Where records are kept (default: an in-process `MemoryRegistry`). */
  registry?: PublicationRegistry;
  /** Byte sources for lazy reads and loading (default: `createSourcePool({ base: dataBase })`); `close()` closes it. */
  pool?: SourcePool;
  /** Directory (or URL prefix) relative source URIs are resolved against (default: none, i.e. the working directory). */
  dataBase?: string;
  /** Builds publications from data sources (default: the CF loader of @cubemark/cube; `noLoader` refuses them). */
  loader?: SourceLoader;
  /** Bytes `persist` may hold in memory across all publications (default: 512 MiB). */
  residentBudget?: number;
  /** How long `get` waits for an expected (restoring) name before PUBLICATION_RESTORING (default: 30 s). */
  expectTimeoutMs?: number;
  /** How long `stop` hooks get before their signal aborts (default: 10 s). */
  stopTimeoutMs?: number;
  /** Where the scheduler and plugins log (default: lines on stderr). */
  log?: Logger;
  /** Limits for parsing published documents (default: the format's). */
  parseLimits?: Partial<ParseLimits>;
  /**
   * Bounds of the cache of recently used publications (default: 1,024 publications, 256 MiB). A publication
   * published as a `PublicationSource` (restored) is held as text and its model built when a request needs it;
   * built models are kept only while their publication is in this cache. `bytes` counts ~3 bytes of heap per
   * byte of text for a built model, plus cached JSON descriptions.
   */
  modelCache?: { count?: number; bytes?: number };
}

/**
 * What can be published: a `.cube.md` document (text or bytes), data sources to load lazily (with the configured
 * loader), a publication model with its prose, or a `PublicationSource` (an index, and a way to build the model
 * when it is first needed: what the restore plugin publishes).
 */
export type PublishInput =
  | string
  | Uint8Array
  | { sources: readonly string[]; title?: string }
  | { publication: Publication; body?: string }
  | { source: PublicationSource };

export interface PublishOptions {
  /** Replace a publication of the same name (default: false; without it an existing name is PUBLICATION_EXISTS). */
  replace?: boolean;
  /** Who publishes (default: `client`), passed to plugins. */
  origin?: PublishOrigin;
  /** Initial state (default: `ready`). */
  state?: HeldState;
  /** Warnings to keep with the publication (added to any from loading). */
  warnings?: readonly string[];
  /** File name used in format error messages (default: `<name>.cube.md`). */
  file?: string;
}

export interface PublishResult {
  name: string;
  replaced: boolean;
  state: HeldState;
  cubes: number;
  warnings: string[];
  publishedAt: string;
}

export interface UnpublishResult {
  name: string;
  /** Warnings from plugins whose `unpublish` hook failed (the publication is gone regardless). */
  warnings: string[];
}

export interface PersistResult {
  name: string;
  /** Bytes now held for this publication. */
  bytes: number;
  /** Publications evicted to make room, least recently used first. */
  evicted: string[];
  residency: ResidencyReport;
  /** Warnings from plugins whose `persist` hook failed. */
  warnings: string[];
}

export interface GetOptions {
  /** How long to wait for an expected name (default: the scheduler's `expectTimeoutMs`). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface CloseResult {
  /** Failures of plugins' `stop` hooks. */
  warnings: string[];
}

/**
 * Holds publications (metadata, prose, lazy data access), runs plugins, and keeps persisted data under a byte
 * budget. Create with `createScheduler`, call `start()`, and `close()` when done.
 */
export interface Scheduler {
  readonly log: Logger;
  /** Run plugins' `start` hooks; a failure aborts with PLUGIN_START_FAILED naming the plugin. */
  start(): Promise<void>;
  publish(name: string, input: PublishInput, options?: PublishOptions): Promise<PublishResult>;
  /** Remove a publication; PUBLICATION_NOT_FOUND if there is none (waits for an expected name first). */
  unpublish(name: string, options?: { origin?: PublishOrigin }): Promise<UnpublishResult>;
  /** Every publication, and every expected one (state `restoring`), by name. */
  /** One `PublicationInfo` (the format's wire type) per publication. */
  list(): Promise<PublicationInfo[]>;
  /** A publication; waits for an expected name (up to a timeout); PUBLICATION_NOT_FOUND otherwise. */
  get(name: string, options?: GetOptions): Promise<HeldPublication>;
  /** Announce names that will be published soon: `get` waits for them instead of failing (invalid names are skipped). */
  expect(names: readonly string[], options?: { onWait?: (name: string) => void }): void;
  /** An expected name will not come: waiting `get`s fail with PUBLICATION_ABANDONED carrying `reason`. */
  abandon(name: string, reason: string): void;
  /** Read a publication's data into memory (evicting least recently used ones to stay within the budget). */
  persist(name: string): Promise<PersistResult>;
  /** Drop a publication's resident data; resolves whether there was any. */
  release(name: string): Promise<boolean>;
  /** What is in memory. */
  residency(): ResidencyReport;
  /** Stop plugins (reverse order), drop resident data, close byte sources. */
  close(): Promise<CloseResult>;
}

type Status = 'new' | 'starting' | 'running' | 'failed' | 'closing' | 'closed';

interface Waiting {
  promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
  /** The announcing plugin's wish to hear that someone waits (to restore this name next). */
  onWait?: (name: string) => void;
}

const defaultLog: Logger = {
  info: (m) => process.stderr.write(`cubemark scheduler: ${m}\n`),
  warn: (m) => process.stderr.write(`cubemark scheduler: warning: ${m}\n`),
  error: (m) => process.stderr.write(`cubemark scheduler: error: ${m}\n`),
};

/** A scheduler; nothing runs until `start()`. */
export function createScheduler(options: SchedulerOptions = {}): Scheduler {
  return new SchedulerImpl(options);
}

interface Resolved {
  content: PublicationContent;
  warnings: string[];
}

class SchedulerImpl implements Scheduler {
  readonly log: Logger;
  private readonly host: PluginHost;
  private readonly registry: PublicationRegistry;
  private readonly pool: SourcePool;
  private readonly loader: SourceLoader;
  private readonly resident: ResidentSet;
  private readonly lock = new KeyedLock();
  /** Names this process knows are held (the handle's synchronous `list`). */
  private readonly known = new Set<string>();
  private readonly expected = new Map<string, Waiting>();
  private readonly abandoned = new Map<string, string>();
  private readonly cache: HeldCache;
  private readonly persisting = new Map<string, Promise<PersistResult>>();
  private readonly controller = new AbortController();
  private evictionSink?: string[];
  private status: Status = 'new';
  private starting?: Promise<void>;

  constructor(private readonly options: SchedulerOptions) {
    // Plugins and every request in flight share this signal: many listeners are expected, not a leak.
    setMaxListeners(0, this.controller.signal);
    this.log = options.log ?? defaultLog;
    this.host = new PluginHost(options.plugins ?? [], this.log);
    this.registry = options.registry ?? new MemoryRegistry();
    this.pool = options.pool ?? createSourcePool({ base: options.dataBase });
    this.loader = options.loader ?? cfLoader;
    const budget = options.residentBudget ?? DEFAULT_RESIDENT_BUDGET;
    if (!(budget >= 0)) throw new SchedulerError('INVALID_CONFIG', `residentBudget must be a number of bytes >= 0, not ${budget}`);
    this.resident = new ResidentSet(budget, (entry) => this.evicted(entry));
    this.cache = new HeldCache(options.modelCache?.count ?? DEFAULT_MODEL_CACHE_COUNT, options.modelCache?.bytes ?? DEFAULT_MODEL_CACHE_BYTES);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Lifecycle

  start(): Promise<void> {
    this.starting ??= this.doStart();
    return this.starting;
  }

  private async doStart(): Promise<void> {
    if (this.status !== 'new') throw new SchedulerError('NOT_RUNNING', 'the scheduler was closed; create a new one');
    this.status = 'starting';
    // A shared registry may already hold publications (another process published them).
    for (const record of await this.registry.list()) this.known.add(record.name);
    try {
      await this.host.start((plugin) => ({ scheduler: this.handleFor(plugin), signal: this.controller.signal }), this.controller.signal);
    } catch (error) {
      this.status = 'failed';
      throw error;
    }
    this.status = 'running';
  }

  async close(): Promise<CloseResult> {
    if (this.status === 'closing' || this.status === 'closed') return { warnings: [] };
    const wasStarted = this.status === 'running' || this.status === 'starting';
    this.status = 'closing';
    this.controller.abort(new SchedulerError('NOT_RUNNING', 'the scheduler is shutting down'));
    for (const [name, waiting] of this.expected) {
      waiting.reject(new SchedulerError('NOT_RUNNING', `the scheduler shut down before '${name}' was restored`));
    }
    this.expected.clear();
    const stopSignal = AbortSignal.timeout(this.options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
    const warnings = wasStarted ? await this.host.stop(stopSignal) : [];
    // Plugins are stopped: dropping resident data now tells nobody (persist hooks would fire after stop).
    this.evictionSink = [];
    this.resident.clear();
    this.evictionSink = undefined;
    this.cache.clear();
    try {
      await this.pool.close();
    } catch (error) {
      warnings.push(`closing byte sources failed: ${messageOf(error)}`);
    }
    this.status = 'closed';
    return { warnings };
  }

  private assertWritable(): void {
    if (this.status !== 'running' && this.status !== 'starting') {
      throw new SchedulerError(
        'NOT_RUNNING',
        this.status === 'new' ? 'the scheduler has not been started: call start() first' : `the scheduler is ${this.status}`,
      );
    }
  }

  private handleFor(plugin: SchedulerPlugin): SchedulerHandle {
    return {
      publish: async (name, publication, o) => {
        const input: PublishInput = isPublicationSource(publication) ? { source: publication } : { publication, body: o.body };
        await this.publishAs(plugin, name, input, { origin: o.origin, replace: o.replace, state: o.state, warnings: o.warnings });
      },
      unpublish: async (name, o) => {
        try {
          await this.unpublishAs(plugin, name, o.origin);
          return true;
        } catch (error) {
          if (error instanceof SchedulerError && error.code === 'PUBLICATION_NOT_FOUND') return false;
          throw error;
        }
      },
      expect: (names, options) => this.expect(names, options),
      abandon: (name, reason) => this.abandon(name, reason),
      persist: async (name) => {
        await this.persist(name);
      },
      list: () => [...this.known].sort(),
      log: this.log,
    };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Publishing

  publish(name: string, input: PublishInput, options: PublishOptions = {}): Promise<PublishResult> {
    return this.publishAs(undefined, name, input, options);
  }

  private async publishAs(exclude: SchedulerPlugin | undefined, name: string, input: PublishInput, options: PublishOptions): Promise<PublishResult> {
    assertValidName(name);
    this.assertWritable();
    // Parsing and loading happen before taking the name's lock: they may be slow and need no consistency.
    const resolved = await this.resolve(name, input, options);
    const origin = options.origin ?? 'client';
    const replace = options.replace ?? false;
    return this.lock.run(name, async () => {
      this.assertWritable();
      const existing = await this.registry.get(name);
      // A name being restored belongs to the restore: a client must wait for it or explicitly supersede it.
      const restoring = !existing && origin === 'client' && this.expected.has(name);
      if ((existing || restoring) && !replace) throw new PublicationExistsError(name, restoring);
      const event = withContent(
        { name, replacing: existing !== undefined, origin, signal: this.controller.signal } as PublishEvent,
        resolved.content,
      );
      const previous: Previous | undefined = existing && { content: existing.content };
      const accepted = await this.host.publish(event, { exclude, previous });
      const record: PublicationRecord = {
        name,
        content: resolved.content,
        state: options.state ?? 'ready',
        warnings: [...resolved.warnings, ...(options.warnings ?? [])],
        publishedAt: new Date().toISOString(),
        origin,
        id: randomUUID(),
      };
      try {
        await this.registry.set(name, record);
      } catch (error) {
        // Every plugin accepted, but the record could not be kept: undo the plugins so nothing half-exists.
        const rollbackWarnings = await this.host.rollback(accepted, event, previous);
        throw new SchedulerError('REGISTRY_FAILED', `the registry could not store '${name}': ${messageOf(error)}; nothing was published`, {
          cause: error,
          ...(rollbackWarnings.length > 0 && { details: { rollbackWarnings } }),
        });
      }
      this.known.add(name);
      this.cache.delete(name);
      this.abandoned.delete(name);
      // The old data must not outlive its metadata (the id check already stops it being served).
      if (existing) await this.dropResident(name);
      const waiting = this.expected.get(name);
      if (waiting) {
        this.expected.delete(name);
        waiting.resolve();
      }
      return {
        name,
        replaced: existing !== undefined,
        state: record.state,
        cubes: record.content.index.cubes.length,
        warnings: record.warnings,
        publishedAt: record.publishedAt,
      };
    });
  }

  private async resolve(name: string, input: PublishInput, options: PublishOptions): Promise<Resolved> {
    let resolved: Resolved;
    if (typeof input === 'string' || input instanceof Uint8Array) {
      const result = parse(input, { file: options.file ?? `${name}.cube.md`, limits: this.options.parseLimits });
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
        loaded = await this.loader({
          name,
          uris,
          title: input.title,
          base: this.options.dataBase,
          pool: this.pool,
          signal: this.controller.signal,
        });
      } catch (error) {
        if (error instanceof SchedulerError) throw error;
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

  unpublish(name: string, options: { origin?: PublishOrigin } = {}): Promise<UnpublishResult> {
    return this.unpublishAs(undefined, name, options.origin ?? 'client');
  }

  private async unpublishAs(exclude: SchedulerPlugin | undefined, name: string, origin: PublishOrigin): Promise<UnpublishResult> {
    assertValidName(name);
    this.assertWritable();
    // Wait outside the lock: the restore that resolves the wait needs the lock to publish.
    if (!this.known.has(name) && this.expected.has(name)) await this.waitFor(name, {});
    return this.lock.run(name, async () => {
      const record = await this.registry.get(name);
      if (!record) throw new PublicationNotFoundError(name);
      await this.registry.delete(name);
      this.known.delete(name);
      this.cache.delete(name);
      const warnings = await this.dropResident(name);
      const event = withContent({ name, origin, signal: this.controller.signal } as UnpublishEvent, record.content, 'publication');
      warnings.push(...(await this.host.unpublish(event, exclude)));
      return { name, warnings };
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Reading

  async list(): Promise<PublicationInfo[]> {
    const residentBytes = new Map(this.resident.report().publications.map((p) => [p.name, p.bytes]));
    // From each record's index: listing builds no model, and no HeldPublication, however many are held.
    const infos: PublicationInfo[] = (await this.registry.list()).map((record) => {
      const index = record.content.index;
      return {
        name: record.name,
        ...(index.title !== undefined && { title: index.title }),
        cubes: index.cubes.length,
        lazyBytes: index.lazyBytes,
        residentBytes: residentBytes.get(record.name) ?? 0,
        state: record.state,
        warnings: [...record.warnings],
        publishedAt: record.publishedAt,
      };
    });
    const held = new Set(infos.map((i) => i.name));
    for (const name of this.expected.keys()) {
      if (!held.has(name)) infos.push({ name, cubes: 0, lazyBytes: 0, residentBytes: 0, state: 'restoring', warnings: [] });
    }
    return infos.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async get(name: string, options: GetOptions = {}): Promise<HeldPublication> {
    assertValidName(name);
    let record = await this.registry.get(name);
    if (!record && this.expected.has(name)) {
      await this.waitFor(name, options);
      record = await this.registry.get(name);
    }
    if (!record) {
      if (this.status === 'closing' || this.status === 'closed') throw new SchedulerError('NOT_RUNNING', `the scheduler shut down; '${name}' is not available`);
      const reason = this.abandoned.get(name);
      if (reason !== undefined) throw abandonedError(name, reason);
      throw new PublicationNotFoundError(name);
    }
    return this.heldFor(record);
  }

  private heldFor(record: PublicationRecord): HeldPublication {
    const cached = this.cache.get(record.name, record.id);
    if (cached) return cached;
    const held = new HeldPublication(record, {
      lazy: { pool: this.pool, base: this.options.dataBase },
      resident: (id) => this.resident.get(record.name, id),
      charge: (h, bytes) => this.cache.charge(h, bytes),
    });
    this.cache.set(record.name, held);
    return held;
  }

  expect(names: readonly string[], options: { onWait?: (name: string) => void } = {}): void {
    for (const name of names) {
      // A name the rule refuses can never be published, and every request for it is INVALID_NAME: nothing waits.
      if (!isPublicationName(name)) continue;
      if (this.known.has(name) || this.expected.has(name)) continue;
      let resolve!: () => void;
      let reject!: (error: Error) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // Nobody may be waiting; an unobserved rejection must not crash the process.
      promise.catch(() => undefined);
      this.expected.set(name, { promise, resolve, reject, onWait: options.onWait });
      this.abandoned.delete(name);
    }
  }

  abandon(name: string, reason: string): void {
    const waiting = this.expected.get(name);
    this.expected.delete(name);
    if (!this.known.has(name)) this.abandoned.set(name, reason);
    waiting?.reject(abandonedError(name, reason));
  }

  private async waitFor(name: string, options: GetOptions): Promise<void> {
    const waiting = this.expected.get(name);
    if (!waiting) return;
    try {
      waiting.onWait?.(name);
    } catch (error) {
      this.log.warn(`bringing '${name}' forward failed: ${(error as Error).message}`);
    }
    const timeoutMs = options.timeoutMs ?? this.options.expectTimeoutMs ?? DEFAULT_EXPECT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new SchedulerError('PUBLICATION_RESTORING', `'${name}' is still being restored after ${timeoutMs} ms; try again shortly`, {
              details: { retryAfterSeconds: Math.max(1, Math.ceil(timeoutMs / 1000)) },
            }),
          ),
        timeoutMs,
      );
      timer.unref?.();
    });
    const aborted = new Promise<never>((_, reject) => {
      const signal = options.signal;
      if (!signal) return;
      if (signal.aborted) reject(signal.reason);
      else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
    try {
      await Promise.race([waiting.promise, timeout, aborted]);
    } finally {
      clearTimeout(timer);
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Residency

  persist(name: string): Promise<PersistResult> {
    assertValidName(name);
    // One read per publication at a time: a second request shares the first's result.
    let running = this.persisting.get(name);
    if (!running) {
      running = this.doPersist(name).finally(() => this.persisting.delete(name));
      this.persisting.set(name, running);
    }
    return running;
  }

  private async doPersist(name: string): Promise<PersistResult> {
    this.assertWritable();
    const held = await this.get(name);
    const already = this.resident.get(name, held.id);
    if (already) {
      const bytes = this.resident.report().publications.find((p) => p.name === name)?.bytes ?? 0;
      return { name, bytes, evicted: [], residency: this.resident.report(), warnings: [] };
    }
    const tooBig = (bytes: number) =>
      new SchedulerError(
        'BUDGET_EXCEEDED',
        `'${name}' needs ${bytes} bytes in memory but the residency budget is ${this.resident.budget} bytes; raise the budget (residentBudget) or read slices instead`,
        { details: { bytes, budget: this.resident.budget } },
      );
    if (!this.resident.fits(held.lazyBytes)) throw tooBig(held.lazyBytes);
    // Cubes one at a time: the peak is this publication's data, which fits the budget.
    const arrays = [];
    for (let i = 0; i < held.cubeCount; i++) arrays.push(await held.cube(i).data().read({ signal: this.controller.signal }));
    const bytes = arrays.reduce((sum, a) => sum + bytesHeld(a), 0);
    if (!this.resident.fits(bytes)) throw tooBig(bytes);
    const current = await this.registry.get(name);
    if (!current || current.id !== held.id) {
      throw new SchedulerError('PUBLICATION_CHANGED', `'${name}' was replaced or unpublished while its data was being read; persist it again`);
    }
    const evicted: string[] = [];
    this.evictionSink = evicted;
    try {
      this.resident.set({ name, id: held.id, arrays, bytes });
    } finally {
      this.evictionSink = undefined;
    }
    const warnings: string[] = [];
    for (const e of evicted) warnings.push(...(await this.host.persist({ name: e, resident: false, bytes: 0 })));
    warnings.push(...(await this.host.persist({ name, resident: true, bytes })));
    return { name, bytes, evicted, residency: this.resident.report(), warnings };
  }

  async release(name: string): Promise<boolean> {
    const had = this.resident.has(name);
    await this.dropResident(name);
    return had;
  }

  /** Drop `name`'s resident data and tell plugins (awaited, so hooks never interleave with the caller's). */
  private async dropResident(name: string): Promise<string[]> {
    const evicted: string[] = [];
    this.evictionSink = evicted;
    try {
      this.resident.delete(name);
    } finally {
      this.evictionSink = undefined;
    }
    const warnings: string[] = [];
    for (const e of evicted) warnings.push(...(await this.host.persist({ name: e, resident: false, bytes: 0 })));
    return warnings;
  }

  residency(): ResidencyReport {
    return this.resident.report();
  }

  /** An entry left memory: collected by a running persist, else reported to plugins in the background. */
  private evicted(entry: ResidentEntry): void {
    if (this.evictionSink) {
      this.evictionSink.push(entry.name);
      return;
    }
    void this.host.persist({ name: entry.name, resident: false, bytes: 0 });
  }
}

function abandonedError(name: string, reason: string): SchedulerError {
  return new SchedulerError('PUBLICATION_ABANDONED', `'${name}' will not be restored: ${reason}`, { details: { reason } });
}
