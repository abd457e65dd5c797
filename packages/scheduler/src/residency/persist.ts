import type { ArrayResult } from '@cubemark/cube';
import type { PersistResult } from '../api.js';
import { SchedulerError } from '../errors.js';
import type { PersistEvent } from '../plugins/types.js';
import type { HeldPublication } from '../publication/held.js';
import { ResidentSet, bytesHeld, type ResidencyReport, type ResidentEntry } from './resident.js';

/** What persisting needs from the scheduler. */
export interface ResidencyContext {
  /** The publication held under `name` (waiting for an expected one). */
  get(name: string): Promise<HeldPublication>;
  /** The id of the record held under `name` now, to check it did not change while its data was read. */
  currentId(name: string): Promise<string | undefined>;
  /** Runs the plugins' `persist` hooks; resolves to their failures. */
  announce(event: PersistEvent): Promise<string[]>;
  /** Aborts reads when the scheduler closes. */
  signal: AbortSignal;
}

/**
 * Publications' data held in memory under a byte budget: `persist` reads a publication's cubes in, evicting the
 * least recently used ones; every change is announced to the plugins' `persist` hooks.
 */
export class Residency {
  private readonly resident: ResidentSet;
  private readonly persisting = new Map<string, Promise<PersistResult>>();
  /** Names evicted during a change a caller awaits: announced by it, not in the background. */
  private evictionSink?: string[];

  constructor(
    budget: number,
    private readonly ctx: ResidencyContext,
  ) {
    this.resident = new ResidentSet(budget, (entry) => this.evicted(entry));
  }

  /** Resident data of the publication `name` with record `id`, one result per cube, or undefined. */
  get(name: string, id: string): readonly ArrayResult[] | undefined {
    return this.resident.get(name, id);
  }

  report(): ResidencyReport {
    return this.resident.report();
  }

  /** Reads `name`'s data into memory; a second call while one runs shares its result. */
  persist(name: string): Promise<PersistResult> {
    let running = this.persisting.get(name);
    if (!running) {
      running = this.doPersist(name).finally(() => this.persisting.delete(name));
      this.persisting.set(name, running);
    }
    return running;
  }

  private async doPersist(name: string): Promise<PersistResult> {
    const held = await this.ctx.get(name);
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
    const arrays: ArrayResult[] = [];
    for (let i = 0; i < held.cubeCount; i++) arrays.push(await held.cube(i).data().read({ signal: this.ctx.signal }));
    const bytes = arrays.reduce((sum, a) => sum + bytesHeld(a), 0);
    if (!this.resident.fits(bytes)) throw tooBig(bytes);
    if ((await this.ctx.currentId(name)) !== held.id) {
      throw new SchedulerError('PUBLICATION_CHANGED', `'${name}' was replaced or unpublished while its data was being read; persist it again`);
    }
    const evicted = this.collecting(() => this.resident.set({ name, id: held.id, arrays, bytes }));
    const warnings = await this.announceDropped(evicted);
    warnings.push(...(await this.ctx.announce({ name, resident: true, bytes })));
    return { name, bytes, evicted, residency: this.resident.report(), warnings };
  }

  /** Whether `name` has resident data. */
  has(name: string): boolean {
    return this.resident.has(name);
  }

  /** Drops `name`'s resident data and tells plugins (awaited, so hooks never interleave with the caller's). */
  async drop(name: string): Promise<string[]> {
    return this.announceDropped(this.collecting(() => this.resident.delete(name)));
  }

  /** Drops everything, telling nobody (at shutdown, after plugins stopped). */
  clear(): void {
    this.collecting(() => this.resident.clear());
  }

  /** Runs `change`, returning the names it evicted instead of announcing them in the background. */
  private collecting(change: () => void): string[] {
    const evicted: string[] = [];
    this.evictionSink = evicted;
    try {
      change();
    } finally {
      this.evictionSink = undefined;
    }
    return evicted;
  }

  private async announceDropped(names: readonly string[]): Promise<string[]> {
    const warnings: string[] = [];
    for (const name of names) warnings.push(...(await this.ctx.announce({ name, resident: false, bytes: 0 })));
    return warnings;
  }

  /** An entry left memory: collected by a running change, else reported to plugins in the background. */
  private evicted(entry: ResidentEntry): void {
    if (this.evictionSink) {
      this.evictionSink.push(entry.name);
      return;
    }
    void this.ctx.announce({ name: entry.name, resident: false, bytes: 0 });
  }
}
