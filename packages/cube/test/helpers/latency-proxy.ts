/**
 * A TCP proxy on 127.0.0.1 that adds a round-trip time to everything it forwards: each chunk of bytes, either way,
 * is delivered half an RTT after it arrived (order kept). Put it in front of a loopback server (s3rver, an HTTP
 * server) to see how a request pattern behaves over a real network.
 *
 * ```ts
 * const proxy = await startLatencyProxy(new URL(s3.endpoint).port, { rttMs: 30 });
 * // use `http://127.0.0.1:${proxy.port}` as the endpoint
 * await proxy.stop();
 * ```
 */
import { createConnection, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface LatencyProxy {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Connections accepted so far. */
  readonly connections: number;
  stop(): Promise<void>;
}

/** Forward `from` → `to`, each chunk `delayMs` after it arrived, in order; end and errors passed along. */
function delayed(from: Socket, to: Socket, delayMs: number): void {
  let last = 0;
  from.on('data', (chunk: Buffer) => {
    // Never before the previous chunk: timers of equal delay fire in order, but clocks are coarse.
    const due = Math.max(Date.now() + delayMs, last);
    last = due;
    setTimeout(() => {
      if (!to.destroyed) to.write(chunk);
    }, due - Date.now());
  });
  from.on('end', () => setTimeout(() => to.end(), Math.max(0, last - Date.now()) + delayMs));
  from.on('error', () => to.destroy());
  from.on('close', () => setTimeout(() => to.destroy(), Math.max(0, last - Date.now()) + delayMs + 1));
}

export async function startLatencyProxy(targetPort: number | string, options: { rttMs: number }): Promise<LatencyProxy> {
  const half = options.rttMs / 2;
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((client) => {
    connections += 1;
    const upstream = createConnection({ host: '127.0.0.1', port: Number(targetPort) });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.setNoDelay(true);
    }
    delayed(client, upstream, half);
    delayed(upstream, client, half);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
