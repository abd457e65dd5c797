import type { PublicationRecord, PublicationRegistry } from './types.js';

/** The default registry: a `Map` in this process. Records are held by reference (the scheduler never mutates them). */
export class MemoryRegistry implements PublicationRegistry {
  private readonly records = new Map<string, PublicationRecord>();

  async get(name: string): Promise<PublicationRecord | undefined> {
    return this.records.get(name);
  }
  async set(name: string, record: PublicationRecord): Promise<void> {
    this.records.set(name, record);
  }
  async delete(name: string): Promise<boolean> {
    return this.records.delete(name);
  }
  async list(): Promise<PublicationRecord[]> {
    return [...this.records.values()];
  }
}
