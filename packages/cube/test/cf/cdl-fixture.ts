import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdir, readFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const DIR = fileURLToPath(new URL('./cdl/', import.meta.url));

/** `cdl/<name>.cdl` (this folder's own CDL) made into NetCDF by Debian's ncgen, cached by content in the tmp dir. */
export async function makeCfFixture(name: string, kind: 'classic' | 'nc4' = 'classic'): Promise<string> {
  const cdl = join(DIR, `${name}.cdl`);
  const hash = createHash('sha256').update(`${kind}\0${await readFile(cdl, 'utf8')}`).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'cubemark-cf-fixtures', hash);
  const out = join(dir, `${name}.nc`);
  try {
    await access(out);
    return out;
  } catch {
    await mkdir(dir, { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    await run('ncgen', ['-k', kind, '-o', tmp, cdl]);
    await rename(tmp, out);
    return out;
  }
}
