import { main } from '../../src/main.js';
import type { Io } from '../../src/io.js';

/** Run the `cubemark` command in this process with `argv`: its exit code and what it wrote to stdout and stderr. */
export async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), isTty: false };
  const code = await main(argv, io);
  return { code, out, err };
}
