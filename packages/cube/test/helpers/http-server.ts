/**
 * A real static file server (node:http) on 127.0.0.1, for tests of anything that reads over HTTP.
 *
 * ```ts
 * const server = await startHttpServer('/work/shared/data/iris-test-data', { failFirst: 2 });
 * const src = openByteSource(`${server.url}/NetCDF/testing/units.nc`);
 * ...
 * expect(server.requests.map((r) => r.status)).toEqual([503, 503, 206]);
 * await server.stop();
 * ```
 *
 * It serves files under `rootDir` with `Content-Length`, `Last-Modified`, `ETag` and single `Range` requests
 * (`bytes=a-b`, `bytes=a-`, `bytes=-n`; 416 past the end). Options make it misbehave on purpose:
 * - `ignoreRange`: answer every GET with 200 and the whole body, as some servers do;
 * - `failFirst` (+ `failStatus`, default 503): fail the first N requests, to test retries;
 * - `delayMs`: hold every answer this long, so concurrent requests overlap and `maxInFlight` shows the bound;
 * - `noHead`: answer HEAD with 405;
 * - `respond`: choose a status for a request (e.g. 403 for one path); `undefined` serves normally;
 * - `shortBody`: cut a ranged answer to this many bytes while its `Content-Range` still names the whole range, as
 *   a server or proxy that ends a body early does (`Content-Length` tells the truth, so the answer is well formed).
 *
 * `requests` logs every request in arrival order (method, path, Range header, status, body bytes sent).
 * `inFlight`/`maxInFlight` count requests between arrival and the end of their answer. `stop()` closes every
 * connection and the server; call it in `afterAll`.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve, sep } from 'node:path';

export interface HttpServerOptions {
  /** Answer GET with 200 and the whole body even when `Range` is sent (default: false). */
  ignoreRange?: boolean;
  /** Fail this many requests first, whatever they are (default: 0). */
  failFirst?: number;
  /** Status for the failed requests (default: 503). */
  failStatus?: number;
  /** Milliseconds to hold each answer (default: 0). */
  delayMs?: number;
  /** Answer HEAD with 405 Method Not Allowed (default: false). */
  noHead?: boolean;
  /** A status to answer a request with instead of serving it, or `undefined` to serve it. */
  respond?: (request: RecordedRequest) => number | undefined;
  /** Bytes to send of a ranged (206) answer instead of the whole range, or `undefined` for all of them. */
  shortBody?: (request: RecordedRequest) => number | undefined;
}

export interface RecordedRequest {
  method: string;
  /** Decoded URL path, e.g. `/NetCDF/testing/units.nc`. */
  path: string;
  /** The `Range` header as sent, if any. */
  range?: string;
  /** Status answered (0 until the answer starts). */
  status: number;
  /** Body bytes sent (0 for HEAD and errors). */
  bytes: number;
}

export interface HttpTestServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Forget logged requests and the in-flight maximum (between tests sharing a server). */
  reset(): void;
  stop(): Promise<void>;
}

export async function startHttpServer(rootDir: string, options: HttpServerOptions = {}): Promise<HttpTestServer> {
  const root = resolve(rootDir);
  const requests: RecordedRequest[] = [];
  let failuresLeft = options.failFirst ?? 0;
  let inFlight = 0;
  let maxInFlight = 0;

  const server = createServer((req, res) => {
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: safeDecode(new URL(req.url ?? '/', 'http://x').pathname),
      range: req.headers.range,
      status: 0,
      bytes: 0,
    };
    requests.push(record);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => {
      inFlight -= 1;
    });
    const go = () =>
      serve(root, req, res, record, options, () => failuresLeft-- > 0).catch((error: unknown) => {
        if (!res.headersSent) answer(res, record, 500, String(error));
        else res.destroy();
      });
    if (options.delayMs) setTimeout(go, options.delayMs);
    else void go();
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    reset() {
      requests.length = 0;
      maxInFlight = inFlight;
    },
    stop: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

async function serve(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  record: RecordedRequest,
  options: HttpServerOptions,
  shouldFail: () => boolean,
): Promise<void> {
  if (shouldFail()) return answer(res, record, options.failStatus ?? 503, 'failing on purpose');
  const forced = options.respond?.(record);
  if (forced !== undefined) return answer(res, record, forced, `status ${forced} on purpose`);
  if (record.method !== 'GET' && record.method !== 'HEAD') return answer(res, record, 405, 'GET or HEAD only');
  if (record.method === 'HEAD' && options.noHead) return answer(res, record, 405, 'no HEAD here');

  const file = resolve(root, `.${record.path}`);
  if (file !== root && !file.startsWith(root + sep)) return answer(res, record, 403, 'outside the root');
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return answer(res, record, 404, 'no such file');

  const size = info.size;
  res.setHeader('Last-Modified', info.mtime.toUTCString());
  res.setHeader('ETag', `"${size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`);
  if (!options.ignoreRange) res.setHeader('Accept-Ranges', 'bytes');

  let start = 0;
  let end = size - 1;
  let status = 200;
  const range = options.ignoreRange ? undefined : parseRange(req.headers.range, size);
  if (range === 'unsatisfiable') {
    res.setHeader('Content-Range', `bytes */${size}`);
    return answer(res, record, 416, 'range not satisfiable');
  }
  if (range) {
    [start, end] = range;
    status = 206;
    res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
    const short = options.shortBody?.(record);
    if (short !== undefined) end = Math.min(end, start + short - 1);
  }
  const length = Math.max(0, end - start + 1);
  res.setHeader('Content-Length', length);
  res.setHeader('Content-Type', 'application/octet-stream');
  res.statusCode = status;
  record.status = status;
  if (record.method === 'HEAD' || length === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(file, { start, end });
  stream.on('data', (chunk) => {
    record.bytes += chunk.length;
  });
  stream.pipe(res);
  await new Promise<void>((ok, fail) => {
    stream.on('end', ok);
    stream.on('error', fail);
    res.on('close', ok);
  });
}

/** A single byte range, `'unsatisfiable'`, or `undefined` to send the whole body (absent or multi-range header). */
function parseRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | undefined {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return [Math.max(0, size - n), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return [start, end];
}

function answer(res: ServerResponse, record: RecordedRequest, status: number, text: string): void {
  record.status = status;
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain');
  res.end(`${text}\n`);
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
