import { readFile } from 'node:fs/promises';
import { createSourcePool, loadPublication } from '@cubemark/cube';
import { parse, publicationSummary } from '@cubemark/format';
import type { Io } from '../io.js';

/**
 * `cubemark show PATH`: the Iris-style summary of each cube of a publication file (`.cube.md`), or of what
 * cubemark loads from a data file or URI (NetCDF, NetCDF-4/HDF5, Zarr, UM PP and fieldsfiles; local, s3://, https://).
 */
export async function showCommand(path: string, io: Io): Promise<number> {
  if (path.endsWith('.cube.md')) {
    const r = parse(await readFile(path), { file: path });
    if (!r.publication) {
      for (const e of r.errors) io.err(`${e.format()}\n`);
      return 1;
    }
    io.out(publicationSummary(r.publication) + '\n');
    return 0;
  }
  const pool = createSourcePool();
  try {
    const { publication, warnings } = await loadPublication([path], { pool });
    for (const w of warnings) io.err(`warning: ${w.code} ${w.message}\n`);
    io.out(publicationSummary(publication) + '\n');
    return 0;
  } finally {
    await pool.close();
  }
}
