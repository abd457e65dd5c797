import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decodeTime, encodeTime, formatCfDate } from '../../src/time/index.js';
import { TimeError } from '../../src/time/errors.js';

/** Answers of cftime itself (see cftime-cases.py), so decoding is checked against the library Iris uses. */
interface Case {
  value: number;
  units: string;
  calendar: string;
  date?: string;
  encoded?: number;
  error?: string;
}
const golden = JSON.parse(readFileSync(new URL('./cftime-cases.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe(`cftime parity (${golden.cases.length} cases)`, () => {
  test('the golden file holds both accepted and refused cases', () => {
    expect(golden.cases.filter((c) => c.error).length).toBeGreaterThan(50);
    expect(golden.cases.filter((c) => c.date).length).toBeGreaterThan(500);
  });

  test('decodeTime prints the date cftime prints, and encodeTime gives back what date2num gives', () => {
    const mismatches: string[] = [];
    for (const c of golden.cases.filter((x) => x.date !== undefined)) {
      const date = decodeTime(c.value, c.units, c.calendar);
      const printed = formatCfDate(date);
      if (printed !== c.date) mismatches.push(`${c.value} ${c.units} (${c.calendar}): ${printed} != ${c.date}`);
      const encoded = encodeTime(date, c.units, c.calendar);
      if (encoded !== c.encoded) mismatches.push(`encode ${c.date} ${c.units} (${c.calendar}): ${encoded} != ${c.encoded}`);
    }
    expect(mismatches).toEqual([]);
  });

  test('what cftime refuses is refused with a typed error', () => {
    const accepted: string[] = [];
    for (const c of golden.cases.filter((x) => x.error !== undefined)) {
      try {
        const date = decodeTime(c.value, c.units, c.calendar);
        accepted.push(`${c.value} ${c.units} (${c.calendar}) -> ${formatCfDate(date)}; cftime: ${c.error}`);
      } catch (error) {
        expect(error).toBeInstanceOf(TimeError);
      }
    }
    expect(accepted).toEqual([]);
  });
});
