/**
 * Crash consistency, shared by the kill -9 test (20 rounds) and bench/restore/chaos.ts (hundreds): start a server
 * on a store, check that everything acknowledged before the last crash is served exactly, let two clients publish,
 * replace and unpublish until a random moment, kill -9, repeat. Throws `CrashConsistencyError` on the first
 * violation, with the seed that replays it.
 */
import { serialize } from '@cubemark/format';
import type { ServerProcess } from './process.js';
import { makePublication } from './publications.js';

/** What a round needs from a server process. */
export interface CrashServer {
  url: string;
  /** Resolves with the number of files quarantined by the restore once it has finished. */
  restored: Promise<{ restored: number; quarantined: number }>;
  kill(): Promise<void>;
}

export interface CrashOptions {
  rounds: number;
  seed: number;
  start(): Promise<CrashServer>;
  /** Longest run between start and kill, in ms (default: 450; the least is 50). */
  maxRunMs?: number;
  /**
   * Above this many publications the clients mostly unpublish, so that hundreds of rounds keep a store of about
   * this size instead of one that grows every round (default: 200).
   */
  maxPublications?: number;
  /**
   * Requests acknowledged in each round before its random run time starts counting (default: 0), so a slow or busy
   * machine still exercises every round instead of killing servers that have not answered yet.
   */
  minAcknowledgedPerRound?: number;
  onRound?(round: number, stats: CrashStats): void;
}

export interface CrashStats {
  acknowledged: number;
  /** Requests cut by a kill (either outcome allowed). */
  cut: number;
  publications: number;
  restoredFiles: number;
}

export class CrashConsistencyError extends Error {}

/** A round's view of a process from `startServer`: its `restored N quarantined Q` line read as numbers. */
export function crashServer(server: ServerProcess): CrashServer {
  return {
    url: server.url,
    restored: server.restored.then((line) => {
      const m = /^restored (\d+) quarantined (\d+) /.exec(line);
      if (!m) throw new Error(`unexpected line: ${line}`);
      return { restored: Number(m[1]), quarantined: Number(m[2]) };
    }),
    kill: () => server.kill(),
  };
}

/** mulberry32: a small seeded generator, so a failing run is replayed from its seed. */
export function seeded(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function crashDocument(name: string, version: number): string {
  const pub = makePublication(name, { seed: version, title: `${name} v${version}`, inlineData: true, sources: [] });
  return serialize(pub, { body: `\n# ${name}\n\nVersion ${version}, written by a person.\n` });
}

async function served(url: string, name: string): Promise<string | undefined> {
  const res = await fetch(`${url}/publications/${name}.md`);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new CrashConsistencyError(`GET ${name}.md answered ${res.status}: ${await res.text()}`);
  return res.text();
}

async function listed(url: string): Promise<string[]> {
  const res = await fetch(`${url}/publications`);
  return ((await res.json()) as { publications: { name: string }[] }).publications.map((p) => p.name);
}

export async function runCrashRounds(options: CrashOptions): Promise<CrashStats> {
  const random = seeded(options.seed);
  const fail = (round: number, message: string): never => {
    throw new CrashConsistencyError(`seed ${options.seed}, round ${round}: ${message}`);
  };
  /** Per name, the texts that may be served (undefined: not published); two while a request is in flight. */
  const expected = new Map<string, (string | undefined)[]>();
  const stats: CrashStats = { acknowledged: 0, cut: 0, publications: 0, restoredFiles: 0 };
  let version = 0;

  const check = async (round: number, server: CrashServer) => {
    const { restored, quarantined } = await server.restored;
    stats.restoredFiles += restored;
    if (quarantined !== 0) fail(round, `${quarantined} file(s) quarantined: a torn or partial file was read`);
    const names = new Set(await listed(server.url));
    for (const name of names) if (!expected.has(name)) fail(round, `'${name}' is served but was never published`);
    for (const [name, allowed] of expected) {
      const text = names.has(name) ? await served(server.url, name) : undefined;
      if (!allowed.includes(text)) {
        fail(round, `'${name}' is ${text === undefined ? 'missing' : `served as ${JSON.stringify(text.slice(0, 80))}…`} but an acknowledged request said otherwise`);
      }
      expected.set(name, [text]);
    }
    stats.publications = [...expected.values()].filter((a) => a[0] !== undefined).length;
  };

  for (let round = 0; round < options.rounds; round++) {
    const server = await options.start();
    try {
      await check(round, server);
      let killed = false;
      const client = async () => {
        while (!killed) {
          const existing = [...expected.entries()].filter(([, a]) => a.length === 1 && a[0] !== undefined).map(([n]) => n);
          const r = random();
          const full = existing.length > (options.maxPublications ?? 200);
          const name = (r < 0.6 && !full) || existing.length === 0 ? `c-${version}` : existing[Math.floor(random() * existing.length)]!;
          const current = expected.get(name) ?? [undefined];
          if (current.length !== 1) continue; // the other client is changing it
          const remove = (r > 0.9 || (full && r < 0.7)) && current[0] !== undefined;
          const text = remove ? undefined : crashDocument(name, version++);
          expected.set(name, [current[0], text]);
          let res: Response;
          try {
            res = remove
              ? await fetch(`${server.url}/publications/${name}`, { method: 'DELETE' })
              : await fetch(`${server.url}/publications?name=${name}${current[0] !== undefined ? '&replace=true' : ''}`, {
                  method: 'POST',
                  headers: { 'content-type': 'text/markdown' },
                  body: text,
                });
          } catch (error) {
            if (killed) {
              stats.cut += 1;
              return; // cut by the kill: never acknowledged, either outcome is allowed
            }
            throw error;
          }
          if (res.status >= 300) fail(round, `${remove ? 'DELETE' : 'POST'} ${name} answered ${res.status}: ${await res.text()}`);
          expected.set(name, [text]);
          stats.acknowledged += 1;
        }
      };
      let failure: unknown;
      const before = stats.acknowledged;
      const clients = [client(), client()].map((c) => c.catch((error: unknown) => (failure ??= error)));
      while (stats.acknowledged - before < (options.minAcknowledgedPerRound ?? 0) && failure === undefined) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await new Promise((resolve) => setTimeout(resolve, 50 + random() * ((options.maxRunMs ?? 450) - 50)));
      killed = true;
      await server.kill();
      await Promise.all(clients);
      if (failure) throw failure;
    } finally {
      await server.kill();
    }
    options.onRound?.(round, stats);
  }
  const last = await options.start();
  try {
    await check(options.rounds, last);
  } finally {
    await last.kill();
  }
  return stats;
}
