import { LRUCache } from 'lru-cache';
import type { ArrayResult } from '@cubemark/cube';

/** A publication's data held in memory: one read result per cube. */
export interface ResidentEntry {
  name: string;
  /** The record id the values were read for: a replaced publication never sees its predecessor's values. */
  id: string;
  arrays: readonly ArrayResult[];
  /** Bytes held (`bytesHeld` of every array). */
  bytes: number;
}

/** What is in memory: bytes per publication (most recently used first), their total, and the budget. */
export interface ResidencyReport {
  budget: number;
  total: number;
  publications: { name: string; bytes: number }[];
}

/**
 * Bytes an array result holds: its values' buffer (strings counted as UTF-16 code units, two bytes each, plus
 * nothing for the JS string headers, which vary by engine) and its mask.
 */
export function bytesHeld(result: ArrayResult): number {
  const values = Array.isArray(result.values)
    ? (result.values as string[]).reduce((sum, s) => sum + 2 * s.length, 0)
    : result.values.byteLength;
  return values + (result.mask?.byteLength ?? 0);
}

/**
 * Publications' data in memory under a byte budget, least recently used evicted first (lru-cache does the
 * bookkeeping; "used" means persisted or read through the HTTP API or `CubeAccess.data()`). `onEvict` hears of
 * every entry that leaves because of the budget or a delete, not of one replaced by a fresh persist of the same
 * publication.
 */
export class ResidentSet {
  private readonly cache?: LRUCache<string, ResidentEntry>;

  constructor(
    readonly budget: number,
    onEvict: (entry: ResidentEntry, reason: 'evict' | 'delete') => void,
  ) {
    // lru-cache needs a positive budget; a budget of 0 means "persist nothing", handled by `fits`.
    if (budget >= 1) {
      this.cache = new LRUCache<string, ResidentEntry>({
        maxSize: Math.floor(budget),
        // lru-cache refuses zero sizes; an empty publication costs one byte of budget.
        sizeCalculation: (entry) => Math.max(1, entry.bytes),
        dispose: (entry, _name, reason) => {
          if (reason === 'evict' || reason === 'delete') onEvict(entry, reason);
        },
      });
    }
  }

  /** Whether `bytes` could be held at all (alone, after evicting everything else). */
  fits(bytes: number): boolean {
    return this.cache !== undefined && Math.max(1, bytes) <= this.budget;
  }

  /** The arrays held for publication `name` at record `id` (marks it used), or undefined. */
  get(name: string, id: string): readonly ArrayResult[] | undefined {
    const entry = this.cache?.get(name);
    return entry && entry.id === id ? entry.arrays : undefined;
  }

  /** Whether `name` is resident, without marking it used. */
  has(name: string): boolean {
    return this.cache?.has(name) ?? false;
  }

  /** Hold `entry`, evicting least recently used entries to stay within the budget. Call `fits` first. */
  set(entry: ResidentEntry): void {
    this.cache?.set(entry.name, entry);
  }

  delete(name: string): boolean {
    return this.cache?.delete(name) ?? false;
  }

  report(): ResidencyReport {
    const publications: { name: string; bytes: number }[] = [];
    // `entries()` walks most recently used first, without changing recency.
    if (this.cache) for (const [name, entry] of this.cache.entries()) publications.push({ name, bytes: entry.bytes });
    return { budget: this.budget, total: publications.reduce((s, p) => s + p.bytes, 0), publications };
  }

  clear(): void {
    this.cache?.clear();
  }
}
