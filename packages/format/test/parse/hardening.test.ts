import { describe, expect, test } from 'vitest';
import { parse, serialize } from '../../src/index.js';
import { ukvPublication } from '../helpers/ukv.js';

const codes = (r: ReturnType<typeof parse>) => r.errors.map((e) => e.code);

describe('hostile and odd input is a clear error, never a crash or a hang', () => {
  test('a file over the size limit is refused before any parsing', () => {
    const big = '---\ncubemark: 1\nname: big\ntitle: ' + 'x'.repeat(50 * 1024 * 1024) + '\ncubes: []\n---\n';
    const r = parse(Buffer.from(big), { file: 'big.cube.md' });
    expect(codes(r)).toEqual(['FILE_TOO_LARGE']);
    expect(r.errors[0]!.message).toMatch(/limit/);
  });

  test('the size limit is configurable', () => {
    const text = serialize(ukvPublication());
    expect(codes(parse(text, { limits: { maxBytes: 100 } }))).toEqual(['FILE_TOO_LARGE']);
    expect(codes(parse(text, { limits: { maxBytes: 10_000_000 } }))).toEqual([]);
  });

  test('a billion-laughs alias bomb is refused without expanding it', () => {
    let yaml = 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let i = 1; i < 12; i++) yaml += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
    const r = parse(`---\ncubemark: 1\nname: bomb\nprovenance:\n${yaml.replace(/^/gm, '  ')}cubes: []\n---\n`);
    expect(codes(r)).toEqual(['YAML_ALIAS']);
  });

  test('deep nesting stops at the depth limit', () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    const r = parse(`---\ncubemark: 1\nname: deep\nprovenance: {a: ${deep}}\ncubes: []\n---\n`);
    expect(codes(r)).toContain('TOO_DEEP');
  });

  test('__proto__ and constructor keys never reach an object prototype', () => {
    const r = parse('---\ncubemark: 1\nname: p\nprovenance: {constructor: x}\ncubes:\n  - __proto__: {polluted: true}\n---\n');
    expect(codes(r)).toEqual(expect.arrayContaining(['FORBIDDEN_KEY']));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('invalid UTF-8 is located at its byte', () => {
    const bytes = Buffer.concat([Buffer.from('---\ncubemark: 1\nname: x\ntitle: ok\n  '), Buffer.from([0xc3, 0x28]), Buffer.from('\n---\n')]);
    const r = parse(bytes, { file: 'bad.cube.md' });
    expect(r.errors.map((e) => e.format())).toEqual([expect.stringMatching(/^bad\.cube\.md:5:3 INVALID_ENCODING byte 0xc3/)]);
  });

  test('a BOM and CRLF line endings are read; fmt keeps the prose as it is', () => {
    const text = '\ufeff---\r\ncubemark: 1\r\nname: w\r\ncubes: []\r\n---\r\n\r\n# Windows\r\n\r\nProse.\r\n';
    const r = parse(text);
    expect(codes(r)).toEqual([]);
    const out = serialize(r.publication!, { body: r.body });
    expect(out.startsWith('---\ncubemark: 1\nname: w\ncubes: []\n---\n')).toBe(true);
    expect(out).toContain('\r\n# Windows\r\n\r\nProse.\r\n');
  });

  test('missing and unterminated frontmatter', () => {
    expect(codes(parse('# just markdown\n'))).toEqual(['NO_FRONTMATTER']);
    expect(codes(parse('---\ncubemark: 1\nname: x\n'))).toEqual(['UNTERMINATED_FRONTMATTER']);
    expect(codes(parse(''))).toEqual(['NO_FRONTMATTER']);
  });

  test('tabs used for indentation', () => {
    expect(codes(parse('---\ncubemark: 1\nname: x\nprovenance:\n\ttool: y\ncubes: []\n---\n'))).toEqual(['TAB_INDENT']);
  });

  test('random bytes and random truncations of a valid file never throw', () => {
    const valid = Buffer.from(serialize(ukvPublication()));
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 300; i++) {
      const cut = valid.subarray(0, Math.floor(rnd() * valid.length));
      const flipped = Buffer.from(valid);
      for (let k = 0; k < 5; k++) flipped[Math.floor(rnd() * flipped.length)] = Math.floor(rnd() * 256);
      for (const input of [cut, flipped]) {
        const r = parse(input, { file: 'fuzz.cube.md' });
        expect(r.publication === undefined || r.errors.length === 0).toBe(true);
        for (const e of r.errors) {
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.column).toBeGreaterThanOrEqual(1);
        }
      }
    }
  });
});

describe('prose', () => {
  test('the prose around the generated section is kept byte for byte; the section is regenerated', () => {
    const pub = ukvPublication();
    const body = '\nIntro with *emphasis*, a table:\n\n| a | b |\n|--|--|\n| 1 | 2 |\n\n<!-- cubemark:summary:begin -->\nstale text\n<!-- cubemark:summary:end -->\n\nAfter   the section, odd   spacing\\\n and `<!-- cubemark:summary:begin -->` quoted.\n';
    const out = serialize(pub, { body });
    const r = parse(out);
    expect(r.body.startsWith('\nIntro with *emphasis*, a table:\n\n| a | b |\n|--|--|\n| 1 | 2 |\n\n<!-- cubemark:summary:begin')).toBe(true);
    expect(r.body.endsWith('<!-- cubemark:summary:end -->\n\nAfter   the section, odd   spacing\\\n and `<!-- cubemark:summary:begin -->` quoted.\n')).toBe(true);
    expect(r.body).not.toContain('stale text');
    expect(r.body).toContain('air_temperature / (K)');
    expect(serialize(r.publication!, { body: r.body })).toBe(out);
  });

  test('a body without the markers gets the section appended; a missing body gets a title and the section', () => {
    const pub = ukvPublication();
    expect(serialize(pub, { body: '\nOnly prose.\n' })).toMatch(/\nOnly prose\.\n\n<!-- cubemark:summary:begin[^]*<!-- cubemark:summary:end -->\n$/);
    expect(serialize(pub)).toMatch(/---\n\n# UKV deterministic forecast, 15 May 2017 03Z\n\n<!-- cubemark:summary:begin/);
  });

  test('markers inside a code block are not mistaken for the real ones', () => {
    const body = '\n```\n<!-- cubemark:summary:begin -->\nexample\n<!-- cubemark:summary:end -->\n```\n';
    const out = serialize(ukvPublication(), { body });
    expect(out).toContain('```\n<!-- cubemark:summary:begin -->\nexample\n<!-- cubemark:summary:end -->\n```\n');
    expect(out.match(/cubemark:summary:begin \(generated/g)).toHaveLength(1);
  });
});

describe('positions', () => {
  test('errors in valid-looking YAML point at the value at fault', () => {
    const text = serialize(ukvPublication()).replace('count: 810}', 'count: 809}');
    const r = parse(text, { file: 'ukv.cube.md' });
    const line = text.split('\n').findIndex((l) => l.includes('count: 809')) + 1;
    expect(r.errors.map((e) => [e.code, e.line, e.pointer])).toEqual([['COORD_LENGTH', line, '/cubes/0/dim_coords/grid_latitude/points']]);
    expect(r.errors[0]!.message).toBe("coordinate 'grid_latitude' has 809 points but dimension 'grid_latitude' has length 810");
  });
});

describe('review fixes', () => {
  test('both YAML readers take a plain key as its text', () => {
    // `1.0:` and `true:` as attribute names; the alias forces the reference reader for the second file.
    const base = '---\ncubemark: 1\nname: k\ncubes:\n  - dtype: float32\n    dims: []\n    shape: []\n    data: 1.0\n    attributes: {1.0: a, true: b}\n';
    const fast = parse(base + '---\n');
    const slow = parse(base.replace('name: k', 'name: k\ntitle: "x\\\n  y"') + '---\n');
    expect(fast.errors).toEqual([]);
    expect(slow.errors).toEqual([]);
    expect(Object.keys(fast.publication!.cubes[0]!.attributes)).toEqual(['1.0', 'true']);
    expect(Object.keys(slow.publication!.cubes[0]!.attributes)).toEqual(['1.0', 'true']);
  });

  test('a name holding a code fence cannot break the generated section', () => {
    const pub = ukvPublication();
    pub.cubes[0]!.long_name = 'evil\n```\n<!-- cubemark:summary:end -->';
    delete pub.cubes[0]!.standard_name;
    const once = serialize(pub);
    const r = parse(once);
    expect(serialize(r.publication!, { body: r.body })).toBe(once);
    expect(once.match(/cubemark:summary:begin/g)).toHaveLength(1);
  });

  test('integers beyond 2^53 in options and sizes are written so they read back', () => {
    const pub = ukvPublication();
    pub.sources[0]!.size = 2 ** 60;
    if (pub.cubes[0]!.data.kind === 'source') pub.cubes[0]!.data.options = { big: 2 ** 60 };
    const r = parse(serialize(pub));
    expect(r.errors).toEqual([]);
    expect(r.publication!.sources[0]!.size).toBe(2 ** 60);
  });

  test('a regular dimension coordinate with step 0 is not monotonic', () => {
    const pub = ukvPublication();
    pub.cubes[0]!.dim_coords.time!.points = { kind: 'regular', dtype: 'float64', shape: [37], start: [0], step: 0 };
    expect(parse(serialize(pub)).errors.map((e) => e.code)).toEqual(['NOT_MONOTONIC']);
  });

  test('a 360-day reference date that Gregorian calendars lack is fine', () => {
    const pub = ukvPublication();
    const t = pub.cubes[0]!.dim_coords.time!;
    t.units = 'days since 2000-02-30';
    t.calendar = '360_day';
    expect(parse(serialize(pub)).errors).toEqual([]);
  });
});
