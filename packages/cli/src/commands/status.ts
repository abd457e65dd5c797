import type { ClusterStatus } from '@cubemark/cluster';
import type { Io } from '../io.js';
import { remoteCommand, reportError, request, serverUrl, type RemoteOptions } from './remote.js';

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function ago(iso: string): string {
  return `${((Date.now() - Date.parse(iso)) / 1000).toFixed(0)} s ago`;
}

/**
 * `cubemark status [--server URL] [--json]`: the cluster a replica belongs to — replicas, workers, queued jobs,
 * result cache use. A server started without `--redis` says it is a single process.
 */
export async function statusCommand(options: RemoteOptions & { json?: boolean }, io: Io): Promise<number> {
  return remoteCommand(io, async () => {
    const base = serverUrl(options);
    const result = await request(`${base}/cluster/status`, { method: 'GET', headers: { accept: 'application/json' } });
    if (result.status === 404) {
      const list = await request(`${base}/publications`, { method: 'GET', headers: { accept: 'application/json' } });
      if (!list.ok) return reportError(list, io);
      const count = (list.body as { publications: unknown[] }).publications.length;
      io.out(`${base}: a single process (not started with --redis), ${count} publications\n`);
      return 0;
    }
    if (!result.ok) return reportError(result, io);
    const s = result.body as ClusterStatus;
    if (options.json) {
      io.out(`${JSON.stringify(s, null, 2)}\n`);
      return 0;
    }
    io.out(`redis ${s.redis.url} (${s.redis.following ? 'in step' : 'unreachable: serving what this replica knows'})\n`);
    io.out(`publications ${s.publications}${s.refreshing ? ` (refresh from the store running on ${s.refreshing})` : ''}\n`);
    io.out(`replicas ${s.replicas.length}\n`);
    for (const r of s.replicas) io.out(`  ${r.id}${r.id === s.replica ? ' (this one)' : ''}  ${r.url ?? '-'}  seen ${ago(r.seenAt)}\n`);
    io.out(`workers ${s.workers.length}\n`);
    for (const w of s.workers) io.out(`  ${w.id}  ${w.jobs ?? 0} jobs  seen ${ago(w.seenAt)}\n`);
    if (s.queue) {
      io.out(`queue ${s.queue.waiting} waiting · ${s.queue.active} active · ${s.queue.delayed} delayed · ${s.queue.failed} failed · ${s.queue.completed} completed (kept)\n`);
      for (const job of s.queue.running) {
        const how = job.progress ? `${job.progress.done}/${job.progress.total} chunks` : 'running';
        io.out(`  job ${job.id}  ${job.url}  ${how}${job.startedAt ? `  since ${ago(job.startedAt)}` : ''}\n`);
      }
    }
    if (s.cache) io.out(`cache ${s.cache.entries} answers · ${mib(s.cache.bytes)} of ${mib(s.cache.budget)}\n`);
    return 0;
  });
}
