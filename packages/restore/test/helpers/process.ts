import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));
/** The compiled `cubemark` command (built by `pnpm run build`, as CI's set-up does). */
export const CUBEMARK = fileURLToPath(new URL('../../../cli/bin/cubemark.js', import.meta.url));

/** A scheduler process started by `startServer`. */
export interface ServerProcess {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Resolves with the `restored …` line once the background restore has finished. */
  readonly restored: Promise<string>;
  /** Everything the process wrote to stderr so far (the scheduler's log). */
  stderr(): string;
  /** SIGKILL, as a crash or power cut would stop it: no hook runs. Resolves once it is gone. */
  kill(): Promise<void>;
  /** SIGTERM: plugins' stop hooks run. */
  stop(): Promise<void>;
}

/**
 * Start `helpers/serve.ts` in a fresh Node process (from source, under tsx) on a free port, or with `cli` the
 * compiled `cubemark serve`; resolves once it listens. `restored` resolves with a line
 * `restored N quarantined Q ...` either way.
 */
export async function startServer(store: string, options: { threads?: number; data?: string; cli?: boolean } = {}): Promise<ServerProcess> {
  const args = options.cli
    ? [CUBEMARK, 'serve', '--store', store, '--port', '0', '--insecure-writes']
    : ['--conditions=source', '--import', 'tsx', SERVE, '--store', store, '--port', '0'];
  if (options.threads !== undefined && !options.cli) args.push('--threads', String(options.threads));
  if (options.data !== undefined) args.push(options.cli ? '--data-base' : '--data', options.data);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = (prefix: string) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const found = out.split('\n').find((l) => l.startsWith(prefix));
        if (found) {
          child.stdout!.off('data', onData);
          resolve(found);
        }
      };
      const onData = (c: Buffer) => {
        out += c.toString();
        check();
      };
      child.stdout!.on('data', onData);
      check();
      void exited.then(() => reject(new Error(`the server exited before printing '${prefix}': ${err}`)));
    });
  // The CLI logs the plugin's own summary on stderr; the helper prints a machine-readable line on stdout.
  const restored = options.cli
    ? new Promise<string>((resolve, reject) => {
        const check = () => {
          const m = /restored ([\d,]+) publications[^\n]*/.exec(err);
          if (m) {
            child.stderr!.off('data', check);
            resolve(`restored ${m[1]!.replace(/,/g, '')} quarantined ${/ · (\d+) quarantined/.exec(m[0])?.[1] ?? 0} (${m[0]})`);
          }
        };
        child.stderr!.on('data', check);
        void exited.then(() => reject(new Error(`the server exited before restoring: ${err}`)));
      })
    : line('restored ');
  restored.catch(() => undefined);
  // `listening on http://127.0.0.1:PORT` (the CLI adds `(restoring in the background)`).
  const url = /^listening on (\S+)/.exec(await line('listening on '))![1]!.replace(/\/$/, '');
  return {
    child,
    url,
    restored,
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
