/**
 * Load against a running server: autocannon on the list, describe, data and plot routes at once, while a publish
 * storm (replaces of a few names, back to back) runs beside them. Used by the short load test and by
 * bench/security (the long form, which prints the numbers).
 */
import autocannon from 'autocannon';

export interface LoadRoute {
  name: string;
  path: string;
}

export interface LoadOptions {
  url: string;
  token: string;
  routes: LoadRoute[];
  /** Connections per route (default: 8). */
  connections?: number;
  /** Requests per route (the test: bounded by count) or seconds per route (the bench). */
  amount?: number;
  durationSeconds?: number;
  /** The documents the storm replaces, in turn, until the reads end. */
  storm: { name: string; text: string }[];
}

export interface RouteFigures {
  name: string;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  p50: number;
  p99: number;
  max: number;
  rps: number;
}

export interface LoadFigures {
  routes: RouteFigures[];
  storm: { publishes: number; failed: number; statuses: Record<string, number>; p50: number; p99: number };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;
}

export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  let reading = true;
  const storm = { publishes: 0, failed: 0, statuses: {} as Record<string, number>, p50: 0, p99: 0 };
  const took: number[] = [];
  const publishing = (async () => {
    for (let i = 0; reading; i++) {
      const doc = options.storm[i % options.storm.length]!;
      const started = performance.now();
      const response = await fetch(`${options.url}/publications?replace=true`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'text/markdown' },
        body: doc.text,
      });
      await response.arrayBuffer();
      took.push(performance.now() - started);
      storm.publishes += 1;
      storm.statuses[response.status] = (storm.statuses[response.status] ?? 0) + 1;
      if (response.status >= 300) storm.failed += 1;
    }
  })();
  try {
    const results = await Promise.all(
      options.routes.map((route) =>
        autocannon({
          url: options.url + route.path,
          connections: options.connections ?? 8,
          ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.durationSeconds ?? 10 }),
          timeout: 30,
        }),
      ),
    );
    return {
      routes: results.map((r, i) => ({
        name: options.routes[i]!.name,
        requests: r.requests.total,
        non2xx: r.non2xx,
        errors: r.errors,
        timeouts: r.timeouts,
        p50: r.latency.p50,
        p99: r.latency.p99,
        max: r.latency.max,
        rps: r.requests.average,
      })),
      storm,
    };
  } finally {
    reading = false;
    await publishing;
    took.sort((a, b) => a - b);
    storm.p50 = Math.round(percentile(took, 50));
    storm.p99 = Math.round(percentile(took, 99));
  }
}

/** The figures as a table, for the bench and the docs. */
export function formatFigures(figures: LoadFigures): string {
  const lines = ['route        requests  non-2xx  errors  p50 ms  p99 ms  max ms  req/s'];
  for (const r of figures.routes) {
    lines.push(
      `${r.name.padEnd(12)} ${String(r.requests).padStart(8)}  ${String(r.non2xx).padStart(7)}  ${String(r.errors + r.timeouts).padStart(6)}  ${String(r.p50).padStart(6)}  ${String(r.p99).padStart(6)}  ${String(r.max).padStart(6)}  ${String(Math.round(r.rps)).padStart(5)}`,
    );
  }
  lines.push(`publish storm: ${figures.storm.publishes} publishes, ${figures.storm.failed} failed (${JSON.stringify(figures.storm.statuses)}), p50 ${figures.storm.p50} ms, p99 ${figures.storm.p99} ms`);
  return lines.join('\n');
}
