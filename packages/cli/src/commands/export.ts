import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createSourcePool } from '@cubemark/cube';
import { parse } from '@cubemark/format';
import { EXPORT_TARGETS, exportPublication, exportStacCollection, isExportTarget, s3ToHttp } from '@cubemark/interop';
import type { Io } from '../io.js';

export interface ExportCommandOptions {
  to?: string;
  output?: string;
  /** What relative source URIs resolve against (default: the publication file's folder). */
  base?: string;
  /** For kerchunk: write `s3://bucket/key` sources as `<endpoint>/bucket/key` (path-style HTTP). */
  s3Http?: string;
  /** For stac: a Collection with one Item per cube, written into the folder `output`. */
  collection?: boolean;
}

/**
 * `cubemark export --to kerchunk|stac|cdl|ncml [-o FILE] PUBLICATION.cube.md`: the publication as another tool's
 * document. A publication the target cannot express is an error (`EXPORT_CANNOT_EXPRESS`, exit 1) and writes
 * nothing.
 */
export async function exportCommand(path: string | undefined, options: ExportCommandOptions, io: Io): Promise<number> {
  const usage = `usage: cubemark export --to ${EXPORT_TARGETS.join('|')} [-o FILE] [--base DIR] PUBLICATION.cube.md\n`;
  if (!path || !options.to) {
    io.err(usage);
    return 2;
  }
  if (!isExportTarget(options.to)) {
    io.err(`cubemark: EXPORT_UNKNOWN_TARGET unknown export target '${options.to}': use one of ${EXPORT_TARGETS.join(', ')}\n`);
    return 2;
  }
  const parsed = parse(await readFile(path), { file: path });
  if (!parsed.publication) {
    for (const e of parsed.errors) io.err(`${e.format()}\n`);
    return 1;
  }
  if (options.collection && (options.to !== 'stac' || !options.output)) {
    io.err('cubemark: --collection goes with --to stac and -o FOLDER (the Collection and its Items are written there)\n');
    return 2;
  }
  const base = options.base ?? dirname(resolve(path));
  const pool = createSourcePool({ base });
  try {
    if (options.collection) {
      const files = await exportStacCollection(parsed.publication, { pool, base });
      await mkdir(options.output!, { recursive: true });
      for (const [name, text] of Object.entries(files)) await writeFile(join(options.output!, name), text);
      io.err(`wrote ${options.output}: a STAC Collection and ${Object.keys(files).length - 1} Item(s) of ${parsed.publication.name}\n`);
      return 0;
    }
    const result = await exportPublication(parsed.publication, options.to, {
      pool,
      base,
      ...(options.s3Http !== undefined && { referenceUri: s3ToHttp(options.s3Http) }),
    });
    if (options.output) {
      const tmp = `${options.output}.cubemark-export.tmp`;
      await writeFile(tmp, result.text);
      await rename(tmp, options.output);
      io.err(`wrote ${options.output}: ${result.target} of ${parsed.publication.name} (${pool.counter.bytes.toLocaleString('en')} bytes of sources read)\n`);
    } else {
      io.out(result.text);
    }
    return 0;
  } finally {
    await pool.close();
  }
}
