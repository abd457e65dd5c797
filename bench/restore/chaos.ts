/**
 * bench/restore/chaos: the kill -9 crash-consistency check of the restore tests, for hundreds of rounds, against
 * the compiled `cubemark serve` (build first: `pnpm exec tsc -b`). Not run in CI.
 *
 *   node --conditions=source --import tsx bench/restore/chaos.ts [--rounds 300] [--seed N] [--max-run-ms 450]
 *
 * Each round starts a server on one store, checks that every publication acknowledged before the previous kill is
 * served exactly and that the restore quarantined nothing (a torn file would be), lets two clients publish,
 * replace and unpublish for a random while, and kills the process with SIGKILL. Prints progress; exits 1 with the
 * seed that replays it on the first violation.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { crashServer, runCrashRounds, type CrashServer } from '../../packages/restore/test/helpers/crash.js';
import { startServer } from '../../packages/restore/test/helpers/process.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '300' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    'max-run-ms': { type: 'string', default: '450' },
    keep: { type: 'boolean', default: false },
  },
});
const store = await mkdtemp(join(tmpdir(), 'cubemark-chaos-'));
const seed = Number(values.seed);

/** The compiled `cubemark serve` on the store, as a crash round sees it. */
async function start(): Promise<CrashServer> {
  return crashServer(await startServer(store, { cli: true, cwd: ROOT }));
}

const started = performance.now();
console.log(`chaos: ${values.rounds} rounds, seed ${seed}, store ${store}`);
try {
  const stats = await runCrashRounds({
    rounds: Number(values.rounds),
    seed,
    maxRunMs: Number(values['max-run-ms']),
    start,
    onRound(round, s) {
      if ((round + 1) % 10 === 0) {
        console.log(`  round ${round + 1}: ${s.acknowledged} acknowledged, ${s.cut} cut by a kill, ${s.publications} publications, ${s.restoredFiles} files restored so far`);
      }
    },
  });
  console.log(
    `ok: ${values.rounds} kills in ${((performance.now() - started) / 1000).toFixed(0)} s; ${stats.acknowledged} acknowledged requests, ${stats.cut} cut by a kill, ` +
      `${stats.restoredFiles} files restored, none lost, none torn`,
  );
} catch (error) {
  console.error(`FAILED (replay with --seed ${seed}): ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  if (!values.keep) await rm(store, { recursive: true, force: true });
}
