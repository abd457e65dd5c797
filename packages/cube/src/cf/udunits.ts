import {
  PREFIX_NAMES,
  PREFIX_SYMBOLS,
  TIME_UNIT_NAMES,
  TIME_UNIT_SYMBOLS,
  UNIT_NAMES,
  UNIT_SYMBOLS,
} from './tables/udunits.generated.js';

/**
 * Whether a units string is one UDUNITS-2 (and so cf_units, and so Iris) accepts, by UDUNITS' grammar and unit
 * database: products and quotients of (prefixed) unit names and symbols with integer powers (`kg m-2 s-1`,
 * `m^2/s`, `W.m-2`), numbers, parentheses, logarithmic references (`lg(re 1 mW)`) and offsets (`K @ 273.15`,
 * `days since 1970-01-01 00:00:00`). Iris gives up on units it cannot parse: the loader must know which those are.
 */

const prefixNames = new Set(PREFIX_NAMES);
const prefixSymbols = new Set(PREFIX_SYMBOLS);
const unitNames = new Set(UNIT_NAMES);
const unitSymbols = new Set(UNIT_SYMBOLS);
const timeNames = new Set(TIME_UNIT_NAMES);
const timeSymbols = new Set(TIME_UNIT_SYMBOLS);

/** cf_units' own spellings, outside UDUNITS: unknown units and "no unit". */
const UNKNOWN_SPELLINGS = new Set(['unknown', '?', '???', '']);
const NO_UNIT_SPELLINGS = new Set(['no_unit', 'no unit', 'no-unit', 'nounit', '-']);

export type UnitsCategory = 'unknown' | 'no_unit' | 'udunits';

export interface UnitsReading {
  category: UnitsCategory;
  /** `<time unit> since <timestamp>`: a date reference, which takes a calendar. */
  timeReference: boolean;
  /** A unit of time alone (`hours`, `days`): a period, not a date. */
  time: boolean;
}

/** How cf_units reads `units`, or `undefined` when it cannot (Iris then records them as `invalid_units`). */
export function readUnits(units: string): UnitsReading | undefined {
  const text = units.trim();
  const lower = text.toLowerCase();
  if (UNKNOWN_SPELLINGS.has(lower)) return { category: 'unknown', timeReference: false, time: false };
  if (NO_UNIT_SPELLINGS.has(lower)) return { category: 'no_unit', timeReference: false, time: false };
  try {
    const parser = new Parser(text);
    const result = parser.unitSpec();
    return { category: 'udunits', ...result };
  } catch (error) {
    if (error instanceof UnitsSyntaxError) return undefined;
    throw error;
  }
}

export function isValidUnits(units: string): boolean {
  return readUnits(units) !== undefined;
}

export function isTimeReferenceUnits(units: string): boolean {
  return readUnits(units)?.timeReference ?? false;
}

class UnitsSyntaxError extends Error {}

const LETTER = String.raw`A-Za-z_\u00B0\u00B5\u03BC\u00C0-\u024F\u2100-\u214F`;
const ID = new RegExp(String.raw`^(?:%|'|"|[${LETTER}](?:[${LETTER}0-9]*[${LETTER}])?)`);
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const INT = /^[+-]?\d+/;
const SUPERSCRIPT = /^[\u207A\u207B]?[\u2070\u00B9\u00B2\u00B3\u2074-\u2079]+/;
const SHIFT = /^(?:\s*@\s*|\s+(?:after|from|since|ref)\s+)/i;
const LOGREF = /^(?:log|lg|ln|lb)\s*\(\s*re:?\s*/i;
/** UDUNITS timestamps: `1970-01-01`, `1970-1-1 0:0:0`, `1970-01-01T00:00:00.5Z`, `2000-01-01 12:00 +05:30`, `19700101T000000`. */
const TIMESTAMP =
  /^(?:[+-]?\d{1,4}-\d{1,2}(?:-\d{1,2})?|\d{8})(?:(?:T|\s+)\s*(?:\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d*)?)?|\d{6}(?:\.\d*)?))?\s*(?:Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?(?:\s*(?:UTC|GMT))?$/i;

interface Parsed {
  /** A single unit of time (possibly prefixed seconds), what may start a time reference. */
  time: boolean;
}

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  private get rest(): string {
    return this.text.slice(this.pos);
  }

  private fail(what: string): never {
    throw new UnitsSyntaxError(`${what} at ${this.pos} in '${this.text}'`);
  }

  unitSpec(): { timeReference: boolean; time: boolean } {
    if (this.text === '') return { timeReference: false, time: false };
    const result = this.shiftExp(true);
    if (this.pos !== this.text.length) this.fail('unexpected text');
    return result;
  }

  private shiftExp(top: boolean): { timeReference: boolean; time: boolean } {
    const base = this.productExp();
    const shift = SHIFT.exec(this.rest);
    if (!shift) return { timeReference: false, time: base.time };
    this.pos += shift[0].length;
    const number = NUMBER.exec(this.rest);
    const afterNumber = number ? this.rest.slice(number[0].length) : '';
    // A bare offset (`K @ 273.15`), unless it is the year of a date.
    if (number && !/^[-:T\d]/.test(afterNumber) && /^\s*(?:\)|$)/.test(afterNumber)) {
      this.pos += number[0].length;
      return { timeReference: false, time: false };
    }
    if (!top) this.fail('a timestamp inside parentheses');
    const stamp = this.rest.trim();
    if (!TIMESTAMP.test(stamp)) this.fail('not a timestamp');
    // UDUNITS dates only units of time.
    if (!base.time) this.fail('a timestamp after a unit that is not one of time');
    this.pos = this.text.length;
    return { timeReference: true, time: false };
  }

  private productExp(): Parsed {
    let first = this.powerExp();
    let count = 1;
    for (;;) {
      const save = this.pos;
      if (SHIFT.test(this.rest)) break;
      const op = /^\s*(?:\*|\.(?!\d)|\u00B7|\/|\s(?:per|PER)\s)\s*|^\s+/.exec(this.rest);
      if (!op) break;
      this.pos += op[0].length;
      if (this.pos >= this.text.length || /^[)]/.test(this.rest)) {
        this.pos = save;
        break;
      }
      this.powerExp();
      count++;
    }
    if (count > 1) first = { time: false };
    return first;
  }

  private powerExp(): Parsed {
    const base = this.basicExp();
    const raise = /^(?:\^|\*\*)/.exec(this.rest);
    if (raise) {
      this.pos += raise[0].length;
      const exponent = INT.exec(this.rest);
      if (!exponent) this.fail('an exponent');
      this.pos += exponent[0].length;
      return { time: false };
    }
    const superscript = SUPERSCRIPT.exec(this.rest);
    if (superscript) {
      this.pos += superscript[0].length;
      return { time: false };
    }
    if (base.id) {
      // `m2`, `m-2`, `s-1`: an integer right after a unit is its power.
      const exponent = /^[+-]?\d+(?![\deE]|\.\d)/.exec(this.rest);
      if (exponent) {
        this.pos += exponent[0].length;
        return { time: false };
      }
    }
    return { time: base.time };
  }

  private basicExp(): Parsed & { id?: boolean } {
    const logref = LOGREF.exec(this.rest);
    if (logref) {
      this.pos += logref[0].length;
      this.productExp();
      this.expect(')');
      return { time: false };
    }
    if (this.rest.startsWith('(')) {
      this.pos += 1;
      this.skipSpace();
      this.shiftExp(false);
      this.skipSpace();
      this.expect(')');
      return { time: false };
    }
    const number = NUMBER.exec(this.rest);
    if (number) {
      this.pos += number[0].length;
      return { time: false };
    }
    const id = ID.exec(this.rest);
    if (!id) this.fail('a unit');
    this.pos += id[0].length;
    const known = lookUp(id[0]);
    if (!known) this.fail(`unknown unit '${id[0]}'`);
    return { time: known.time, id: true };
  }

  private skipSpace(): void {
    const ws = /^\s+/.exec(this.rest);
    if (ws) this.pos += ws[0].length;
  }

  private expect(c: string): void {
    this.skipSpace();
    if (!this.rest.startsWith(c)) this.fail(`'${c}'`);
    this.pos += c.length;
  }
}

function plain(id: string): { time: boolean } | undefined {
  if (unitSymbols.has(id)) return { time: timeSymbols.has(id) };
  const lower = id.toLowerCase();
  if (unitNames.has(lower)) return { time: timeNames.has(lower) };
  return undefined;
}

/** A unit name or symbol, possibly after a prefix name or symbol (UDUNITS mixes them: `kilom`, `kmeter`). */
function lookUp(id: string): { time: boolean } | undefined {
  const direct = plain(id);
  if (direct) return direct;
  const lower = id.toLowerCase();
  for (let n = 1; n < id.length; n++) {
    const head = id.slice(0, n);
    if (!prefixSymbols.has(head) && !prefixNames.has(lower.slice(0, n))) continue;
    const unit = plain(id.slice(n));
    if (unit) return unit;
  }
  return undefined;
}
