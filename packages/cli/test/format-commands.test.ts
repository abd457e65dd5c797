import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { serialize } from '@cubemark/format';
import { main } from '../src/main.js';
import type { Io } from '../src/io.js';
import { ukvPublication } from '../../format/test/helpers/ukv.js';

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), isTty: false };
  const code = await main(argv, io);
  return { code, out, err };
}

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

  test('time units need a real unit and a date of the calendar', async () => {
    const r = await run('validate', join(conformance, 'invalid', 'time-units-date.cube.md'), join(conformance, 'invalid', 'time-units-unit.cube.md'));
    expect(r.code).toBe(1);
    expect(r.out).toContain("INVALID_TIME_UNITS a calendar needs time units '<unit> since <date>' with a date of the calendar; 'days since 2000-13-45': the reference date does not exist");
    expect(r.out).toContain("'fortnights since yesterday': unknown time unit 'fortnights'");
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

  test('two spellings of the same values become one text; fmt of its output changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cubemark-cli-'));
    const file = (points: string) =>
      `---\ncubemark: 1.1\nname: x\ncubes:\n  - dtype: float64\n    dims: [x]\n    shape: [3]\n    data: [1.0, 2.0, 3.0]\n    dim_coords:\n      x: {units: m, points: ${points}}\n---\n`;
    writeFileSync(join(dir, 'list.cube.md'), file('[0.0, 1.0, 2.0]'));
    writeFileSync(join(dir, 'rule.cube.md'), file('{start: 0.0, step: 1.0, count: 3}'));
    const same = await run('diff', join(dir, 'list.cube.md'), join(dir, 'rule.cube.md'));
    expect(same.out).toBe('x: same values; only how they are written differs (cubemark fmt writes both alike)\n');
    expect((await run('fmt', dir)).code).toBe(0);
    const list = readFileSync(join(dir, 'list.cube.md'), 'utf8');
    expect(readFileSync(join(dir, 'rule.cube.md'), 'utf8')).toBe(list);
    expect(list).toContain('x: {units: m, points: [0.0, 1.0, 2.0]}');
    expect((await run('fmt', '--check', dir)).code).toBe(0);
  });

  test('fmt keeps a file in its format version; --migrate writes the newest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cubemark-cli-'));
    cpSync(join(conformance, 'valid', 'version-1.cube.md'), join(dir, 'v1.cube.md'));
    expect((await run('fmt', '--check', dir)).code).toBe(0);
    const before = readFileSync(join(dir, 'v1.cube.md'), 'utf8');
    expect(before).toContain('      beta: {dtype: float64, value: 1.0}\n');
    const migrated = await run('fmt', '--migrate', dir);
    expect(migrated.code).toBe(0);
    const after = readFileSync(join(dir, 'v1.cube.md'), 'utf8');
    expect(after.startsWith('---\ncubemark: 1.1\n')).toBe(true);
    expect(after).toContain('      beta: 1.0\n      count: 1\n');
    const diff = await run('diff', join(conformance, 'valid', 'version-1.cube.md'), join(dir, 'v1.cube.md'));
    expect(diff.out).toBe('version-1\n  publication: format version 1 → 1.1\n');
    expect((await run('validate', dir)).code).toBe(0);
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

  test('diff names the values that changed, by index', async () => {
    const dir = workdir();
    const b = ukvPublication();
    const lon = b.cubes[0]!.dim_coords.grid_longitude!;
    const values = Float32Array.from({ length: 621 }, (_, i) => 353 + i * 0.0135);
    values[300] = Math.fround(values[300]! + 0.001);
    lon.points = { kind: 'inline', dtype: 'float32', shape: [621], values };
    writeFileSync(join(dir, 'new.cube.md'), serialize(b));
    const r = await run('diff', join(dir, 'ukv.cube.md'), join(dir, 'new.cube.md'));
    expect(r.out).toBe('ukv-20170515T03Z\n  cube air_temperature / dimension coord grid_longitude: points[300]: 357.05 → 357.051\n');
    const text = readFileSync(join(dir, 'new.cube.md'), 'utf8');
    // The edited point sits on the line of points 300 to 309.
    expect(text.split('\n').find((l) => l.trimStart().startsWith('357.051,'))).toBeDefined();
  });

  test('diff says so when only the prose changed', async () => {
    const dir = workdir();
    writeFileSync(join(dir, 'new.cube.md'), readFileSync(join(dir, 'ukv.cube.md'), 'utf8').replace('# UKV', '# UKV\n\nA new paragraph.'));
    const r = await run('diff', join(dir, 'ukv.cube.md'), join(dir, 'new.cube.md'));
    expect(r.out).toBe('ukv-20170515T03Z: no semantic changes\n  the prose (Markdown body) changed\n');
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
