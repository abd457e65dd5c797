/**
 * Scheduler processes with the restore plugin, for the process-level tests and bench/restore (run.ts, chaos.ts):
 * spawn one, wait for what it prints, kill it as a crash would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));
/** The compiled `cubemark` command (built by `pnpm run build`, as CI's set-up does). */
export const CUBEMARK = fileURLToPath(new URL('../../../cli/bin/cubemark.js', import.meta.url));

export interface ServerOptions {
  /** Worker threads for the helper (`--threads`); the CLI takes `CUBEMARK_RESTORE_THREADS` from `env`. */
  threads?: number;
  /** What relative data-source URIs resolve against. */
  data?: string;
  /** URL prefixes (`s3://bucket/`, `http://host/`) the server may read sources under (`--allow-url`). */
  allowUrls?: string[];
  /** The compiled `cubemark serve` instead of `helpers/serve.ts` from source. */
  cli?: boolean;
  /** The process's working directory (default: this one's). */
  cwd?: string;
  /** Environment variables to set besides this process's own. */
  env?: Record<string, string>;
  /** Run as this user and group (through `setpriv`, which needs root): file permissions then apply to it. */
  as?: { uid: number; gid: number };
}

/** A scheduler process started by `startServer`. */
export interface ServerProcess {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `performance.now()` just before the process was spawned. */
  readonly startedAt: number;
  /** Milliseconds from spawning to the `listening on` line. */
  readonly listeningMs: number;
  /** Resolves with a line `restored N quarantined Q …` once the background restore has finished. */
  readonly restored: Promise<string>;
  /** Resolves once what the process wrote (stdout and stderr together) matches `re`, with the ms since spawning. */
  seen(re: RegExp): Promise<{ ms: number; match: RegExpExecArray }>;
  /** Everything the process wrote to stderr so far (the scheduler's log). */
  stderr(): string;
  /** SIGKILL, as a crash or power cut would stop it: no hook runs. Resolves once it is gone. */
  kill(): Promise<void>;
  /** SIGTERM: plugins' stop hooks run. */
  stop(): Promise<void>;
}

/**
 * Start `helpers/serve.ts` in a fresh Node process (from source, under tsx) on a free port, or with `cli` the
 * compiled `cubemark serve`; resolves once it listens.
 */
export async function startServer(store: string, options: ServerOptions = {}): Promise<ServerProcess> {
  const args = options.cli
    ? [CUBEMARK, 'serve', '--store', store, '--port', '0', '--insecure-writes']
    : ['--conditions=source', '--import', 'tsx', SERVE, '--store', store, '--port', '0'];
  if (options.threads !== undefined && !options.cli) args.push('--threads', String(options.threads));
  if (options.data !== undefined) args.push(options.cli ? '--data-base' : '--data', options.data);
  for (const prefix of options.allowUrls ?? []) args.push('--allow-url', prefix);
  const startedAt = performance.now();
  const [command, argv] = options.as
    ? ['setpriv', ['--reuid', String(options.as.uid), '--regid', String(options.as.gid), '--clear-groups', process.execPath, ...args]]
    : [process.execPath, args];
  const child = spawn(command, argv, {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', ...options.env },
  });
  let out = '';
  let err = '';
  let all = '';
  const waiters = new Set<() => void>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
    all += c.toString();
    for (const check of waiters) check();
  });
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
    all += c.toString();
    for (const check of waiters) check();
  });
  /** Resolves once `re` matches `text()`; rejects if the process exits first. */
  const seenIn = (text: () => string, re: RegExp) =>
    new Promise<{ ms: number; match: RegExpExecArray }>((resolve, reject) => {
      const check = () => {
        const match = re.exec(text());
        if (match) {
          waiters.delete(check);
          resolve({ ms: performance.now() - startedAt, match });
        }
      };
      waiters.add(check);
      check();
      void exited.then(() => {
        waiters.delete(check);
        reject(new Error(`the server exited before printing /${re.source}/: ${err.slice(-2000)}`));
      });
    });
  // The CLI logs the plugin's own summary on stderr; the helper prints a machine-readable line on stdout.
  const restored = options.cli
    ? seenIn(() => err, /restored ([\d,]+) publications[^\n]*\n/).then(({ match: m }) => {
        const line = m[0].trimEnd();
        return `restored ${m[1]!.replace(/,/g, '')} quarantined ${/ · (\d+) quarantined/.exec(line)?.[1] ?? 0} (${line})`;
      })
    : seenIn(() => out, /^restored [^\n]*(?=\n)/m).then(({ match }) => match[0]);
  restored.catch(() => undefined);
  // `listening on http://127.0.0.1:PORT` (the CLI adds `(restoring in the background)`).
  const listening = await seenIn(() => out, /^listening on (\S+)(?=\s)/m);
  return {
    child,
    url: listening.match[1]!.replace(/\/$/, ''),
    startedAt,
    listeningMs: listening.ms,
    restored,
    seen: (re) => seenIn(() => all, re),
    stderr: () => err,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
