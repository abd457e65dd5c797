import { readFile } from 'node:fs/promises';
import { parse, type FormatError } from '@cubemark/format';
import { findCubeFiles } from '../files.js';
import type { Io } from '../io.js';

/** `cubemark validate PATH... [--json]`: exit 0 when every file is valid, 1 otherwise. */
export async function validateCommand(paths: string[], options: { json?: boolean }, io: Io): Promise<number> {
  const { files, missing } = await findCubeFiles(paths);
  const results: { file: string; valid: boolean; errors: FormatError[] }[] = [];
  for (const file of files) {
    const bytes = await readFile(file);
    const r = parse(bytes, { file });
    results.push({ file, valid: r.errors.length === 0, errors: r.errors });
  }
  const invalid = results.filter((r) => !r.valid).length + missing.length;
  if (options.json) {
    io.out(
      JSON.stringify(
        {
          valid: invalid === 0,
          files: [
            ...results.map((r) => ({ file: r.file, valid: r.valid, errors: r.errors.map((e) => e.toJSON()) })),
            ...missing.map((file) => ({ file, valid: false, errors: [{ code: 'NOT_FOUND', message: 'no such file or folder', file, line: 0, column: 0, pointer: '' }] })),
          ],
        },
        null,
        2,
      ) + '\n',
    );
    return invalid === 0 ? 0 : 1;
  }
  for (const m of missing) io.err(`${m}: no such file or folder\n`);
  for (const r of results) for (const e of r.errors) io.out(`${e.format()}\n`);
  if (files.length === 0 && missing.length === 0) {
    io.err('no .cube.md files found\n');
    return 1;
  }
  const valid = results.length - results.filter((r) => !r.valid).length;
  const summary = invalid === 0 ? `${valid} valid` : `${invalid} file${invalid === 1 ? '' : 's'} invalid, ${valid} valid`;
  io.err(`${summary}\n`);
  return invalid === 0 ? 0 : 1;
}
