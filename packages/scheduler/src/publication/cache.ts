import type { HeldPublication } from './held.js';

/** Default bound of the held-publication cache: 1,024 publications. */
export const DEFAULT_MODEL_CACHE_COUNT = 1024;
/** Default bound of what cached publications keep in memory (models built from text, descriptions): 256 MiB. */
export const DEFAULT_MODEL_CACHE_BYTES = 256 * 1024 * 1024;

/**
 * The scheduler's most recently used `HeldPublication`s, by name, bounded by count and by the bytes they were
 * charged (a model built from text, cached JSON descriptions). A restored publication is held as compressed text
 * and an index; its model lives only as long as its `HeldPublication` does, so this bound keeps the heap small
 * however many publications are held and asked for. A dropped entry stays
 * valid for whoever still holds it (a request in flight); the next `get` builds a new one.
 */
export class HeldCache {
  private readonly entries = new Map<string, { held: HeldPublication; bytes: number }>();
  private total = 0;

  constructor(
    private readonly maxCount: number,
    private readonly maxBytes: number,
  ) {}

  /** The entry for `name` if it is this record (`id`), made most recently used. */
  get(name: string, id: string): HeldPublication | undefined {
    const entry = this.entries.get(name);
    if (!entry || entry.held.id !== id) return undefined;
    this.entries.delete(name);
    this.entries.set(name, entry);
    return entry.held;
  }

  /** The record id of the entry cached for `name`, without making it recently used. */
  idOf(name: string): string | undefined {
    return this.entries.get(name)?.held.id;
  }

  set(name: string, held: HeldPublication): void {
    this.delete(name);
    this.entries.set(name, { held, bytes: 0 });
    this.trim(name);
  }

  /** `held` keeps `bytes` more; ignored once it is no longer the cached entry for its name. */
  charge(held: HeldPublication, bytes: number): void {
    const entry = this.entries.get(held.name);
    if (!entry || entry.held !== held || !(bytes > 0)) return;
    entry.bytes += bytes;
    this.total += bytes;
    this.trim(held.name);
  }

  delete(name: string): void {
    const entry = this.entries.get(name);
    if (!entry) return;
    this.entries.delete(name);
    this.total -= entry.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  /** Drop least recently used entries until within bounds, never `keep` (the one being used right now). */
  private trim(keep: string): void {
    for (const [name] of this.entries) {
      if (this.entries.size <= this.maxCount && this.total <= this.maxBytes) return;
      if (name !== keep) this.delete(name);
    }
  }
}
