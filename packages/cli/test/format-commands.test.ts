import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { serialize } from '@cubemark/format';
import { run } from './helpers/run.js';
import { ukvPublication } from '../../format/test/helpers/ukv.js';

const conformance = new URL('../../../spec/conformance/', import.meta.url).pathname;

function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cubemark-cli-'));
  writeFileSync(join(dir, 'ukv.cube.md'), serialize(ukvPublication()));
  return dir;
}

describe('cubemark validate', () => {
  test('exit 0 and a count when every file is valid', async () => {
    const r = await run('validate', join(conformance, 'valid'));
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^\d+ valid\n$/);
  });

  test('errors as path:line:col CODE message, exit 1, and a summary line', async () => {
    const dir = workdir();
    const bad = join(dir, 'bad.cube.md');
    writeFileSync(bad, readFileSync(join(dir, 'ukv.cube.md'), 'utf8').replace('count: 810}', 'count: 809}'));
    const r = await run('validate', dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+ COORD_LENGTH coordinate 'grid_latitude' has 809 points`));
    expect(r.err).toBe('1 file invalid, 1 valid\n');
  });

  test('--json for machines', async () => {
    const r = await run('validate', '--json', join(conformance, 'invalid', 'duplicate-key.cube.md'));
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out) as { valid: boolean; files: { errors: { code: string; line: number; column: number }[] }[] };
    expect(json.valid).toBe(false);
    expect(json.files[0]!.errors[0]).toMatchObject({ code: 'DUPLICATE_KEY', line: 4, column: 1 });
  });

  test('a path that does not exist is an error', async () => {
    const r = await run('validate', '/no/such/dir');
    expect(r.code).toBe(1);
    expect(r.err).toContain('/no/such/dir: no such file or folder');
  });
});

describe('cubemark fmt', () => {
  test('--check exits 1 when a file would change and names it; fmt rewrites it; then --check passes', async () => {
    const dir = workdir();
    cpSync(join(conformance, 'valid', 'hand-written-noncanonical.cube.md'), join(dir, 'hand.cube.md'));
    const before = readFileSync(join(dir, 'hand.cube.md'), 'utf8');
    const check = await run('fmt', '--check', dir);
    expect(check.code).toBe(1);
    expect(check.out).toBe(`${join(dir, 'hand.cube.md')}\n`);
    expect(readFileSync(join(dir, 'hand.cube.md'), 'utf8')).toBe(before);
    const fmt = await run('fmt', dir);
    expect(fmt.code).toBe(0);
    const after = readFileSync(join(dir, 'hand.cube.md'), 'utf8');
    expect(after).not.toBe(before);
    expect(after).toContain('People may write YAML their own way; `cubemark fmt` turns it into the canonical form.');
    expect((await run('fmt', '--check', dir)).code).toBe(0);
  });

  test('invalid files are reported and left untouched', async () => {
    const dir = workdir();
    cpSync(join(conformance, 'invalid', 'coord-length.cube.md'), join(dir, 'bad.cube.md'));
    const before = readFileSync(join(dir, 'bad.cube.md'));
    const r = await run('fmt', dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('COORD_LENGTH');
    expect(readFileSync(join(dir, 'bad.cube.md'))).toEqual(before);
  });
});

describe('cubemark show and diff', () => {
  test('show prints the Iris-style summary', async () => {
    const dir = workdir();
    const r = await run('show', join(dir, 'ukv.cube.md'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^air_temperature \/ \(K\) +\(time: 37; model_level_number: 5; grid_latitude: 810; grid_longitude: 621\)\n/);
    expect(r.out).toContain('    Derived coordinates:\n        altitude');
  });

  test('diff says what changed, in review terms', async () => {
    const dir = workdir();
    const b = ukvPublication();
    b.cubes[0]!.units = 'degC';
    delete b.cubes[0]!.aux_coords.sigma;
    b.cubes[0]!.derived_coords.altitude!.terms = { delta: 'level_height' };
    writeFileSync(join(dir, 'new.cube.md'), serialize(b));
    const r = await run('diff', join(dir, 'ukv.cube.md'), join(dir, 'new.cube.md'));
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'ukv-20170515T03Z',
        '  cube air_temperature: units K → degC',
        '  cube air_temperature: coord sigma removed',
        '  cube air_temperature / derived coord altitude: terms {"delta":"level_height","sigma":"sigma","orography":"surface_altitude"} → {"delta":"level_height"}',
        '',
      ].join('\n'),
    );
  });

  test('diff works as a git external diff driver (7 arguments)', async () => {
    const dir = workdir();
    const r = await run('diff', 'pubs/ukv.cube.md', join(dir, 'ukv.cube.md'), 'abc', '100644', join(dir, 'ukv.cube.md'), 'def', '100644');
    expect(r.code).toBe(0);
    expect(r.out).toBe('pubs/ukv.cube.md: no semantic changes\n');
  });

  test('unknown commands exit 2 with help', async () => {
    const r = await run('frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown command 'frobnicate'");
  });
});
