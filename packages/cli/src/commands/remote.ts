import type { Io } from '../io.js';

/**
 * Talking to a running `cubemark serve` from the publish, list and unpublish commands: where it is, the token, and
 * turning its JSON errors (`{code, message, details?}`) into what the user sees.
 */

export const DEFAULT_SERVER = 'http://127.0.0.1:8787';

export interface RemoteOptions {
  server?: string;
  token?: string;
}

/** The server URL: `--server`, else `CUBEMARK_SERVER`, else the default; without a trailing slash. */
export function serverUrl(options: RemoteOptions): string {
  return (options.server ?? process.env.CUBEMARK_SERVER ?? DEFAULT_SERVER).replace(/\/+$/, '');
}

/** The write token: `--token`, else `CUBEMARK_TOKEN`. */
export function tokenOf(options: RemoteOptions): string | undefined {
  const token = options.token ?? process.env.CUBEMARK_TOKEN;
  return token === undefined || token === '' ? undefined : String(token);
}

/**
 * The value of `--name V` / `--name=V` as typed. cac (via mri) turns numeric-looking values into numbers, which
 * would mangle a token like `0123`; the raw argv keeps it.
 */
export function rawOption(argv: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === flag && i + 1 < argv.length) return argv[i + 1];
    if (argv[i].startsWith(`${flag}=`)) return argv[i].slice(flag.length + 1);
  }
  return undefined;
}

/** Every value of a repeatable flag, raw (`--data-root A --data-root=B` → `['A', 'B']`). */
export function rawOptions(argv: readonly string[], flag: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === flag && i + 1 < argv.length) values.push(argv[++i]);
    else if (argv[i].startsWith(`${flag}=`)) values.push(argv[i].slice(flag.length + 1));
  }
  return values;
}

export interface RemoteResult {
  ok: boolean;
  status: number;
  body: unknown;
}

/** A request to the server; a network failure becomes a message saying where and what to check. */
export async function request(url: string, init: RequestInit, token?: string): Promise<RemoteResult> {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`cannot reach ${new URL(url).origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}; is \`cubemark serve\` running there? (--server URL or CUBEMARK_SERVER)`);
  }
  const text = await response.text();
  let body: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    try {
      body = JSON.parse(text);
    } catch {
      // Keep the text: the message below shows it.
    }
  }
  return { ok: response.ok, status: response.status, body };
}

/** Prints the server's error as `cubemark: CODE message` (plus format errors one per line); returns exit code 1. */
export function reportError(result: RemoteResult, io: Io): number {
  const body = result.body as { code?: string; message?: string; details?: { errors?: unknown } } | string;
  if (typeof body === 'object' && body !== null && typeof body.message === 'string') {
    io.err(`cubemark: ${body.code ? `${body.code} ` : ''}${body.message}\n`);
    const errors = body.details?.errors;
    if (Array.isArray(errors)) for (const e of errors) io.err(`${String(e)}\n`);
  } else {
    io.err(`cubemark: the server answered ${result.status}: ${String(body).slice(0, 500)}\n`);
  }
  return 1;
}

/** Runs a command body; a failure to reach the server is printed as `cubemark: message` and exits 1. */
export async function remoteCommand(io: Io, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    io.err(`cubemark: ${(error as Error).message}\n`);
    return 1;
  }
}
