/**
 * An HTTP proxy that injects faults between a client and a real server (s3rver, in the store tests): what a flaky
 * network or an overloaded S3 does. `plan(request, n)` picks the fault for the n-th request (0-based):
 *
 * - `ok`: forwarded as is;
 * - `500`, `503`: answered with that status and an S3-style XML error, never forwarded;
 * - `reset`: the connection is destroyed before anything is forwarded;
 * - `hang`: never answered (until the client gives up or the proxy stops);
 * - `slow`: forwarded, the answer's body sent 256 bytes every 40 ms;
 * - `truncate`: forwarded, the answer's headers (with its true Content-Length) and half its body sent, then the
 *   connection destroyed;
 * - `lost`: forwarded (so a write is done) but the answer never delivered: the connection is destroyed.
 *
 * `log` records every request with its fault. Loopback only; `stop()` ends every connection.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault = 'ok' | '500' | '503' | 'reset' | 'hang' | 'slow' | 'truncate' | 'lost';

export interface ProxiedRequest {
  method: string;
  url: string;
  fault: Fault;
}

export interface FaultProxy {
  url: string;
  log: ProxiedRequest[];
  plan: (request: { method: string; url: string }, n: number) => Fault;
  stop(): Promise<void>;
}

export async function startFaultProxy(target: string, plan: FaultProxy['plan'] = () => 'ok'): Promise<FaultProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const proxy: FaultProxy = { url: '', log: [], plan, stop: async () => undefined };

  const forward = (req: IncomingMessage, body: Buffer, answer: (res: IncomingMessage, data: Buffer) => void, fail: () => void) => {
    const out = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => answer(res, Buffer.concat(chunks)));
        res.on('error', fail);
      },
    );
    out.on('error', fail);
    out.end(body);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const n = proxy.log.length;
      const fault = proxy.plan({ method: req.method ?? 'GET', url: req.url ?? '/' }, n);
      proxy.log.push({ method: req.method ?? 'GET', url: req.url ?? '/', fault });
      const body = Buffer.concat(chunks);
      const kill = () => req.socket.destroy();
      switch (fault) {
        case '500':
        case '503': {
          const xml = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${fault === '503' ? 'SlowDown' : 'InternalError'}</Code><Message>injected</Message></Error>`;
          res.writeHead(Number(fault), { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) }).end(xml);
          return;
        }
        case 'reset':
          return kill();
        case 'hang':
          return;
        default:
          forward(
            req,
            body,
            (up, data) => {
              if (fault === 'lost') return kill();
              const headers = { ...up.headers };
              delete headers['transfer-encoding'];
              headers['content-length'] = String(data.length);
              res.writeHead(up.statusCode ?? 502, headers);
              if (fault === 'truncate' && data.length > 1) {
                res.write(data.subarray(0, Math.floor(data.length / 2)), () => setTimeout(kill, 5));
                return;
              }
              if (fault === 'slow') {
                let at = 0;
                const drip = () => {
                  if (res.destroyed) return;
                  if (at >= data.length) return void res.end();
                  res.write(data.subarray(at, at + 256));
                  at += 256;
                  const t = setTimeout(drip, 40);
                  timers.add(t);
                };
                return drip();
              }
              res.end(data);
            },
            kill,
          );
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.stop = async () => {
    for (const t of timers) clearTimeout(t);
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  return proxy;
}

/** A deterministic pseudo-random fault plan: `rate` of requests get one of `faults`, chosen by a seeded generator. */
export function randomPlan(seed: number, rate: number, faults: Fault[]): FaultProxy['plan'] {
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  return () => (next() < rate ? faults[Math.floor(next() * faults.length)]! : 'ok');
}
