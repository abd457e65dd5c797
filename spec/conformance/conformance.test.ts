/**
 * Every example in spec/conformance is a test, as micromark runs the CommonMark examples: files in valid/ parse
 * with no error and are already canonical (`fmt --check` clean) unless their name says `noncanonical`; each file
 * in invalid/ states the errors it must produce, in order, as `<!-- expect: LINE:COL CODE -->` lines.
 * `UPDATE=1` rewrites those lines from what the parser reports (review the diff before committing).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse, serialize } from '@cubemark/format';
import { byValues } from '../../packages/format/test/helpers/by-values.js';

const here = new URL('.', import.meta.url).pathname;
const files = (dir: string) => readdirSync(join(here, dir)).filter((f) => f.endsWith('.cube.md')).sort();
const EXPECT = /<!-- expect: (\S+) ([A-Z_]+) -->\n?/g;

describe('valid examples', () => {
  for (const f of files('valid')) {
    test(f, () => {
      const bytes = readFileSync(join(here, 'valid', f));
      const r = parse(bytes, { file: f });
      expect(r.errors.map((e) => e.format())).toEqual([]);
      if (!f.includes('noncanonical')) expect(serialize(r.publication!, { body: r.body })).toBe(bytes.toString('utf8'));
      // And the canonical form of any valid file reads back to the same model (the same values: a short regular
      // sequence is written as a list).
      const again = parse(serialize(r.publication!, { body: r.body }));
      expect(byValues(again.publication)).toStrictEqual(byValues(r.publication));
    });
  }
});

describe('invalid examples', () => {
  for (const f of files('invalid')) {
    test(f, () => {
      const path = join(here, 'invalid', f);
      const bytes = readFileSync(path);
      const text = bytes.toString('latin1');
      const expected = [...text.matchAll(EXPECT)].map((m) => `${m[1]} ${m[2]}`);
      const r = parse(bytes, { file: f });
      const actual = r.errors.map((e) => `${e.line}:${e.column} ${e.code}`);
      if (process.env.UPDATE) {
        const lines = r.errors.map((e) => `<!-- expect: ${e.line}:${e.column} ${e.code} -->\n`).join('');
        const stripped = text.replace(EXPECT, '');
        writeFileSync(path, Buffer.from(stripped.replace(/\n*$/, '\n\n') + lines, 'latin1'));
        return;
      }
      expect(expected.length).toBeGreaterThan(0);
      expect(actual).toEqual(expected);
      expect(r.publication).toBeUndefined();
      for (const e of r.errors) {
        expect(e.file).toBe(f);
        expect(e.message.length).toBeGreaterThan(10);
      }
    });
  }
});
