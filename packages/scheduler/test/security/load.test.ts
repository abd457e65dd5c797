import { serialize } from '@cubemark/format';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { field4d, inlinePublication } from '../helpers/publications.js';
import { formatFigures, runLoad } from '../helpers/load.js';
import { startServer, type Running } from '../helpers/server.js';

/**
 * The short form of bench/security (npm run bench:load): reads of every kind under load while publishes replace
 * publications beside them. Every read answers 2xx, every publish is acknowledged, and the heap stays bounded.
 * Bounded by request count, not time; the latencies are printed, not asserted.
 */

const TOKEN = 'load-token-0123456789abcd';
/** Growth of the test process's heap allowed over the whole run (server and load generator share it). */
const HEAP_BOUND = 256 * 1024 * 1024;

let srv: Running;
let f4: string;
beforeAll(async () => {
  srv = await startServer({ token: TOKEN, maxHeavyPerClient: 64 });
  const { publication } = await field4d('f4');
  f4 = serialize(publication);
  const response = await srv.call('/publications', { method: 'POST', body: f4, headers: { 'content-type': 'text/markdown' }, auth: true });
  expect(response.status).toBe(201);
});
afterAll(() => srv?.close());

describe('load', () => {
  test('list, describe, data and plot under load with a publish storm beside them: no failure, bounded heap', async () => {
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const figures = await runLoad({
      url: srv.url,
      token: TOKEN,
      amount: 300,
      connections: 8,
      routes: [
        { name: 'list', path: '/publications' },
        { name: 'describe', path: '/publications/f4' },
        { name: 'data', path: '/publications/f4/cubes/0/data?sel=0,0,:,:' },
        { name: 'plot', path: '/publications/f4/cubes/0/plot.png?sel=0,0,:,:&width=400' },
      ],
      // The read publication itself is replaced (with the same content) among others: reads never see it missing.
      storm: [{ name: 'f4', text: f4 }, ...Array.from({ length: 5 }, (_, i) => ({ name: `storm-${i}`, text: serialize(inlinePublication(`storm-${i}`, 4, 1000)) }))],
    });
    process.stderr.write(`${formatFigures(figures)}\n`);
    for (const r of figures.routes) {
      expect(r.requests, r.name).toBeGreaterThanOrEqual(300);
      expect(r.non2xx + r.errors + r.timeouts, r.name).toBe(0);
    }
    expect(figures.storm.publishes).toBeGreaterThan(0);
    expect(figures.storm.failed).toBe(0);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(HEAP_BOUND);
    expect((await srv.call('/healthz')).status).toBe(200);
  });
});
