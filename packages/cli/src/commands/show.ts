import { readFile } from 'node:fs/promises';
import { parse, publicationSummary } from '@cubemark/format';
import type { Io } from '../io.js';

/** `cubemark show PATH`: the Iris-style summary of each cube of a publication file. */
export async function showCommand(path: string, io: Io): Promise<number> {
  const r = parse(await readFile(path), { file: path });
  if (!r.publication) {
    for (const e of r.errors) io.err(`${e.format()}\n`);
    return 1;
  }
  io.out(publicationSummary(r.publication) + '\n');
  return 0;
}
