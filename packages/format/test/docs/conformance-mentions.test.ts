/**
 * The spec's Conformance section describes spec/conformance/ and names each valid example (light check: that the
 * file is mentioned, not what is said about it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

const root = new URL('../../../../', import.meta.url);
const spec = readFileSync(new URL('spec/cubemark-v1.md', root), 'utf8');
const valid = readdirSync(new URL('spec/conformance/valid/', root)).filter((f) => f.endsWith('.cube.md')).sort();

describe('spec/cubemark-v1.md and spec/conformance', () => {
  test('the conformance directories and the expect syntax are described', () => {
    expect(spec).toContain('spec/conformance/valid/');
    expect(spec).toContain('spec/conformance/invalid/');
    expect(spec).toContain('<!-- expect: L:C CODE -->');
  });

  test('there are valid examples', () => {
    expect(valid.length).toBeGreaterThan(0);
  });

  test.each(valid)('valid example %s is mentioned in the spec', (file) => {
    expect(spec, `add ${file} to the table of valid examples in spec/cubemark-v1.md (Conformance)`).toContain(file);
  });
});
