/**
 * Map slices by URL, shared by the map and the animation's read-ahead: a slice fetched ahead is drawn from here
 * when its frame comes up. Every wait holds its entry; when the last holder lets go (the user moved on, the
 * animation stopped) before the answer came, the request is cancelled (AbortController) and the entry dropped.
 */
import { getSlice, type Slice } from './api.js';

interface Entry {
  promise: Promise<Slice>;
  controller: AbortController;
  settled: boolean;
  holds: number;
}

const KEEP = 12;
const entries = new Map<string, Entry>();

function keyOf(base: string, sel: string): string {
  return `${base}?sel=${sel}`;
}

function hold(base: string, sel: string): [string, Entry] {
  const key = keyOf(base, sel);
  let entry = entries.get(key);
  if (entry) {
    entries.delete(key); // most recently used last
  } else {
    const controller = new AbortController();
    const created: Entry = { controller, settled: false, holds: 0, promise: getSlice(base, sel, controller.signal) };
    created.promise.then(
      () => (created.settled = true),
      () => entries.get(key) === created && entries.delete(key),
    );
    entry = created;
  }
  entries.set(key, entry);
  entry.holds++;
  for (const [k, e] of entries) {
    if (entries.size <= KEEP) break;
    if (e.settled) entries.delete(k);
  }
  return [key, entry];
}

function release(key: string, entry: Entry): void {
  entry.holds--;
  if (entry.holds > 0 || entry.settled) return;
  entry.controller.abort();
  if (entries.get(key) === entry) entries.delete(key);
}

/** A slice, from the cache or the server. Aborting `signal` lets go of it: cancelled if nobody else waits. */
export function loadSlice(base: string, sel: string, signal: AbortSignal): Promise<Slice> {
  if (signal.aborted) return Promise.reject(new DOMException('aborted', 'AbortError'));
  const [key, entry] = hold(base, sel);
  return new Promise((resolve, reject) => {
    let held = true;
    const letGo = () => {
      if (!held) return;
      held = false;
      signal.removeEventListener('abort', onAbort);
      release(key, entry);
    };
    const onAbort = () => {
      letGo();
      reject(new DOMException('aborted', 'AbortError'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    entry.promise.then(
      (slice) => (letGo(), resolve(slice)),
      (e: unknown) => (letGo(), reject(e)),
    );
  });
}

/**
 * Fetch slices ahead of need, held until `signal` aborts: then those still in flight (and wanted by nobody else)
 * are cancelled, so a user who moves elsewhere does not wait behind frames nobody will see.
 */
export function prefetchSlices(base: string, sels: readonly string[], signal: AbortSignal): void {
  if (signal.aborted) return;
  const held = sels.map((sel) => hold(base, sel));
  signal.addEventListener('abort', () => held.forEach(([key, entry]) => release(key, entry)), { once: true });
}

/** Whether a slice has arrived (the animation waits for its next frame rather than skipping it). */
export function sliceReady(base: string, sel: string): boolean {
  return entries.get(keyOf(base, sel))?.settled ?? false;
}
