import { request as httpRequest } from 'node:http';
import { serialize } from '@cubemark/format';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { field4d } from '../helpers/publications.js';
import { startServer, type Running } from '../helpers/server.js';

/** Hostile requests: every one is answered 4xx with a coded JSON error, never 5xx, and the server goes on. */

const TOKEN = 'hostile-token-0123456789';
let srv: Running;
let answered = 0;

beforeAll(async () => {
  srv = await startServer({ token: TOKEN, maxHeavyPerClient: 64 });
  const { publication } = await field4d('f4');
  const response = await srv.call('/publications', { method: 'POST', body: serialize(publication), headers: { 'content-type': 'text/markdown' }, auth: true });
  expect(response.status).toBe(201);
});
afterAll(() => srv.close());

/**
 * A request sent as given (the path is not normalised or re-encoded, as `fetch` would), answered with status and
 * body.
 */
function raw(method: string, path: string, options: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<{ status: number; body: string; type: string }> {
  const { hostname, port } = new URL(srv.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path, headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        answered++;
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), type: String(res.headers['content-type'] ?? '') });
      });
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** A 4xx answer with a JSON `{code, message}` body. */
function expectClientError(answer: { status: number; body: string; type: string }, what: string): string {
  expect(answer.status, `${what}: ${answer.status} ${answer.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(answer.status, `${what}: ${answer.body.slice(0, 300)}`).toBeLessThan(500);
  if (answer.status === 431) return 'HEADERS_TOO_LARGE';
  expect(answer.type, what).toMatch(/application\/json/);
  const body = JSON.parse(answer.body) as { code?: unknown; message?: unknown };
  expect(typeof body.code, what).toBe('string');
  expect(typeof body.message, what).toBe('string');
  return body.code as string;
}

const auth = { authorization: `Bearer ${TOKEN}` };

/** Segments that try to climb, hide a NUL, or look like a dot without being one. */
export const PATH_TRICKS = [
  '%2e%2e',
  '..',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '..%2f..%2fetc%2fpasswd',
  '%252e%252e',
  'f4%00',
  '%00',
  'a%00.md',
  '%c0%ae%c0%ae',
  '%c0%af',
  '%e0%80%ae',
  '%ef%bc%8e%ef%bc%8e',
  '%e2%80%a4%e2%80%a4',
  'f%e2%80%8b4',
  '%ff%fe',
  '%zz',
  '%',
  '%u002e',
  'x'.repeat(300),
  '-1',
  '1e309',
  '99999999999999999999999',
  '0x1',
  '%200',
  '%20',
  'f4%2fcubes%2f0',
  '.md',
  '..md',
  '%2e%2e.md',
];

describe('malformed bodies and content types', () => {
  test('malformed JSON, empty JSON, JSON of the wrong shape', async () => {
    const json = { ...auth, 'content-type': 'application/json' };
    expect(expectClientError(await raw('POST', '/publications', { headers: json, body: '{"name": "x", "sources": [' }), 'truncated JSON')).toBe('BAD_REQUEST');
    expect(expectClientError(await raw('POST', '/publications', { headers: json, body: '' }), 'empty JSON')).toBe('BAD_REQUEST');
    expect(expectClientError(await raw('POST', '/publications', { headers: json, body: '[]' }), 'array')).toBe('VALIDATION');
    expect(expectClientError(await raw('POST', '/publications', { headers: json, body: '{"name": 5, "sources": "x"}' }), 'wrong types')).toBe('VALIDATION');
    expect(expectClientError(await raw('POST', '/publications', { headers: json, body: '{"__proto__": {"admin": true}, "name": "x", "sources": ["a"]}' }), 'proto')).toMatch(/VALIDATION|BAD_REQUEST/);
    expect(expectClientError(await raw('POST', '/publications', { headers: json, body: '{"name":"x","sources":["a"]}'.padEnd(200, ' ') + '\u0000' }), 'NUL after JSON')).toBe('BAD_REQUEST');
    expect(expectClientError(await raw('POST', '/publications', { headers: json, body: Buffer.from([0xff, 0xfe, 0x00, 0x7b]) }), 'not UTF-8')).toBe('BAD_REQUEST');
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expectClientError(await raw('POST', '/publications', { headers: json, body: deep }), 'deeply nested JSON');
  });

  test('wrong or missing content types', async () => {
    for (const type of ['application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'text/html', 'application/json-patch+json', 'image/png']) {
      expect(expectClientError(await raw('POST', '/publications', { headers: { ...auth, 'content-type': type }, body: 'x' }), type)).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    expectClientError(await raw('POST', '/publications', { headers: { ...auth }, body: 'name: x' }), 'no content type');
    expectClientError(await raw('POST', '/publications', { headers: { ...auth, 'content-type': 'text/markdown; charset=latin-1' }, body: '---\n' }), 'markdown charset');
  });

  test('documents that are not documents', async () => {
    const md = { ...auth, 'content-type': 'text/markdown' };
    for (const body of ['', '---', '---\n---\n', '\u0000'.repeat(100), '---\nname: x\n' + 'a: &a [*a]\n', '---\ncubemark: 1\nname: ../../etc/passwd\n---\n', '---\n' + 'k: '.repeat(10000)]) {
      expectClientError(await raw('POST', '/publications?name=x', { headers: md, body }), `document ${JSON.stringify(body.slice(0, 30))}`);
    }
  });

  test('a Content-Length that lies is refused or cut off, never a crash', async () => {
    const answer = await raw('POST', '/publications', { headers: { ...auth, 'content-type': 'application/json', 'content-length': '-1' }, body: '{}' }).catch(() => ({ status: 400, body: '{"code":"x","message":"closed"}', type: 'application/json' }));
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
  });
});

describe('path tricks in every route parameter', () => {
  const routes = [
    (p: string) => `/publications/${p}`,
    (p: string) => `/publications/${p}.md`,
    (p: string) => `/publications/${p}/cubes/0`,
    (p: string) => `/publications/f4/cubes/${p}`,
    (p: string) => `/publications/f4/cubes/${p}/data`,
    (p: string) => `/publications/${p}/cubes/0/data`,
    (p: string) => `/publications/f4/cubes/${p}/collapsed?coords=time`,
    (p: string) => `/publications/f4/cubes/${p}/plot.png`,
    (p: string) => `/publications/${p}/unified/ta`,
    (p: string) => `/publications/f4/unified/${p}`,
    (p: string) => `/publications/f4/unified/${p}/data`,
    (p: string) => `/publications/f4/unified/${p}/plot.png`,
  ];

  test(`${PATH_TRICKS.length} tricks × ${routes.length} GET routes, and DELETE and persist`, async () => {
    for (const trick of PATH_TRICKS) {
      for (const route of routes) {
        const answer = await raw('GET', route(trick)).catch((error: Error) => {
          throw new Error(`GET ${route(trick)}: ${error.message}`);
        });
        expectClientError(answer, `GET ${route(trick)}`);
      }
      expectClientError(await raw('DELETE', `/publications/${trick}`, { headers: auth }), `DELETE ${trick}`);
      expectClientError(await raw('POST', `/publications/${trick}/persist`, { headers: auth }), `persist ${trick}`);
    }
    // Nothing was removed or published by any of them.
    const list = JSON.parse((await raw('GET', '/publications')).body) as { publications: { name: string }[] };
    expect(list.publications.map((p) => p.name)).toEqual(['f4']);
  });

  test('raw bytes the URL parser must take: NUL, control characters, non-ASCII', async () => {
    for (const path of ['/publications/f4%00/cubes/0', '/publications/%E2%80%AE4f', '/publications/f4/cubes/0/data?sel=%00', '/publications/f4/cubes/0/data?sel=0,0,0,%EF%BC%9A']) {
      expectClientError(await raw('GET', path), path);
    }
  });
});

describe('query parameters out of range', () => {
  const data = '/publications/f4/cubes/0/data';
  const cases = [
    `${data}?sel=0,0,0,0,0,0`,
    `${data}?sel=99,0,0,0`,
    `${data}?sel=-99,0,0,0`,
    `${data}?sel=0:1:0,0,0,0`,
    `${data}?sel=${'9'.repeat(400)},0,0,0`,
    `${data}?sel=1e309,0,0,0`,
    `${data}?sel=NaN,0,0,0`,
    `${data}?sel=::-0,0,0,0`,
    `${data}?sel=,,,,`,
    `${data}?sel=${','.repeat(900)}`,
    `${data}?sel=0&sel=1`,
    `${data}?format=xml`,
    `${data}?time=not-a-date&format=json`,
    `${data}?time=9999999-01-01&format=json`,
    `${data}?time=2017-05-15T03:00&time=2017-05-15T04:00`,
    `${data}?level=1e999&format=json`,
    `${data}?nosuchcoord=1&format=json`,
    `${data}?sel=0,0,0,:&time=2017-01-01`,
    '/publications/f4/cubes/0/collapsed?coords=nosuch',
    '/publications/f4/cubes/0/collapsed?coords=time&op=median',
    '/publications/f4/cubes/0/collapsed?coords=time,time',
    '/publications/f4/cubes/0/collapsed?coords=',
    '/publications/f4/cubes/0/collapsed',
    '/publications/f4/cubes/0/plot.png?sel=0,0,:,:&width=0',
    '/publications/f4/cubes/0/plot.png?sel=0,0,:,:&width=100000000',
    '/publications/f4/cubes/0/plot.png?sel=0,0,:,:&width=-5',
    '/publications/f4/cubes/0/plot.png?sel=0,0,:,:&height=abc',
    '/publications/f4/cubes/0/plot.png?sel=0,0,:,:&range=1,0',
    '/publications/f4/cubes/0/plot.png?sel=0,0,:,:&range=NaN,Infinity',
    '/publications/f4/cubes/0/plot.png?sel=0,0,:,:&colormap=../../etc/passwd',
    '/publications/f4/cubes/0/plot.png?sel=0,0,:,:&kind=rainbow',
    '/publications/f4/cubes/0/plot.png?sel=:,:,:,:',
    '/publications/f4/cubes/0/plot.png?sel=0,0,0,0',
    `/publications/f4/cubes/0/plot.png?sel=0,0,:,:&title=${'x'.repeat(1000)}`,
    '/publications/f4?format=pdf',
    '/publications/f4/cubes/0?format=yaml',
  ];
  test(`${cases.length} selections and options that do not fit`, async () => {
    for (const path of cases) expectClientError(await raw('GET', path), path);
    expectClientError(await raw('POST', '/publications?replace=maybe', { headers: { ...auth, 'content-type': 'application/json' }, body: '{"name":"x","sources":["a"]}' }), 'replace=maybe');
    expectClientError(await raw('POST', `/publications?name=${'%2e%2e'}`, { headers: { ...auth, 'content-type': 'text/markdown' }, body: '---\n' }), 'name=..');
  });
});

describe('fuzzing the OpenAPI routes', () => {
  test('generated requests against every route of the OpenAPI document: never 5xx, always a coded error', async () => {
    const doc = JSON.parse((await raw('GET', '/openapi.json')).body) as {
      paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema?: { type?: string; enum?: string[] } }[] }>>;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), query: (op.parameters ?? []).filter((p) => p.in === 'query') })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(14);

    const segment = fc.oneof(
      fc.constantFrom(...PATH_TRICKS, 'f4', '0', '1', 'ta', 'ps', '2'),
      fc.string({ unit: 'binary', maxLength: 30 }).map(encodeURIComponent),
      fc.integer({ min: -5, max: 1e12 }).map(String),
    );
    const value = fc.oneof(
      fc.constantFrom('', '0', '-1', ':', '0,0,:,:', '::-1', '1e309', 'NaN', 'json', 'binary', 'md', 'text', 'time', 'mean', '2017-05-15T03:00', 'true'),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.integer().map(String),
    );
    const request = fc.record({
      op: fc.constantFrom(...operations),
      params: fc.array(segment, { minLength: 3, maxLength: 3 }),
      query: fc.array(fc.tuple(fc.oneof(fc.constantFrom('sel', 'format', 'coords', 'op', 'width', 'height', 'range', 'colormap', 'kind', 'title', 'time', 'replace', 'name'), fc.string({ maxLength: 10 })), value), { maxLength: 4 }),
      body: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 200 }), fc.json({ maxDepth: 3 })),
      type: fc.constantFrom('application/json', 'text/markdown', 'text/plain', 'application/octet-stream', undefined),
      authorized: fc.boolean(),
    });

    let served = 0;
    await fc.assert(
      fc.asyncProperty(request, async ({ op, params, query, body, type, authorized }) => {
        let i = 0;
        const path = op.path.replace(/\{[^}]+\}/g, () => params[i++ % params.length]);
        const search = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        const headers: Record<string, string> = { ...(authorized ? auth : {}), ...(type ? { 'content-type': type } : {}) };
        // Writes that would succeed are fine; removing or replacing f4 is not what the fuzz is after.
        if (op.method === 'DELETE' && path === '/publications/f4') return;
        const send = op.method === 'POST' && body !== undefined ? { headers, body } : { headers };
        const answer = await raw(op.method, `${path}${search ? `?${search}` : ''}`, send);
        served++;
        if (answer.status >= 400) expectClientError(answer, `${op.method} ${path}?${search}`);
        else expect(answer.status).toBeLessThan(400);
      }),
      { numRuns: 400, seed: 12 },
    );
    expect(served).toBeGreaterThan(300);
    process.stderr.write(`figures: hostile HTTP: ${answered} requests answered in this file, no 5xx\n`);
    expect((await raw('GET', '/healthz')).status).toBe(200);
  });
});
