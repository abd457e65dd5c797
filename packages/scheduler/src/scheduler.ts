import { setMaxListeners } from 'node:events';
import { randomUUID } from 'node:crypto';
import { isPublicationName, type PublicationInfo } from '@cubemark/format';
import { createSourcePolicy, createSourcePool, defaultRegistry, isSourcePolicy, type SourcePolicy, type SourcePool } from '@cubemark/cube';
import {
  DEFAULT_EXPECT_TIMEOUT_MS,
  DEFAULT_PUBLICATION_LIMITS,
  DEFAULT_RESIDENT_BUDGET,
  DEFAULT_STOP_TIMEOUT_MS,
  type CloseResult,
  type GetOptions,
  type PersistResult,
  type PublishInput,
  type PublishOptions,
  type PublishResult,
  type Scheduler,
  type SchedulerOptions,
  type UnpublishResult,
} from './api.js';
import { PublicationExistsError, PublicationNotFoundError, SchedulerError, messageOf } from './errors.js';
import { ExpectedNames } from './expected.js';
import { KeyedLock, type NameLock } from './lock.js';
import { assertValidName } from './names.js';
import { PluginHost, withContent, type Previous } from './plugins/host.js';
import type { Logger, PublishEvent, PublishOrigin, SchedulerHandle, SchedulerPlugin, UnpublishEvent } from './plugins/types.js';
import { DEFAULT_MODEL_CACHE_BYTES, DEFAULT_MODEL_CACHE_COUNT, HeldCache } from './publication/cache.js';
import { isPublicationSource } from './publication/content.js';
import { HeldPublication } from './publication/held.js';
import { resolveInput } from './publication/resolve.js';
import { MemoryRegistry } from './registry/memory.js';
import type { PublicationRecord, PublicationRegistry, RegistryChange } from './registry/types.js';
import { Residency } from './residency/persist.js';
import type { ResidencyReport } from './residency/resident.js';
import { cfLoader } from './sources/cf.js';
import type { SourceLoader } from './sources/loader.js';
import { checkPublicationSize } from './publication/limits.js';
import { checkPublicationSources, defaultSourcePolicy } from './sources/policy.js';

type Status = 'new' | 'starting' | 'running' | 'failed' | 'closing' | 'closed';

const defaultLog: Logger = {
  info: (m) => process.stderr.write(`cubemark scheduler: ${m}\n`),
  warn: (m) => process.stderr.write(`cubemark scheduler: warning: ${m}\n`),
  error: (m) => process.stderr.write(`cubemark scheduler: error: ${m}\n`),
};

/** A scheduler; nothing runs until `start()`. */
export function createScheduler(options: SchedulerOptions = {}): Scheduler {
  return new SchedulerImpl(options);
}

class SchedulerImpl implements Scheduler {
  readonly log: Logger;
  private readonly host: PluginHost;
  private readonly registry: PublicationRegistry;
  private readonly pool: SourcePool;
  private readonly policy?: SourcePolicy;
  /** The policy this scheduler made (and closes); one given to it is its owner's. */
  private readonly ownPolicy?: SourcePolicy;
  private readonly loader: SourceLoader;
  private readonly resident: Residency;
  private readonly lock: NameLock;
  private unwatch?: () => void;
  /** Names this process knows are held (the handle's synchronous `list`). */
  private readonly known = new Set<string>();
  private readonly expected: ExpectedNames;
  private readonly cache: HeldCache;
  private readonly controller = new AbortController();
  private status: Status = 'new';
  private starting?: Promise<void>;

  constructor(private readonly options: SchedulerOptions) {
    // Plugins and every request in flight share this signal: many listeners are expected, not a leak.
    setMaxListeners(0, this.controller.signal);
    this.log = options.log ?? defaultLog;
    this.expected = new ExpectedNames(this.log);
    this.host = new PluginHost(options.plugins ?? [], this.log);
    this.registry = options.registry ?? new MemoryRegistry();
    this.lock = options.lock ?? new KeyedLock();
    if (isSourcePolicy(options.sourcePolicy)) this.policy = options.sourcePolicy;
    else if (options.sourcePolicy || !options.pool) this.policy = this.ownPolicy = createSourcePolicy(options.sourcePolicy ?? defaultSourcePolicy(options.dataBase));
    else this.policy = options.pool.policy;
    this.pool = options.pool ?? createSourcePool({ base: options.dataBase, policy: this.policy });
    this.loader = options.loader ?? cfLoader;
    const budget = options.residentBudget ?? DEFAULT_RESIDENT_BUDGET;
    if (!(budget >= 0)) throw new SchedulerError('INVALID_CONFIG', `residentBudget must be a number of bytes >= 0, not ${budget}`);
    this.resident = new Residency(budget, {
      get: async (name) => {
        this.assertWritable();
        return this.get(name);
      },
      currentId: async (name) => (await this.registry.get(name))?.id,
      announce: (event) => this.host.persist(event),
      signal: this.controller.signal,
    });
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
    // A shared registry may already hold publications (another process published them), and changes them later.
    this.unwatch = this.registry.watch?.((change) => this.changedElsewhere(change));
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
    this.unwatch?.();
    this.expected.rejectAll((name) => new SchedulerError('NOT_RUNNING', `the scheduler shut down before '${name}' was restored`));
    const stopSignal = AbortSignal.timeout(this.options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
    const warnings = wasStarted ? await this.host.stop(stopSignal) : [];
    // Plugins are stopped: dropping resident data now tells nobody (persist hooks would fire after stop).
    this.resident.clear();
    this.cache.clear();
    try {
      await this.pool.close();
      await this.ownPolicy?.close();
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
      sourcePolicy: this.policy,
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
    const resolved = await resolveInput(name, input, options, {
      parseLimits: this.options.parseLimits,
      loader: this.loader,
      dataBase: this.options.dataBase,
      pool: this.pool,
      signal: this.controller.signal,
    });
    const origin = options.origin ?? 'client';
    const replace = options.replace ?? false;
    // A client's sources must be readable under the policy (a restored file's are checked by its plugin, which
    // marks it stale instead), and no source may carry credentials.
    if (origin === 'client') {
      checkPublicationSize(name, resolved.content.index, { ...DEFAULT_PUBLICATION_LIMITS, ...this.options.publicationLimits });
      await checkPublicationSources(name, resolved.content.index, this.policy, this.options.dataBase);
    }
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
      // The old data must not outlive its metadata (the id check already stops it being served).
      if (existing) await this.resident.drop(name);
      this.expected.arrived(name);
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
      const warnings = await this.resident.drop(name);
      const event = withContent({ name, origin, signal: this.controller.signal } as UnpublishEvent, record.content, 'publication');
      warnings.push(...(await this.host.unpublish(event, exclude)));
      return { name, warnings };
    });
  }

  /**
   * Another process set or deleted `change.name` in the shared registry: what this one derived from the old
   * record (its model, resident data) goes, and requests waiting for the name go on.
   */
  private changedElsewhere({ name, id }: RegistryChange): void {
    if (this.status === 'closing' || this.status === 'closed') return;
    if (id === undefined) this.known.delete(name);
    else {
      this.known.add(name);
      this.expected.arrived(name);
    }
    if (this.cache.idOf(name) !== id) this.cache.delete(name);
    if (this.resident.has(name) && (id === undefined || !this.resident.get(name, id))) {
      void this.resident.drop(name).then((warnings) => warnings.forEach((w) => this.log.warn(w)));
    }
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
    for (const name of this.expected.names()) {
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
      const abandoned = this.expected.abandonedError(name);
      if (abandoned) throw abandoned;
      throw new PublicationNotFoundError(name);
    }
    return this.heldFor(record);
  }

  private heldFor(record: PublicationRecord): HeldPublication {
    const cached = this.cache.get(record.name, record.id);
    if (cached) return cached;
    const held = new HeldPublication(record, {
      lazy: { pool: this.pool, base: this.options.dataBase, plugins: defaultRegistry },
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
      if (!this.known.has(name)) this.expected.expect(name, options.onWait);
    }
  }

  abandon(name: string, reason: string): void {
    this.expected.abandon(name, reason, !this.known.has(name));
  }

  private waitFor(name: string, options: GetOptions): Promise<void> {
    return this.expected.wait(name, options.timeoutMs ?? this.options.expectTimeoutMs ?? DEFAULT_EXPECT_TIMEOUT_MS, options.signal);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Residency

  persist(name: string): Promise<PersistResult> {
    assertValidName(name);
    return this.resident.persist(name);
  }

  async release(name: string): Promise<boolean> {
    const had = this.resident.has(name);
    await this.resident.drop(name);
    return had;
  }

  residency(): ResidencyReport {
    return this.resident.report();
  }
}
