/**
 * The server bench/security/run.ts loads: a scheduler with the restore plugin on a fresh store, behind HTTP, as
 * `cubemark serve` runs it but with the per-client heavy-request bound raised (the load comes from one address).
 * Prints `listening on URL`; closes on SIGTERM.
 *
 *   node --conditions=source --import tsx bench/security/server.ts --store DIR --token T --root DIR [--root DIR...]
 */
import { parseArgs } from 'node:util';
import { createRestorePlugin } from '@cubemark/restore';
import { createScheduler, createServer } from '@cubemark/scheduler';

const { values } = parseArgs({
  options: { store: { type: 'string' }, token: { type: 'string' }, root: { type: 'string', multiple: true, default: [] } },
});
const store = values.store!;
const restore = createRestorePlugin({ store, progress: false });
const scheduler = createScheduler({
  plugins: [restore],
  dataBase: store,
  sourcePolicy: { roots: values.root },
  log: { info() {}, warn: (m) => process.stderr.write(`warning: ${m}\n`), error: (m) => process.stderr.write(`error: ${m}\n`) },
});
const server = await createServer(scheduler, { token: values.token, maxHeavyPerClient: 1024 });
const url = await server.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`listening on ${url}\n`);
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
