import type { Io } from '../io.js';
import { remoteCommand, reportError, request, serverUrl, type RemoteOptions } from './remote.js';

/** `cubemark list [--server URL]`: the names of the server's publications, one per line (restoring ones too). */
export async function listCommand(options: RemoteOptions, io: Io): Promise<number> {
  return remoteCommand(io, async () => {
    const result = await request(`${serverUrl(options)}/publications`, { method: 'GET', headers: { accept: 'application/json' } });
    if (!result.ok) return reportError(result, io);
    const { publications } = result.body as { publications: { name: string }[] };
    for (const p of publications) io.out(`${p.name}\n`);
    return 0;
  });
}
