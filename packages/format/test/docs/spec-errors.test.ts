/**
 * The spec's error tables (spec/cubemark-v1.md §18) list exactly the codes the code reports: every code of
 * ERROR_CODES in the format table, every code of the time module in the time table, and no code that does not exist.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ERROR_CODES } from '../../src/errors/codes.js';
import { InvalidCalendarError, InvalidDateError, InvalidTimeUnitsError, InvalidTimeValueError } from '../../src/time/index.js';

const spec = readFileSync(new URL('../../../../spec/cubemark-v1.md', import.meta.url), 'utf8');

/** The text of the section whose heading matches `heading`, up to the next heading of the same or a higher level. */
function section(heading: RegExp): string {
  const lines = spec.split('\n');
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0) throw new Error(`spec/cubemark-v1.md has no heading matching ${heading}`);
  const level = /^#+/.exec(lines[start]!)![0].length;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => new RegExp(`^#{1,${level}} `).test(l));
  return (end < 0 ? rest : rest.slice(0, end)).join('\n');
}

/** Codes in the first column of the Markdown table rows of `text`. */
function tableCodes(text: string): string[] {
  return [...text.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1]!);
}

const formatTable = tableCodes(section(/^### \d+\.\d+ Format codes$/));
const timeTable = tableCodes(section(/^### \d+\.\d+ Time codes$/));
const TIME_CODES = [
  new InvalidTimeUnitsError('u', 'r').code,
  new InvalidCalendarError('c', 'r').code,
  new InvalidDateError('standard', 'r').code,
  new InvalidTimeValueError(0, 'r').code,
];

describe('spec/cubemark-v1.md error tables', () => {
  test.each(Object.keys(ERROR_CODES))('format code %s is in the format error table', (code) => {
    expect(formatTable).toContain(code);
  });

  test.each(TIME_CODES)('time code %s is in the time error table', (code) => {
    expect(timeTable).toContain(code);
  });

  test('the tables list no code the code does not have, and none twice', () => {
    expect(formatTable.filter((c) => !Object.hasOwn(ERROR_CODES, c))).toEqual([]);
    expect(timeTable.filter((c) => !TIME_CODES.includes(c))).toEqual([]);
    expect(new Set(formatTable).size).toBe(formatTable.length);
    expect(new Set(timeTable).size).toBe(timeTable.length);
  });

  test('the format table follows the order of ERROR_CODES', () => {
    expect(formatTable).toEqual(Object.keys(ERROR_CODES));
  });
});
