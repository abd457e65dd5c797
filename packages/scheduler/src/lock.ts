/**
 * What serialises publishes and unpublishes of one name: `run(name, fn)` starts `fn` once every earlier `run` for
 * that name has settled. The default is the in-process `KeyedLock`; schedulers sharing a registry pass one that
 * also excludes the other processes (and may refuse with an error, which the publish then fails with).
 */
export interface NameLock {
  run<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * Serialises async work per key: `run(key, fn)` starts `fn` once every earlier `run` for the same key has
 * settled. Keys with nothing queued hold no memory. Used so two publishes (or a publish and an unpublish) of
 * one name never interleave, while different names proceed in parallel.
 */
export class KeyedLock implements NameLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(fn, fn);
    // The tail never rejects, so a failed holder does not fail the next one.
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running (for tests and diagnostics). */
  get size(): number {
    return this.tails.size;
  }
}
