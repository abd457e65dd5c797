import { tileAt, type TilePlan } from '../tiles.js';
import type { LazyArray } from '../types.js';
import type { TileBuffers } from './buffers.js';
import { MAX_HELPER_LAG } from './plan.js';
import { readTile, type Tile } from './tile.js';

/**
 * Read every tile of `array` with at most `concurrency` reads in flight, handing them to `accumulate` in tile
 * order. A window, rather than a bare concurrency limiter, so finished-but-early tiles wait in a bounded buffer
 * and accumulation order (hence rounding) is deterministic.
 */
export async function streamTiles(
  array: LazyArray,
  plan: TilePlan,
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void },
  concurrency: number,
  buffers: TileBuffers | undefined,
  bigEndian: boolean,
  accumulate: (tile: Tile, origin: number[], into: Uint8Array | undefined) => Promise<void> | undefined,
): Promise<void> {
  // Stop reads still in flight when one fails or the caller aborts.
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const window: { origin: number[]; read: Promise<Tile>; into?: Uint8Array }[] = [];
  const behind: { helped: Promise<void>; into?: Uint8Array; tile: Tile }[] = [];
  const settle = async ({ helped, into, tile }: (typeof behind)[number]): Promise<void> => {
    await helped;
    if (into) buffers!.give(into, tile);
  };
  let next = 0;
  const launch = (): void => {
    const { selection, origin } = tileAt(plan, next++);
    const into = buffers?.take();
    const read = readTile(array, selection, { signal, into, bigEndian });
    read.catch(() => {}); // observed below, in order; this only keeps Node from reporting it early
    window.push({ origin, read, into });
  };
  try {
    // The first reads go out one by one too: merged by a batching source, they would be read into one new buffer,
    // then copied apart into the tiles' own, and the first tile would wait for all of them.
    while (window.length < concurrency && next < plan.count) {
      launch();
      if (window.length < concurrency && next < plan.count) await issued();
    }
    for (let done = 1; window.length > 0; done++) {
      // In-memory arrays never look at the signal, so check it between tiles too.
      options.signal?.throwIfAborted();
      const { origin, read, into } = window.shift()!;
      const tile = await read;
      if (next < plan.count) {
        launch();
        await issued();
      }
      const helped = accumulate(tile, origin, into);
      if (helped) {
        // Helper threads still accumulate their shares: the buffer goes back once they are done.
        helped.catch(() => {}); // observed below, in order
        behind.push({ helped, into, tile });
        while (behind.length > MAX_HELPER_LAG) await settle(behind.shift()!);
      } else if (into) {
        buffers!.give(into, tile);
      }
      options.onProgress?.(done, plan.count);
    }
    while (behind.length > 0) await settle(behind.shift()!);
  } catch (error) {
    controller.abort(error);
    throw error;
  }
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Wait until a read just launched has reached its byte source: one turn of the event loop for the read's promise
 * chain to get there, one more for a batching source (which collects ranges until `setImmediate`) to send it.
 * Without this, reads launched while tiles are ready sit unsent while this thread accumulates, so I/O stalls
 * during computation, and a batching source then merges several tiles into one request only to copy each tile's
 * bytes apart again.
 */
async function issued(): Promise<void> {
  await nextTurn();
  await nextTurn();
}
