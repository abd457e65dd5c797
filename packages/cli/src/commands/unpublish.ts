import type { Io } from '../io.js';
import { remoteCommand, reportError, request, serverUrl, tokenOf, type RemoteOptions } from './remote.js';

/** `cubemark unpublish NAME [--server URL] [--token T]`: exits 0 once the server removed it (and its file). */
export async function unpublishCommand(name: string, options: RemoteOptions, io: Io): Promise<number> {
  return remoteCommand(io, async () => {
    const result = await request(`${serverUrl(options)}/publications/${encodeURIComponent(name)}`, { method: 'DELETE' }, tokenOf(options));
    if (!result.ok) return reportError(result, io);
    io.out(`unpublished ${name}\n`);
    for (const w of (result.body as { warnings?: string[] }).warnings ?? []) io.err(`warning: ${w}\n`);
    return 0;
  });
}
