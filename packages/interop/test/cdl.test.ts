/**
 * CDL export: `ncgen` of the exported CDL makes a NetCDF classic file whose `ncdump -h` header is the source's
 * (dimensions, variables, types, attributes), for classic sources. Compared after normalising what the cubemark
 * format does not record (see the package README): `axis` attributes, a `_FillValue` equal to NetCDF's default fill,
 * `valid_range` versus `valid_min`/`valid_max`, a zero prime meridian, and the string-length dimensions of `char`
 * variables (names and declared lengths).
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createSourcePool, loadPublication } from '@cubemark/cube';
import { exportPublication } from '../src/index.js';
import { makeNetcdf } from '../../cube/test/fixtures/make-netcdf.js';
import { tempDirForTests } from '../../cube/test/helpers/temp-dir.js';

const run = promisify(execFile);
const DEFAULT_FILLS = new Set(['-127b', '-32767s', '-2147483647', '9.96921e+36f', '9.96920996838687e+36', '255UB', '65535US', '4294967295U']);

/** `ncdump -h` lines, normalised as the header comment says, sorted. */
export function normalisedHeader(text: string): string[] {
  const lines = text.split('\n').slice(1).map((l) => l.trim()).filter((l) => l && l !== '}' && !l.startsWith('//') && !/^(dimensions|variables):$/.test(l));
  const out: string[] = [];
  const charDims = new Set<string>();
  for (const line of lines) {
    const attr = /^(\S*):(\S+) = (.*) ;$/.exec(line);
    if (attr) {
      const [, owner, name, value] = attr;
      if (name === 'axis') continue;
      if (name === '_FillValue' && DEFAULT_FILLS.has(value)) continue;
      if (name === 'longitude_of_prime_meridian' && /^0\.?$/.test(value)) continue;
      if (name === 'valid_range') {
        const [lo, hi] = value.split(', ');
        out.push(`${owner}:valid_min = ${lo} ;`, `${owner}:valid_max = ${hi} ;`);
        continue;
      }
      out.push(line);
      continue;
    }
    const char = /^char (\S+?)(?:\((.*)\))? ;$/.exec(line);
    if (char) {
      const dims = char[2] ? char[2].split(', ') : [];
      if (dims.length) charDims.add(dims.pop()!);
      out.push(`char ${char[1]}${dims.length ? `(${dims.join(', ')})` : ''} ;`);
      continue;
    }
    out.push(line);
  }
  // Dimensions that only ever held string lengths.
  const used = new Set(out.flatMap((l) => /^\w+ \S+?\((.*)\) ;$/.exec(l)?.[1].split(', ') ?? []));
  return out.filter((l) => {
    const dim = /^(\S+) = (UNLIMITED|\d+)/.exec(l);
    return !(dim && charDims.has(dim[1]) && !used.has(dim[1]));
  }).sort();
}

let dir: string;
tempDirForTests('cubemark-cdl-', (d) => (dir = d));

async function exportCdl(paths: string[]): Promise<string> {
  const pool = createSourcePool();
  try {
    const { publication } = await loadPublication(paths, { pool });
    return (await exportPublication(publication, 'cdl', { pool })).text;
  } finally {
    await pool.close();
  }
}

async function header(path: string): Promise<string> {
  return (await run('ncdump', ['-h', path])).stdout;
}

describe('ncgen of the exported CDL has the source header', () => {
  const cases: [string, () => Promise<string>][] = [
    ['tiny', () => makeNetcdf('tiny')],
    ['packed', () => makeNetcdf('packed')],
    ['records', () => makeNetcdf('records')],
    ['rotated_pole', () => makeNetcdf('rotated_pole')],
    ['classic_types', () => makeNetcdf('classic_types')],
    ['labels', () => makeNetcdf('labels')],
  ];
  for (const [name, make] of cases) {
    it(name, async () => {
      const source = await make();
      const cdl = await exportCdl([source]);
      const cdlFile = join(dir, `${name.replace(/\W/g, '_')}.cdl`);
      const out = join(dir, `${name.replace(/\W/g, '_')}.nc`);
      await writeFile(cdlFile, cdl);
      await run('ncgen', ['-k', 'nc3', '-o', out, cdlFile]);
      expect(normalisedHeader(await header(out))).toEqual(normalisedHeader(await header(source)));
    });
  }

  it('writes the values the publication holds and names the sources of the others', async () => {
    const cdl = await exportCdl([await makeNetcdf('rotated_pole')]);
    expect(cdl).toMatch(/^\/\/ Values not included: they are read from these sources\.\n\/\/ air_temperature: .*rotated_pole\.nc \(netcdf 'air_temperature'\)/);
    expect(cdl).toMatch(/\n data:\n|\ndata:\n/);
    expect(cdl).toMatch(/ grid_latitude = -?[\d.]+f, /);
  });
});
