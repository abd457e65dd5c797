/**
 * A scheduler process with the restore plugin behind HTTP, as `cubemark serve --store DIR` runs it: for the
 * restore's process-level tests and bench (kill -9, restart, time to listening). Prints `listening on URL` on
 * stdout once listening, and `restored N` once the restore has finished; closes cleanly on SIGTERM.
 *
 *   node --conditions=source --import tsx serve.ts --store DIR [--port 0] [--threads N] [--data DIR] [--allow-url PREFIX]...
 */
import { parseArgs } from 'node:util';
import { createScheduler, createServer } from '@cubemark/scheduler';
import { createRestorePlugin } from '@cubemark/restore';

const { values } = parseArgs({
  options: {
    store: { type: 'string' },
    port: { type: 'string', default: '0' },
    threads: { type: 'string' },
    data: { type: 'string' },
    'allow-url': { type: 'string', multiple: true },
  },
});
const restore = createRestorePlugin({
  store: values.store ?? 'publications',
  dataBase: values.data,
  ...(values.threads !== undefined && { threads: Number(values.threads) }),
});
// Local sources under the data base (the default roots); URLs only under the prefixes given.
const scheduler = createScheduler({
  plugins: [restore],
  dataBase: values.data,
  ...(values['allow-url'] !== undefined && { sourcePolicy: { ...(values.data !== undefined && { roots: [values.data] }), allowUrls: values['allow-url'] } }),
});
// Writes without a token: the process listens on the loopback address only, for tests and benches.
const server = await createServer(scheduler, { allowUnauthenticatedWrites: true });
const url = await server.listen({ port: Number(values.port), host: '127.0.0.1' });
process.stdout.write(`listening on ${url}\n`);
void restore.restored().then(
  (report) => process.stdout.write(`restored ${report.restored} quarantined ${report.quarantined.length} ms ${report.ms.toFixed(0)}\n`),
  (error: unknown) => process.stdout.write(`restore failed ${String(error)}\n`),
);
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
