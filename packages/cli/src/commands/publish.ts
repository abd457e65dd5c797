import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Io } from '../io.js';
import { remoteCommand, reportError, request, serverUrl, tokenOf, type RemoteOptions } from './remote.js';

export interface PublishOptions extends RemoteOptions {
  replace?: boolean;
}

/** A URI with a scheme (`s3://`, `https://`, `file:`) is the server's to resolve; a bare path may be local. */
const hasScheme = (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) && !/^[A-Za-z]:[\\/]/.test(s);

/**
 * `cubemark publish NAME SOURCE...|FILE.cube.md [--server URL] [--token T] [--replace]`: publishes on a running
 * server and exits 0 only once it acknowledged (the restore plugin has written the file by then). A `.cube.md` (or
 * `.md`) file is sent as the document; anything else is a list of data sources for the server's CF loader. Paths that
 * exist here are sent absolute, so a local server finds them whatever its working directory; other paths are
 * sent as given (relative to the server's data base).
 */
export async function publishCommand(name: string, sources: string[], options: PublishOptions, io: Io): Promise<number> {
  if (sources.length === 0) {
    io.err('cubemark: publish needs NAME and SOURCE... or FILE.cube.md; e.g. cubemark publish ukv-20170515T03Z ukv.cube.md\n');
    return 2;
  }
  const base = serverUrl(options);
  const query = new URLSearchParams();
  if (options.replace) query.set('replace', 'true');
  let init: RequestInit;
  if (sources.length === 1 && /\.md$/i.test(sources[0]) && !hasScheme(sources[0])) {
    let text: string;
    try {
      text = await readFile(sources[0], 'utf8');
    } catch (error) {
      io.err(`cubemark: cannot read ${sources[0]}: ${(error as Error).message}\n`);
      return 1;
    }
    query.set('name', name);
    init = { method: 'POST', body: text, headers: { 'content-type': 'text/markdown; charset=utf-8' } };
  } else {
    const uris = sources.map((s) => (!hasScheme(s) && existsSync(s) ? resolve(s) : s));
    init = { method: 'POST', body: JSON.stringify({ name, sources: uris }), headers: { 'content-type': 'application/json' } };
  }
  const q = query.toString();
  const result = await remoteCommand(io, async () => {
    const r = await request(`${base}/publications${q ? `?${q}` : ''}`, init, tokenOf(options));
    return r.ok ? printPublished(r.body, io) : reportError(r, io);
  });
  return result;
}

function printPublished(result: unknown, io: Io): number {
  const body = result as { name: string; replaced: boolean; cubes: number; state: string; warnings: string[] };
  io.out(`${body.replaced ? 'replaced' : 'published'} ${body.name} (${body.cubes} cube${body.cubes === 1 ? '' : 's'}, ${body.state})\n`);
  for (const w of body.warnings ?? []) io.err(`warning: ${w}\n`);
  return 0;
}
