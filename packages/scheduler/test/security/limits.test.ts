import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { serialize } from '@cubemark/format';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/http/guard.js';
import { field4d, inlinePublication } from '../helpers/publications.js';
import { errorOf, startServer, type Running } from '../helpers/server.js';

const TOKEN = 'limits-token-0123456789';

const publishDoc = (srv: Running, text: string) =>
  srv.call('/publications', { method: 'POST', body: text, headers: { 'content-type': 'text/markdown' }, auth: true });

/** A raw TCP connection to the server, to send requests byte by byte as a slow or broken client does. */
function rawSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves with what the server sent before it closed the connection. */
function closed(socket: Socket): Promise<string> {
  let received = '';
  socket.on('data', (d) => (received += d.toString('latin1')));
  socket.on('error', () => undefined);
  return new Promise((resolve) => socket.once('close', () => resolve(received)));
}

describe('slow-loris: connections that never finish their request are closed', () => {
  let srv: Running;
  beforeAll(async () => {
    srv = await startServer({ token: TOKEN, timeouts: { headersMs: 500, requestMs: 1500, checkIntervalMs: 100, keepAliveMs: 300 } });
  });
  afterAll(() => srv.close());

  test('20 clients trickling headers a byte at a time are cut off, while other clients are served', async () => {
    const sockets = await Promise.all(Array.from({ length: 20 }, () => rawSocket(srv.url)));
    const ends = sockets.map(closed);
    let sent = 0;
    const header = 'GET /publications HTTP/1.1\r\nHost: x\r\nX-Slow: ';
    // Keep trickling until every socket is closed; bounded so the test ends by itself.
    const trickle = setInterval(() => {
      for (const s of sockets) if (!s.destroyed) s.write(sent < header.length ? header[sent] : 'a');
      sent++;
    }, 50);
    try {
      // Meanwhile a normal client is answered.
      expect((await srv.call('/publications')).status).toBe(200);
      const answers = await Promise.all(ends);
      // Node answers 408 Request Timeout (or just closes) once the header deadline passed.
      for (const a of answers) expect(a === '' || a.startsWith('HTTP/1.1 408')).toBe(true);
      expect(sent).toBeLessThan(400);
    } finally {
      clearInterval(trickle);
    }
    expect((await srv.call('/healthz')).status).toBe(200);
  });

  test('a body sent too slowly is cut off by the request deadline', async () => {
    const socket = await rawSocket(srv.url);
    const end = closed(socket);
    socket.write(`POST /publications HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: text/markdown\r\nContent-Length: 100000\r\n\r\n`);
    const drip = setInterval(() => !socket.destroyed && socket.write('x'), 50);
    try {
      const answer = await end;
      expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
    } finally {
      clearInterval(drip);
    }
  });

  test('an idle keep-alive connection is closed after its timeout', async () => {
    const socket = await rawSocket(srv.url);
    const end = closed(socket);
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await end).toMatch(/^HTTP\/1.1 200/);
  });
});

describe('request limits', () => {
  let srv: Running;
  beforeAll(async () => {
    srv = await startServer({
      token: TOKEN,
      bodyLimit: 64 * 1024,
      maxReadValues: 100,
      maxHeavyPerClient: 2,
      rateLimit: { max: 40, timeWindowMs: 60_000 },
      maxHeaderBytes: 8 * 1024,
      publicationLimits: { maxCubes: 3 },
    });
    const { publication } = await field4d('f4');
    expect((await publishDoc(srv, serialize(publication))).status).toBe(201);
  });
  afterAll(() => srv.close());

  test('a body over the limit is 413 BODY_TOO_LARGE', async () => {
    const response = await publishDoc(srv, 'x'.repeat(100 * 1024));
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe('BODY_TOO_LARGE');
  });

  test('a publication with more cubes than allowed is 413 PUBLICATION_TOO_LARGE', async () => {
    const response = await publishDoc(srv, serialize(inlinePublication('many', 4)));
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe('PUBLICATION_TOO_LARGE');
    expect((await srv.call('/publications/many')).status).toBe(404);
  });

  test('a selection reading more values than allowed is 413 before anything is read, for data, collapse and plot', async () => {
    // ta is 3 × 4 × 10 × 12 = 1440 values; 100 may be read.
    for (const path of ['/cubes/0/data?format=json', '/cubes/0/collapsed?coords=time', '/cubes/0/plot.png?sel=0,0,:,:']) {
      const response = await srv.call(`/publications/f4${path}`);
      expect(response.status, path).toBe(413);
      expect((await errorOf(response)).code).toBe('SLICE_TOO_LARGE');
    }
    expect((await srv.call('/publications/f4/cubes/0/data?sel=0,0,0,:&format=json')).status).toBe(200);
  });

  test('headers over the limit are 431, and the server goes on', async () => {
    const response = await srv.call('/publications', { headers: { 'x-big': 'a'.repeat(16 * 1024) } });
    expect(response.status).toBe(431);
    expect((await srv.call('/healthz')).status).toBe(200);
  });

  test('security headers: a CSP, nosniff, no framing; no CORS headers by default', async () => {
    const response = await srv.call('/publications');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY.scriptSrc).toEqual(["'self'"]);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const cors = await srv.call('/publications', { headers: { origin: 'https://elsewhere.example' } });
    expect(cors.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('the rate limit answers 429 RATE_LIMITED with Retry-After', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 60; i++) {
      last = await srv.call('/healthz');
      if (last.status === 429) break;
    }
    expect(last!.status).toBe(429);
    expect(last!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await errorOf(last!)).code).toBe('RATE_LIMITED');
  });
});

describe('clients behind a proxy', () => {
  const limited = async (srv: Running, client: string) => {
    for (let i = 0; i < 10; i++) if ((await srv.call('/healthz', { headers: { 'x-forwarded-for': client } })).status === 429) return true;
    return false;
  };

  test('with trustProxy, X-Forwarded-For names the client: one client limited, another still served', async () => {
    const srv = await startServer({ rateLimit: { max: 5, timeWindowMs: 60_000 }, trustProxy: ['127.0.0.1'] });
    try {
      expect(await limited(srv, '203.0.113.1')).toBe(true);
      expect((await srv.call('/healthz', { headers: { 'x-forwarded-for': '203.0.113.2' } })).status).toBe(200);
    } finally {
      await srv.close();
    }
  });

  test('without it, the header is not believed: every request from the proxy counts as one client', async () => {
    const srv = await startServer({ rateLimit: { max: 5, timeWindowMs: 60_000 } });
    try {
      expect(await limited(srv, '203.0.113.1')).toBe(true);
      expect((await srv.call('/healthz', { headers: { 'x-forwarded-for': '203.0.113.2' } })).status).toBe(429);
    } finally {
      await srv.close();
    }
  });
});

describe('heavy requests per client', () => {
  test('a client with maxHeavyPerClient data requests running gets 429 TOO_MANY_REQUESTS for the next', async () => {
    // A data server that answers range requests from memory, and holds them while `hold` is set.
    const { path } = await field4d('held');
    const bytes = await readFile(path);
    let hold = false;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held = 0;
    const data = createServer((req, res) => {
      const answer = () => {
        const m = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '');
        if (!m) return res.writeHead(200, { 'content-length': bytes.length }).end(req.method === 'HEAD' ? undefined : bytes);
        const from = Number(m[1]);
        const to = Math.min(Number(m[2]), bytes.length - 1);
        res.writeHead(206, { 'content-range': `bytes ${from}-${to}/${bytes.length}`, 'content-length': to - from + 1 }).end(bytes.subarray(from, to + 1));
      };
      if (!hold) return answer();
      held++;
      void gate.then(answer);
    });
    await new Promise<void>((r) => data.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(data.address() as AddressInfo).port}/`;
    const srv = await startServer({ token: TOKEN, maxHeavyPerClient: 2, sourcePolicy: { allowUrls: [base] } });
    try {
      const published = await srv.call('/publications', { method: 'POST', auth: true, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'held', sources: [`${base}field4d.nc`] }) });
      expect(published.status, await published.clone().text()).toBe(201);
      const described = (await (await srv.call('/publications/held')).json()) as { cubes: { index: number; shape: number[] }[] };
      const field = described.cubes.find((c) => c.shape.length === 4);
      expect(field).toBeDefined();
      hold = true;
      const url = `/publications/held/cubes/${field?.index}/data?sel=0,0,0,:&format=json`;
      const first = [srv.call(url), srv.call(url)];
      while (held < 1) await new Promise((r) => setTimeout(r, 20));
      const third = await srv.call(url);
      expect(third.status).toBe(429);
      expect((await errorOf(third)).code).toBe('TOO_MANY_REQUESTS');
      // Light requests are not counted.
      expect((await srv.call('/publications/held')).status).toBe(200);
      release();
      for (const r of await Promise.all(first)) expect(r.status).toBe(200);
      // Once they finished, the client may send more.
      expect((await srv.call(url)).status).toBe(200);
    } finally {
      release();
      await srv.close();
      await new Promise((r) => data.close(r));
    }
  });
});

describe('CORS, when configured', () => {
  test('answers the configured origin only, preflight included', async () => {
    const srv = await startServer({ token: TOKEN, corsOrigins: ['https://maps.example.org'] });
    try {
      const ok = await srv.call('/publications', { headers: { origin: 'https://maps.example.org' } });
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://maps.example.org');
      expect(ok.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      const other = await srv.call('/publications', { headers: { origin: 'https://evil.example' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      const preflight = await srv.call('/publications', {
        method: 'OPTIONS',
        headers: { origin: 'https://maps.example.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    } finally {
      await srv.close();
    }
  });
});
