/**
 * Metadata pages kept in memory, least recently used first out, within a byte budget. One per file by default;
 * a process that opens many files (a server) can share one among all of them, so that the budget is the
 * process's, not a file's.
 */
export class PageCache {
  private readonly entries = new Map<string, Uint8Array>();
  private used = 0;

  constructor(
    /** Bytes of pages kept at most. */
    readonly limit: number,
  ) {}

  /** Bytes of pages held. */
  get bytes(): number {
    return this.used;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The page, now the most recently used. */
  get(key: string): Uint8Array | undefined {
    const bytes = this.entries.get(key);
    if (bytes !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, bytes);
    }
    return bytes;
  }

  set(key: string, bytes: Uint8Array): void {
    const held = this.entries.get(key);
    if (held !== undefined) {
      this.entries.delete(key);
      this.used -= held.length;
    }
    this.entries.set(key, bytes);
    this.used += bytes.length;
    for (const [k, v] of this.entries) {
      if (this.used <= this.limit) break;
      if (k === key) continue;
      this.entries.delete(k);
      this.used -= v.length;
    }
  }
}
