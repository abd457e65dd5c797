import fc from 'fast-check';
import { expect, test } from 'vitest';
import { isSimplePlain } from '../../src/yaml/fast.js';

/** The rule as first written (four string searches): the one-pass version must agree with it on every string. */
function reference(t: string): boolean {
  if (t.length === 0) return false;
  const c = t.charCodeAt(0);
  if ('?:,[]{}#&*!|>\'"%@`'.includes(t[0]!)) return false;
  if (c === 45 && (t.length === 1 || t.charCodeAt(1) === 32)) return false;
  if (t.startsWith('---') || t.startsWith('...')) return false;
  if (t.includes(': ') || t.endsWith(':') || t.includes(' #') || t.includes('\t')) return false;
  return true;
}

test('isSimplePlain agrees with its definition, on strings made of the characters that matter', () => {
  const chars = fc.constantFrom(...'-.:# \tab0?,[]{}&*!|>\'"%@`é😀'.split(''), '😀');
  fc.assert(
    fc.property(fc.array(chars, { maxLength: 8 }), (parts) => {
      const t = parts.join('');
      expect(isSimplePlain(t)).toBe(reference(t));
    }),
    { numRuns: 20_000 },
  );
  for (const t of ['-', '- a', '-a', '---', '--', '...x', '..', 'a:', 'a: b', 'a:b', 'a #b', 'a#b', 'a\tb', '#', ':', 'x', '3.5', 'é']) {
    expect(isSimplePlain(t)).toBe(reference(t));
  }
});

test('numbers in flow lists read alike through the fast path for numbers and the reference reader', async () => {
  const { parseYamlFast } = await import('../../src/yaml/fast.js');
  const { parseYamlSlow } = await import('../../src/yaml/slow.js');
  const { DEFAULT_LIMITS } = await import('../../src/yaml/limits.js');
  const { listWrittenAsFloat } = await import('../../src/yaml/float-marks.js');
  const token = fc.oneof(
    fc.constantFrom('007', '-0', '+1', '.5', '-.5', '1.', '1e3', '1.5E-3', '-.5e+2', '2e0', '1e', '1.e5', '.e5', '+', '-', '.', '-.inf', '.nan', '0x1F', '1:20', '1_0', '12a', '9007199254740991'),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
    fc.integer().map(String),
  );
  let compared = 0;
  fc.assert(
    fc.property(fc.array(token, { minLength: 1, maxLength: 6 }), (items) => {
      const yaml = `v: [${items.join(', ')}]\nw: {a: ${items[0]}}\n`;
      const fast = parseYamlFast(yaml, DEFAULT_LIMITS) as { v: unknown[] } | undefined;
      const slow = parseYamlSlow(yaml, DEFAULT_LIMITS);
      if (fast === undefined) return;
      compared++;
      expect(slow.problems).toEqual([]);
      expect(fast).toStrictEqual(slow.value);
      expect(listWrittenAsFloat(fast.v)).toBe(listWrittenAsFloat((slow.value as { v: unknown[] }).v));
    }),
    { numRuns: 5000 },
  );
  // The fast path must take most lists (it bails only on what it does not read); else nothing was compared.
  expect(compared).toBeGreaterThan(2500);
});
