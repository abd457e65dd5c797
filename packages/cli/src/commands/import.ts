import { writeFile, rename } from 'node:fs/promises';
import { createSourcePool, loadPublication } from '@cubemark/cube';
import { serialize } from '@cubemark/format';
import type { Io } from '../io.js';

export interface ImportOptions {
  name?: string;
  output?: string;
  /** The store's data base: sources under it are written relative to it. */
  base?: string;
  title?: string;
}

/**
 * `cubemark import SOURCE... [--name NAME] [-o FILE] [--base DIR]`: a publication (format 1.1) describing the cubes
 * loaded from local paths, `s3://` or `https://` URIs. Only headers and coordinate variables are read; cube data is
 * never touched. Warnings (as Iris gives them) go to stderr, with how many bytes were read.
 */
export async function importCommand(sources: string[], options: ImportOptions, io: Io): Promise<number> {
  if (sources.length === 0) {
    io.err('usage: cubemark import SOURCE... [--name NAME] [-o FILE] [--base DIR]\n');
    return 2;
  }
  let described: { name?: string; title?: string; variables: string[] } = { variables: [] };
  if (sources.some((s) => /\.json$/i.test(s))) {
    // kerchunk reference files and STAC Items: checked with positions, a STAC Item replaced by its data assets.
    const expanded = await (await import('./import-json.js')).expandJsonSources(sources, io);
    if (!expanded) return 1;
    ({ sources, ...described } = expanded);
  }
  const pool = createSourcePool();
  const progress = sources.length > 1 && io.isTty ? await progressBar(sources.length) : undefined;
  try {
    const loaded = await loadPublication(sources, {
      pool,
      ...(progress && { onProgress: (done: number) => progress.update(done) }),
      ...((options.name ?? described.name) !== undefined && { name: options.name ?? described.name }),
      ...(options.base !== undefined && { base: options.base }),
    }).catch((error: unknown) => {
      // The warnings a file gave before it failed (as Iris shows them before its error).
      for (const w of (error as { warnings?: { code: string; message: string }[] }).warnings ?? []) io.err(`warning: ${w.code} ${w.message}\n`);
      throw error;
    });
    const { publication, warnings } = loaded;
    if ((options.title ?? described.title) !== undefined) publication.title = options.title ?? described.title;
    const held = new Set(publication.cubes.map((c) => c.var_name));
    for (const v of described.variables) if (!held.has(v)) io.err(`warning: STAC_VARIABLE_MISSING the STAC Item describes variable '${v}', which its data assets do not hold\n`);
    publication.created ??= new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    publication.provenance = { ...publication.provenance, tool: 'cubemark import' };
    for (const w of warnings) io.err(`warning: ${w.code} ${w.message}\n`);
    const text = serialize(publication);
    if (options.output) {
      const tmp = `${options.output}.cubemark-import.tmp`;
      await writeFile(tmp, text);
      await rename(tmp, options.output);
      io.err(`wrote ${options.output}: ${publication.cubes.length} cube${publication.cubes.length === 1 ? '' : 's'} from ${sources.length} source${sources.length === 1 ? '' : 's'} (${pool.counter.bytes.toLocaleString('en')} bytes of headers and coordinates read)\n`);
    } else {
      io.out(text);
    }
    return 0;
  } finally {
    progress?.stop();
    await pool.close();
  }
}

/** A bar on stderr while many sources load (cli-progress, imported only then). */
async function progressBar(total: number): Promise<{ update(done: number): void; stop(): void }> {
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    { format: 'importing {bar} {value}/{total} files', stream: process.stderr, barsize: 24, hideCursor: false },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}
