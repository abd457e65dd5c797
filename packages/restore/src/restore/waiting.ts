/**
 * The names a restore has not started yet, and the order requests ask for them in: a request that waits for a
 * name has it restored at once (`now`, set while the restore runs), else first when the restore begins.
 */
export class WaitingNames {
  /** Names announced to the scheduler and not restored yet. */
  readonly names = new Set<string>();
  /** Names asked for first, oldest first (`prioritize`, or a request before the restore began). */
  readonly urgent: string[] = [];
  /** While a restore runs: restore one queued name at once. */
  now?: (name: string) => void;

  /** A request waits for `name` (the scheduler's `onWait`). */
  requested(name: string): void {
    if (!this.names.has(name)) return;
    if (this.now) this.now(name);
    else this.urgent.push(name);
  }

  /** Restore `name` next, ahead of the queue; `false` if it is not waiting. */
  prioritize(name: string): boolean {
    if (!this.names.has(name)) return false;
    this.urgent.push(name);
    return true;
  }

  /** The restore is over: nothing waits any more. */
  clear(): void {
    this.now = undefined;
    this.names.clear();
    this.urgent.length = 0;
  }
}
