import type { Publication } from '@cubemark/format';
import type { Logger, PublicationState, PublishOrigin, SchedulerHandle, SchedulerPlugin } from '@cubemark/scheduler';

/** What the test scheduler holds for a name. */
export interface Held {
  publication: Publication;
  body?: string;
  state: PublicationState;
  warnings: string[];
  origin: PublishOrigin;
}

/**
 * A small but real in-process scheduler for the plugin's tests, with the semantics of plugins/types.ts: `start`
 * runs the plugin's start hook with a handle; client publishes and unpublishes run the plugin's hooks before they
 * are acknowledged; the handle's publish does not call back into the plugin; `get` waits for expected names and
 * fails for abandoned ones; `persist` fires the persist hook. Used until the real scheduler is importable from
 * every test; it holds models only (no data).
 */
export class TestScheduler {
  readonly held = new Map<string, Held>();
  readonly expected = new Map<string, { promise: Promise<void>; resolve(): void; reject(e: Error): void }>();
  readonly abandoned = new Map<string, string>();
  readonly persisted: string[] = [];
  private persistWaiters: { n: number; resolve(): void }[] = [];
  readonly publishes: { name: string; origin: PublishOrigin; state: PublicationState; replace: boolean }[] = [];
  readonly lines: { level: 'info' | 'warn' | 'error'; message: string }[] = [];
  readonly log: Logger = {
    info: (message) => this.lines.push({ level: 'info', message }),
    warn: (message) => this.lines.push({ level: 'warn', message }),
    error: (message) => this.lines.push({ level: 'error', message }),
  };
  private readonly controller = new AbortController();

  constructor(readonly plugin: SchedulerPlugin) {}

  async start(): Promise<void> {
    await this.plugin.start?.({ scheduler: this.handle(), signal: this.controller.signal });
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.plugin.stop?.({ signal: AbortSignal.timeout(10_000) });
  }

  /** A client publish: the plugin's hook runs before it is acknowledged; if it throws, nothing is kept. */
  async publish(name: string, publication: Publication, options: { body?: string; replace?: boolean } = {}): Promise<void> {
    const existing = this.held.get(name);
    if ((existing || this.expected.has(name)) && !options.replace) throw new Error(`'${name}' exists`);
    await this.plugin.publish?.({
      name,
      publication,
      body: options.body,
      replacing: existing !== undefined,
      origin: 'client',
      signal: this.controller.signal,
    });
    this.keep(name, publication, { body: options.body, origin: 'client', state: 'ready', warnings: [], replace: options.replace ?? false });
  }

  async unpublish(name: string): Promise<void> {
    const existing = this.held.get(name);
    if (!existing) throw new Error(`no '${name}'`);
    this.held.delete(name);
    await this.plugin.unpublish?.({ name, publication: existing.publication, origin: 'client', signal: this.controller.signal });
  }

  /** Fire the persist hook as the scheduler does after reading data into memory (or evicting it). */
  async setResident(name: string, resident: boolean): Promise<void> {
    await this.plugin.persist?.({ name, resident, bytes: resident ? 1 : 0 });
  }

  /** The publication, waiting for an expected name; rejects for an abandoned or unknown one. */
  async get(name: string): Promise<Held> {
    const waiting = this.expected.get(name);
    if (waiting) await waiting.promise;
    const held = this.held.get(name);
    if (!held) throw new Error(this.abandoned.has(name) ? `abandoned: ${this.abandoned.get(name)}` : `no '${name}'`);
    return held;
  }

  /** Resolves once the handle's `persist` has completed `n` times. */
  persistedCount(n: number): Promise<void> {
    if (this.persisted.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.persistWaiters.push({ n, resolve }));
  }

  info(): string[] {
    return this.lines.map((l) => l.message);
  }

  private keep(name: string, publication: Publication, o: { body?: string; origin: PublishOrigin; state: PublicationState; warnings: string[]; replace: boolean }) {
    this.held.set(name, { publication, body: o.body, state: o.state, warnings: o.warnings, origin: o.origin });
    this.publishes.push({ name, origin: o.origin, state: o.state, replace: o.replace });
    const waiting = this.expected.get(name);
    this.expected.delete(name);
    this.abandoned.delete(name);
    waiting?.resolve();
  }

  private handle(): SchedulerHandle {
    return {
      publish: async (name, publication, o) => {
        if ((this.held.has(name) || this.expected.has(name)) && !o.replace) throw new Error(`'${name}' exists`);
        this.keep(name, publication, { body: o.body, origin: o.origin, state: o.state ?? 'ready', warnings: o.warnings ?? [], replace: o.replace ?? false });
      },
      unpublish: async (name, o) => {
        const existing = this.held.get(name);
        if (!existing) return false;
        this.held.delete(name);
        void o;
        return true;
      },
      expect: (names) => {
        for (const name of names) {
          if (this.held.has(name) || this.expected.has(name)) continue;
          let resolve!: () => void;
          let reject!: (e: Error) => void;
          const promise = new Promise<void>((res, rej) => {
            resolve = res;
            reject = rej;
          });
          promise.catch(() => undefined);
          this.expected.set(name, { promise, resolve, reject });
        }
      },
      abandon: (name, reason) => {
        const waiting = this.expected.get(name);
        this.expected.delete(name);
        this.abandoned.set(name, reason);
        waiting?.reject(new Error(`abandoned: ${reason}`));
      },
      persist: async (name) => {
        if (!this.held.has(name)) throw new Error(`no '${name}'`);
        this.persisted.push(name);
        await this.plugin.persist?.({ name, resident: true, bytes: 1 });
        this.persistWaiters = this.persistWaiters.filter((w) => (this.persisted.length >= w.n ? (w.resolve(), false) : true));
      },
      list: () => [...this.held.keys()].sort(),
      log: this.log,
    };
  }
}
