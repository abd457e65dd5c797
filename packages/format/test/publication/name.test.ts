import { describe, expect, test } from 'vitest';
import { PUBLICATION_NAME_MAX_LENGTH, PUBLICATION_NAME_PATTERN, checkPublicationName, isPublicationName, parse } from '../../src/index.js';

const doc = (name: string) => `---\ncubemark: 1\nname: '${name}'\ncubes: []\n---\n`;

describe('the publication-name rule', () => {
  test.each(['a', 'A1', 'ukv-20170515T03Z', 'a.b_c-d', '9', 'x'.repeat(PUBLICATION_NAME_MAX_LENGTH)])('%j is a name', (name) => {
    expect(isPublicationName(name)).toBe(true);
    expect(checkPublicationName(name)).toBeUndefined();
    expect(parse(doc(name)).errors).toEqual([]);
  });

  test.each([
    ['../etc', 'path separator'],
    ['a/b', 'path separator'],
    ['a\\b', 'path separator'],
    ['a..b', "'..'"],
    ['a.', undefined],
    ['', 'empty'],
    ['.hidden', 'character'],
    ['-dash', 'character'],
    ['_under', 'character'],
    ['sp ace', 'character'],
    ['é', 'character'],
    ['x'.repeat(PUBLICATION_NAME_MAX_LENGTH + 1), `${PUBLICATION_NAME_MAX_LENGTH + 1} characters`],
    ['x'.repeat(200), '200 characters'],
  ])('%j: %s', (name, why) => {
    if (why === undefined) {
      // A trailing dot is allowed: it is not '..', and `a..cube.md` is still a file of this folder.
      expect(isPublicationName(name)).toBe(true);
      return;
    }
    expect(isPublicationName(name)).toBe(false);
    const problem = checkPublicationName(name)!;
    expect(problem.code).toBe('INVALID_NAME');
    expect(problem.reason).toContain(why);
    expect(problem.message).toBe(
      `'${name}' is not a valid publication name: ${problem.reason}; use letters, digits, '.', '_' and '-', starting with a letter or digit, no '..' (at most 128 characters)`,
    );
    // A document so named is refused with the same code and message, at the name.
    const errors = parse(doc(name), { file: 'x.cube.md' }).errors;
    expect(errors.map((e) => [e.code, e.message, e.line, e.pointer])).toEqual([['INVALID_NAME', problem.message, 3, '/name']]);
  });

  test('anything but a string is refused, and a document with a non-string name is TYPE', () => {
    for (const v of [undefined, null, 7, ['a']]) expect(checkPublicationName(v)?.reason).toBe('a name must be a string');
    expect(parse('---\ncubemark: 1\nname: 7\ncubes: []\n---\n').errors.map((e) => e.code)).toEqual(['TYPE']);
  });

  test('the pattern is the one the schema has, and agrees with the function', () => {
    const pattern = new RegExp(PUBLICATION_NAME_PATTERN);
    for (const name of ['a', 'a..b', '.a', 'a b', 'a.b', 'A-1_2']) expect(pattern.test(name)).toBe(isPublicationName(name));
  });
});
