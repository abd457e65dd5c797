import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { detectRegular, parse, regularValues, serialize } from '../../src/index.js';
import { parseYamlFast } from '../../src/yaml/fast.js';
import { DEFAULT_LIMITS } from '../../src/yaml/limits.js';
import { parseYamlSlow } from '../../src/yaml/slow.js';
import { publicationArbitrary } from '../helpers/arbitrary.js';
import { byValues } from '../helpers/by-values.js';
import { ukvPublication } from '../helpers/ukv.js';

function roundTrip(text: string) {
  const r = parse(text, { file: 'gen.cube.md' });
  if (r.errors.length > 0) throw new Error(r.errors.map((e) => e.format()).join('\n') + '\n' + text);
  return r;
}

describe('canonical serializer', () => {
  test('parse(serialize(m)) equals m for generated models, edge numbers included', () => {
    fc.assert(
      fc.property(publicationArbitrary, (pub) => {
        const text = serialize(pub);
        expect(byValues(roundTrip(text).publication)).toStrictEqual(byValues(pub));
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });

  test('fmt is idempotent: serialize(parse(x)) == x for canonical x', () => {
    fc.assert(
      fc.property(publicationArbitrary, (pub) => {
        const text = serialize(pub);
        const r = roundTrip(text);
        expect(serialize(r.publication!, { body: r.body })).toBe(text);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 200) },
    );
  });

  test('the fast YAML reader accepts canonical output and agrees with the reference reader', () => {
    fc.assert(
      fc.property(publicationArbitrary, (pub) => {
        const text = serialize(pub);
        const yaml = text.slice(4, text.indexOf('\n---\n') + 1);
        const fast = parseYamlFast(yaml, DEFAULT_LIMITS);
        const slow = parseYamlSlow(yaml, DEFAULT_LIMITS);
        expect(slow.problems).toEqual([]);
        expect(fast).not.toBeUndefined();
        expect(fast).toStrictEqual(slow.value);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });

  test('a UKV-like publication round-trips and keeps float32 grids regular', () => {
    const pub = ukvPublication();
    const text = serialize(pub);
    expect(text).toContain('points: {start: -4.5, step: 0.0135, count: 810}');
    expect(text).toContain('points: {start: 415323.0, step: 1.0, count: 37}');
    expect(roundTrip(text).publication).toStrictEqual(pub);
  });

  test('detectRegular finds float32 grids written as start + i*step, and only exact ones', () => {
    const grid = Float32Array.from({ length: 810 }, (_, i) => -4.5 + i * 0.0135);
    const r = detectRegular('float32', [810], grid)!;
    expect(r.step).toBe(0.0135);
    expect(regularValues(r)).toStrictEqual(grid);
    grid[400] = Math.fround(grid[400]! + 1e-3);
    expect(detectRegular('float32', [810], grid)).toBeUndefined();
    const bounds = Float64Array.from({ length: 20 }, (_, i) => Math.floor(i / 2) + (i % 2) - 0.5);
    const rb = detectRegular('float64', [10, 2], bounds)!;
    expect(rb.start).toEqual([-0.5, 0.5]);
    expect(regularValues(rb)).toStrictEqual(bounds);
  });

  test('a one-field change is a one-line diff', () => {
    const a = ukvPublication();
    const b = ukvPublication();
    b.cubes[0]!.units = 'degC';
    const la = serialize(a).split('\n');
    const lb = serialize(b).split('\n');
    expect(la.length).toBe(lb.length);
    const changed = la.filter((l, i) => l !== lb[i]);
    // the units line in the frontmatter and the summary header line
    expect(changed.filter((l) => l.startsWith('    units:'))).toEqual(['    units: K']);
    expect(changed.filter((l) => !l.startsWith('air_temperature'))).toHaveLength(1);
  });
});
