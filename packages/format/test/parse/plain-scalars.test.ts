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
