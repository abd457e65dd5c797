import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArrayData, Publication } from '@cubemark/format';
import { createSourcePool, type SourcePool } from '../../../src/bytes/pool.js';
import { loadPublication, type CfWarning } from '../../../src/cf/index.js';
import { fromArrayData } from '../../../src/lazy/from-data.js';
import type { ArrayResult } from '../../../src/lazy/types.js';
import { defaultRegistry } from '../../../src/readers/registry.js';

/** A temporary folder for files a test writes; `cleanup()` removes it. */
export async function scratch(): Promise<{ dir: string; write(name: string, bytes: Uint8Array): Promise<string>; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'cubemark-pp-'));
  return {
    dir,
    async write(name, bytes) {
      const path = join(dir, name);
      await writeFile(path, bytes);
      return path;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Load files as `cubemark import` does. */
export async function load(paths: string[], pool?: SourcePool): Promise<{ publication: Publication; warnings: CfWarning[] }> {
  return loadPublication(paths, pool ? { pool } : {});
}

/** Read an array of a publication through the lazy layer (plugin registry, byte-source pool). */
export async function readArray(publication: Publication, data: ArrayData, pool: SourcePool = createSourcePool()): Promise<ArrayResult> {
  try {
    return await fromArrayData(data, { sources: publication.sources, pool, plugins: defaultRegistry }).read();
  } finally {
    await pool.close();
  }
}
