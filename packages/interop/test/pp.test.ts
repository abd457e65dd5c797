/**
 * UM PP data as kerchunk references: unpacked fields are chunks where they lie in the PP file, so the references
 * read back (through cubemark's kerchunk reader) to the same values; packed fields cannot be referenced.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSourcePool, defaultRegistry, fromArrayData, loadPublication, type SourcePool } from '@cubemark/cube';
import type { Publication } from '@cubemark/format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPublication } from '../src/index.js';

const PP = '/work/shared/data/iris-test-data/PP';
let dir: string;
let pool: SourcePool;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cubemark-pp-kerchunk-'));
  pool = createSourcePool();
});
afterAll(async () => {
  await pool.close();
  await rm(dir, { recursive: true, force: true });
});

const values = async (publication: Publication, i: number) =>
  Array.from((await fromArrayData(publication.cubes[i].data, { sources: publication.sources, pool, plugins: defaultRegistry }).read()).values as Float32Array);

describe('PP files as kerchunk references', () => {
  it.each(['aPPglob1/global.pp', 'little_endian/qrparm.orog.pp', 'COLPEX/small_colpex_theta_p_alt.pp'])(
    '%s: one chunk per field, read back to the same values',
    async (file) => {
      const original = (await loadPublication([join(PP, file)], { pool })).publication;
      const refs = join(dir, `${file.replace(/\W/g, '_')}.json`);
      await writeFile(refs, (await exportPublication(original, 'kerchunk', { pool })).text);
      const back = (await loadPublication([refs], { pool })).publication;
      for (const [i, cube] of original.cubes.entries()) {
        // The cube of the same field (STASH) and shape, wherever the NetCDF view put it.
        const j = back.cubes.findIndex((c) => c.shape.join() === cube.shape.join() && c.attributes.STASH === cube.attributes.STASH);
        expect(j, `cube ${i}`).toBeGreaterThanOrEqual(0);
        expect(await values(back, j)).toEqual(await values(original, i));
      }
    },
  );

  it('WGDOS-packed fields cannot be referenced: the error names the file, field and LBPACK', async () => {
    const original = (await loadPublication([join(PP, 'wgdos_packed/nae.20100104-06_0001.pp')], { pool })).publication;
    const error = await exportPublication(original, 'kerchunk', { pool }).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: expect.stringMatching(/nae\.20100104-06_0001\.pp \(field \d, LBPACK\): LBPACK 1 is packed/) });
  });
});
