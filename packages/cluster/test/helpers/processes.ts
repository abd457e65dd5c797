/**
 * Real processes for the cluster's tests and bench: a `redis-server` on a free port, and `cubemark serve --redis`
 * replicas and `cubemark worker`s, spawned from source under tsx (or compiled, with `compiled: true`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const CUBEMARK_SOURCE = fileURLToPath(new URL('./cubemark.ts', import.meta.url));
const CUBEMARK_COMPILED = fileURLToPath(new URL('../../../cli/bin/cubemark.js', import.meta.url));
/** The repository: tsx is resolved from here. */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** A free TCP port on 127.0.0.1 (free when asked; Redis binds it a moment later). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A child process whose output the test can wait for. */
export interface Proc {
  readonly child: ChildProcess;
  /** Resolves once stdout+stderr match `re` (rejects if the process exits first). */
  seen(re: RegExp, from?: number): Promise<RegExpExecArray>;
  /** Everything written so far. */
  output(): string;
  readonly exited: Promise<number | null>;
  /** SIGKILL: as a crash. */
  kill(): Promise<void>;
  /** SIGTERM: a clean stop. */
  stop(): Promise<void>;
}

export function spawnProc(command: string, args: string[], env: Record<string, string> = {}, cwd?: string): Proc {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', ...env }, cwd });
  let all = '';
  const waiters = new Set<() => void>();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const onData = (chunk: Buffer) => {
    all += chunk.toString();
    for (const check of waiters) check();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return {
    child,
    exited,
    output: () => all,
    seen(re, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = re.exec(all.slice(from));
          if (match) {
            waiters.delete(check);
            resolve(match);
          }
        };
        waiters.add(check);
        check();
        void exited.then(() => {
          if (!waiters.has(check)) return;
          waiters.delete(check);
          reject(new Error(`${command} exited before printing /${re.source}/:\n${all.slice(-3000)}`));
        });
      });
    },
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
  };
}

/** A redis-server without persistence on `port` (default: a free one). */
export interface RedisProc extends Proc {
  readonly url: string;
  readonly port: number;
}

export async function startRedis(port?: number, extra: string[] = []): Promise<RedisProc> {
  const p = port ?? (await freePort());
  const proc = spawnProc('redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extra]);
  await proc.seen(/Ready to accept connections/);
  return { ...proc, url: `redis://127.0.0.1:${p}`, port: p };
}

export interface ReplicaProc extends Proc {
  readonly url: string;
}

/** `cubemark serve --redis URL --store STORE --port 0 --insecure-writes ...extra`; resolves once it listens. */
export async function startReplica(redis: string, store: string, extra: string[] = [], options: { env?: Record<string, string>; compiled?: boolean } = {}): Promise<ReplicaProc> {
  const proc = spawnCubemark(['serve', '--redis', redis, '--store', store, '--port', '0', '--insecure-writes', ...extra], options);
  const match = await proc.seen(/listening on (http:\/\/\S+)/);
  return { ...proc, url: match[1]! };
}

/** `cubemark worker --redis URL ...extra`; resolves once it takes jobs. */
export async function startWorker(redis: string, extra: string[] = [], options: { env?: Record<string, string>; compiled?: boolean } = {}): Promise<Proc> {
  const proc = spawnCubemark(['worker', '--redis', redis, ...extra], options);
  await proc.seen(/worker .* waiting for jobs/);
  return proc;
}

export function spawnCubemark(args: string[], options: { env?: Record<string, string>; compiled?: boolean } = {}): Proc {
  const node = options.compiled ? [CUBEMARK_COMPILED] : ['--conditions=source', '--import', 'tsx', CUBEMARK_SOURCE];
  return spawnProc(process.execPath, [...node, ...args], { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...options.env }, ROOT);
}

/** Polls `check` every 20 ms until it returns something other than undefined, or `timeoutMs` passes. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, what = 'the condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
