/**
 * A helper thread of streaming reductions (see `helpers.ts`): it accumulates its share of the output cells of every
 * tile it is sent, into accumulators in memory shared with the calling thread, and answers each tile once done.
 * It imports only the kernels, so it starts in a few tens of milliseconds.
 */
import { parentPort } from 'node:worker_threads';
import { Accumulators, accumulateTile, type CellShare } from './kernels.js';
import type { HelperReply, HelperRequest } from './helpers.js';

const port = parentPort!;
const jobs = new Map<number, { acc: Accumulators; share: CellShare }>();

port.on('message', (message: HelperRequest) => {
  switch (message.kind) {
    case 'job':
      jobs.set(message.job, { acc: new Accumulators(message.size, { arrays: message.arrays }), share: message.share });
      return;
    case 'end':
      jobs.delete(message.job);
      return;
    case 'tile': {
      const { job, seq } = message;
      let reply: HelperReply = { job, seq };
      try {
        const state = jobs.get(job);
        if (!state) throw new Error(`no job ${job}`);
        accumulateTile(state.acc, message.values, message.missing, message.shape, message.outStrides, message.dst0, state.share);
      } catch (error) {
        reply = { job, seq, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
      }
      port.postMessage(reply);
    }
  }
});

port.postMessage({ ready: true } satisfies HelperReply);
