import type { Io } from '../io.js';
import { remoteCommand, reportError, request, serverUrl, tokenOf, type RemoteOptions } from './remote.js';

/**
 * `cubemark reload [NAME...] [--server URL] [--token T]`: the server re-reads its store, so files edited by hand
 * (after a git review, say) are picked up — validated first; an invalid file is quarantined and the running
 * publication kept. Prints the server's summary and details; exit 1 if anything was quarantined.
 */
export async function reloadCommand(names: string[], options: RemoteOptions, io: Io): Promise<number> {
  return remoteCommand(io, async () => {
    const result = await request(
      `${serverUrl(options)}/reload`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(names.length > 0 ? { names } : {}) },
      tokenOf(options),
    );
    if (!result.ok) return reportError(result, io);
    const body = result.body as { summary: string; details: string[]; report: { quarantined?: unknown[] } };
    io.out(`${body.summary}\n`);
    for (const line of body.details) io.out(`${line}\n`);
    return (body.report.quarantined?.length ?? 0) > 0 ? 1 : 0;
  });
}
