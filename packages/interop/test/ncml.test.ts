/**
 * NcML export: documents valid against the NcML 2.2 schema (vendored, checked with Debian's `xmllint --schema`),
 * pointing at the sources, with a joinExisting aggregation for a cube concatenated along time from several files,
 * joinNew for one stacked along a new dimension, and a coded error for a join NcML cannot express.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createSourcePool, loadPublication } from '@cubemark/cube';
import type { Publication } from '@cubemark/format';
import { exportPublication, publicationNcml } from '../src/index.js';
import { makeNetcdf } from '../../cube/test/fixtures/make-netcdf.js';
import { twoFilePublication } from './helpers/combined.js';
import { tempDirForTests } from '../../cube/test/helpers/temp-dir.js';

const run = promisify(execFile);
const XSD = fileURLToPath(new URL('../schemas/ncml/ncml-2.2.xsd', import.meta.url));
const xmllint = await run('xmllint', ['--version']).then(
  () => true,
  () => false,
);

let dir: string;
tempDirForTests('cubemark-ncml-', (d) => (dir = d));

/** xmllint's verdict on a document: '' when valid, else its complaints. */
async function schemaProblems(name: string, text: string): Promise<string> {
  const file = join(dir, `${name}.ncml`);
  await writeFile(file, text);
  try {
    await run('xmllint', ['--noout', '--schema', XSD, file]);
    return '';
  } catch (error) {
    return (error as { stderr: string }).stderr;
  }
}

/** The publication the CF loader makes of `paths` (through a pool of its own, closed when done). */
const imported = async (paths: string[]): Promise<Publication> => (await loadPublication(paths)).publication;

describe.skipIf(!xmllint)(`NcML valid against the NcML 2.2 schema${xmllint ? '' : ' (skipped: no xmllint; apt-get install libxml2-utils)'}`, () => {
  for (const fixture of ['rotated_pole', 'packed', 'records', 'hybrid_height', 'labels', 'classic_types']) {
    it(`one source: ${fixture}`, async () => {
      const path = await makeNetcdf(fixture);
      const publication = await imported([path]);
      const pool = createSourcePool();
      const text = (await exportPublication(publication, 'ncml', { pool })).text;
      expect(await schemaProblems(fixture, text)).toBe('');
      expect(text).toContain(`<netcdf xmlns="http://www.unidata.ucar.edu/namespaces/netcdf/ncml-2.2" location="${path}"`);
      expect(text).toContain('<explicit/>');
      for (const cube of publication.cubes) expect(text).toContain(`<variable name="${cube.var_name}"`);
    });
  }

  it('a cube concatenated along time from two files: joinExisting with each file and its record count', async () => {
    const publication = await twoFilePublication(dir, 'concat');
    const text = publicationNcml(publication);
    expect(await schemaProblems('join-existing', text)).toBe('');
    expect(text).toMatch(/<aggregation type="joinExisting" dimName="time">\n\s+<netcdf location="[^"]+records\.nc" ncoords="5"\/>\n\s+<netcdf location="[^"]+records-next-concat\.nc" ncoords="5"\/>/);
    expect(text).toContain('<dimension name="time" length="10" isUnlimited="true"/>');
  });

  it('a cube stacked from two files along a new dimension: joinNew with coordinate values', async () => {
    const text = publicationNcml(await twoFilePublication(dir, 'stack'));
    expect(await schemaProblems('join-new', text)).toBe('');
    expect(text).toMatch(/<aggregation type="joinNew" dimName="run">\n\s+<variableAgg name="temp"\/>\n\s+<netcdf location="[^"]+" coordValue="1"\/>\n\s+<netcdf location="[^"]+" coordValue="2"\/>/);
  });

  it('several sources without a join: a union of them', async () => {
    const publication = await imported([await makeNetcdf('packed'), await makeNetcdf('rotated_pole')]);
    const text = publicationNcml(publication);
    expect(await schemaProblems('union', text)).toBe('');
    expect(text).toMatch(/<aggregation type="union">\n\s+<netcdf location="[^"]+packed\.nc"\/>\n\s+<netcdf location="[^"]+rotated_pole\.nc"\/>/);
  });

  it('escapes what XML must escape', async () => {
    const publication = await imported([await makeNetcdf('classic_types')]);
    const text = publicationNcml(publication);
    expect(text).toContain('value="line1&#10;line2 &quot;quoted&quot; back\\slash&#9;tab"');
    expect(await schemaProblems('escapes', text)).toBe('');
  });
});

describe('what NcML cannot express', () => {
  it('a join along an inner dimension: EXPORT_CANNOT_EXPRESS, no document', async () => {
    const publication = await twoFilePublication(dir, 'concat1');
    expect(() => publicationNcml(publication)).toThrow(expect.objectContaining({ code: 'EXPORT_CANNOT_EXPRESS', message: expect.stringMatching(/axis 1.*first \(outer\) dimension/) }));
  });
});
