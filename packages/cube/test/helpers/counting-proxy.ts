/**
 * An HTTP proxy on 127.0.0.1 that records every request it forwards (method, path, Range header, status, body
 * bytes answered): put it in front of s3rver or an HTTP server to count what a process — even another one —
 * reads from which object.
 *
 * ```ts
 * const proxy = await startCountingProxy(s3.endpoint);
 * // give the code under test `proxy.url` as its endpoint (CUBEMARK_S3_ENDPOINT)
 * proxy.requests.filter((r) => r.path.startsWith('/bucket/data/')); // what was read there
 * proxy.reset();
 * await proxy.stop();
 * ```
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ProxiedRequest {
  method: string;
  /** The path without the query string, decoded (`/bucket/key`). */
  path: string;
  /** The query string, without `?` ('' when none). */
  query: string;
  /** `[first, last]` byte of a `Range: bytes=first-last` request; undefined for a whole-object request. */
  range?: [number, number];
  status: number;
  /** Body bytes sent back. */
  bytes: number;
}

export interface CountingProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Requests answered so far, in the order they finished. */
  readonly requests: readonly ProxiedRequest[];
  /** Forget the requests recorded so far. */
  reset(): void;
  stop(): Promise<void>;
}

function parseRange(header: string | undefined): [number, number] | undefined {
  const m = /^bytes=(\d+)-(\d+)$/.exec(header ?? '');
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  let requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const [pathPart, query = ''] = (req.url ?? '/').split('?', 2);
    const record: ProxiedRequest = { method: req.method ?? 'GET', path: decodeURIComponent(pathPart), query, range: parseRange(req.headers.range), status: 0, bytes: 0 };
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        record.status = answer.statusCode ?? 0;
        res.writeHead(record.status, answer.headers);
        answer.on('data', (chunk: Buffer) => {
          record.bytes += chunk.length;
        });
        answer.on('end', () => requests.push(record));
        answer.pipe(res);
      },
    );
    forward.on('error', (error) => {
      requests.push(record);
      res.destroy(error);
    });
    req.pipe(forward);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    reset() {
      requests = [];
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
