import { readFile, rename, writeFile } from 'node:fs/promises';
import { FORMAT_VERSION, parse, serialize } from '@cubemark/format';
import { findCubeFiles } from '../files.js';
import type { Io } from '../io.js';

/**
 * `cubemark fmt PATH...` rewrites files in canonical form (prose kept byte for byte), each in its own format
 * version; `--migrate` rewrites them in the newest version (spec §19: a migration is one reviewable commit).
 * `--check` only reports the files that would change and exits 1 if any would. Invalid files are reported and left
 * untouched.
 */
export async function fmtCommand(paths: string[], options: { check?: boolean; migrate?: boolean }, io: Io): Promise<number> {
  const { files, missing } = await findCubeFiles(paths);
  for (const m of missing) io.err(`${m}: no such file or folder\n`);
  let changed = 0;
  let invalid = missing.length;
  for (const file of files) {
    const bytes = await readFile(file);
    const r = parse(bytes, { file });
    if (!r.publication) {
      invalid++;
      for (const e of r.errors) io.err(`${e.format()}\n`);
      continue;
    }
    const publication = options.migrate ? { ...r.publication, cubemark: FORMAT_VERSION } : r.publication;
    const text = serialize(publication, { body: r.body });
    if (text === bytes.toString('utf8')) continue;
    changed++;
    if (options.check) {
      io.out(`${file}\n`);
    } else {
      const tmp = `${file}.cubemark-fmt.tmp`;
      await writeFile(tmp, text);
      await rename(tmp, file);
      io.out(`formatted ${file}\n`);
    }
  }
  if (options.check) {
    io.err(changed === 0 ? `${files.length - invalid + missing.length} file(s) already canonical\n` : `${changed} file(s) would be reformatted\n`);
    return changed === 0 && invalid === 0 ? 0 : 1;
  }
  return invalid === 0 ? 0 : 1;
}
