/**
 * A helper thread of streaming reductions (see `helpers.ts`): it accumulates its share of the output cells of every
 * tile it is sent, into accumulators in memory shared with the calling thread, and answers each tile once done.
 * It imports only the kernels, so it starts in a few tens of milliseconds.
 */
import { parentPort } from 'node:worker_threads';
import { Accumulators, accumulateTile, type AccumulatorArrays, type CellShare, type FloatArray } from './kernels.js';
import type { HelperReply, HelperRequest } from './helpers.js';
import { kernelFor } from './wasm-kernels.js';

const port = parentPort!;
const jobs = new Map<number, { acc: Accumulators; share: CellShare; buffer?: ArrayBufferLike }>();

/** `a` seen through `buffer` (the same memory, this thread's object for it). */
function over<T extends FloatArray>(a: T, buffer: ArrayBufferLike): T {
  return (a instanceof Float32Array ? new Float32Array(buffer, a.byteOffset, a.length) : new Float64Array(buffer, a.byteOffset, a.length)) as T;
}

port.on('message', (message: HelperRequest) => {
  switch (message.kind) {
    case 'job': {
      const { memory } = message;
      const arrays: AccumulatorArrays = { ...message.arrays };
      if (memory) for (const key of message.inMemory) arrays[key] = over(arrays[key]!, memory.buffer);
      const kernel = memory ? kernelFor(memory, true) : undefined;
      jobs.set(message.job, { acc: new Accumulators(message.size, { arrays }, undefined, kernel), share: message.share, buffer: memory?.buffer });
      return;
    }
    case 'end':
      jobs.delete(message.job);
      return;
    case 'tile': {
      const { job, seq } = message;
      let reply: HelperReply = { job, seq };
      try {
        const state = jobs.get(job);
        if (!state) throw new Error(`no job ${job}`);
        const values = message.inMemory && state.buffer ? over(message.values, state.buffer) : message.values;
        accumulateTile(state.acc, values, message.missing, message.shape, message.outStrides, message.dst0, state.share, message.bigEndian);
      } catch (error) {
        reply = { job, seq, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
      }
      port.postMessage(reply);
    }
  }
});

port.postMessage({ ready: true } satisfies HelperReply);
