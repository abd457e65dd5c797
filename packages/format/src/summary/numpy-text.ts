import type { NumericDtype, NumericValues } from '../model/types.js';

/**
 * NumPy's printing of scalars (`str(np.float32(x))`) and of 1-D arrays (`repr(arr)`), which is what Iris shows for
 * numeric coordinate values and attributes. Floats print with the fewest digits that identify the value in its
 * own precision, so a float32 `0.1` prints as `0.1`, not as the double it is stored in here.
 */

type Scalar = number | bigint;

interface Digits {
  /** Significant digits, no leading zeros (`'0'` for zero). */
  digits: string;
  /** Decimal exponent of the first digit: value = d.ddd × 10^exponent. */
  exponent: number;
}

/** Digits and exponent of a JavaScript number's text (`'123.45'`, `'1e-7'`, `'-2.5e+21'`). */
function parseDecimal(text: string): Digits {
  const [mantissa, exponent = '0'] = text.replace(/^[+-]/, '').split('e');
  const [int, fraction = ''] = mantissa.split('.');
  const all = int + fraction;
  const zeros = all.length - all.replace(/^0+/, '').length;
  const digits = all.slice(zeros).replace(/0+$/, '');
  return digits ? { digits, exponent: Number(exponent) + int.length - 1 - zeros } : { digits: '0', exponent: 0 };
}

/** Whether `x` lies exactly halfway between two `precision`-digit decimals. */
function isDecimalTie(x: number, precision: number): boolean {
  const exact = parseDecimal(x.toPrecision(Math.min(100, precision + 30)));
  return exact.digits.length === precision + 1 && exact.digits.endsWith('5');
}

/** The shortest digits that read back as `x` in `dtype` (x finite, non-negative), ties to even as Dragon4. */
function shortestDigits(x: number, dtype: 'float32' | 'float64'): Digits {
  if (x === 0) return { digits: '0', exponent: 0 };
  if (dtype === 'float64') return parseDecimal(String(x));
  for (let precision = 1; precision <= 9; precision++) {
    let candidate = parseDecimal(x.toPrecision(precision));
    if (isDecimalTie(x, precision) && Number(candidate.digits.at(-1)) % 2 === 1) {
      // toPrecision rounds halves up; Dragon4 (NumPy) takes the even neighbour, which is the truncation.
      candidate = parseDecimal(x.toPrecision(precision + 1).replace(/5(?=e|$)/, ''));
    }
    if (Math.fround(Number(`${candidate.digits[0]}.${candidate.digits.slice(1)}e${candidate.exponent}`)) === x) return candidate;
  }
  return parseDecimal(x.toPrecision(9));
}

/** The exact decimal expansion of a double (at most 100 significant digits, which covers every tie). */
const exactDigits = (x: number): Digits => parseDecimal(x.toPrecision(100));

/** Rounds to `keep` significant digits, halves to even (Dragon4 with a cutoff). */
function roundDigits({ digits, exponent }: Digits, keep: number): Digits {
  if (digits.length <= keep) return { digits, exponent };
  if (keep < 0) return { digits: '0', exponent: 0 };
  const rest = digits.slice(keep);
  const last = keep > 0 ? Number(digits[keep - 1]) : 0;
  const up = rest[0] > '5' || (rest[0] === '5' && (rest.length > 1 || last % 2 === 1));
  if (keep === 0) return up ? { digits: '1', exponent: exponent + 1 } : { digits: '0', exponent: 0 };
  let kept = digits.slice(0, keep);
  if (up) {
    const incremented = (BigInt(kept) + 1n).toString();
    if (incremented.length > kept.length) return { digits: '1', exponent: exponent + 1 };
    kept = incremented;
  }
  return { digits: kept.replace(/0+$/, '') || '0', exponent };
}

/**
 * The shortest digits, cut to at most `fractionDigits` decimals (positional) or mantissa decimals (`scientific`),
 * rounding the exact value, as NumPy does with `precision=8`.
 */
function roundedDigits(x: number, dtype: 'float32' | 'float64', fractionDigits: number, scientific: boolean): Digits {
  const shortest = shortestDigits(x, dtype);
  const keep = scientific ? fractionDigits + 1 : shortest.exponent + 1 + fractionDigits;
  if (shortest.digits.length <= keep) return shortest;
  const exact = exactDigits(x);
  return roundDigits(exact, scientific ? fractionDigits + 1 : exact.exponent + 1 + fractionDigits);
}

/** Integer and fraction parts of positional notation (fraction may be empty). */
function positionalParts({ digits, exponent }: Digits): [string, string] {
  if (digits === '0') return ['0', ''];
  if (exponent < 0) return ['0', '0'.repeat(-exponent - 1) + digits];
  if (digits.length <= exponent + 1) return [digits + '0'.repeat(exponent + 1 - digits.length), ''];
  return [digits.slice(0, exponent + 1), digits.slice(exponent + 1)];
}

function exponentText(exponent: number, minDigits: number): string {
  return (exponent < 0 ? '-' : '+') + String(Math.abs(exponent)).padStart(minDigits, '0');
}

function specialFloat(x: number): string | undefined {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return undefined;
}

const isNegative = (x: number): boolean => x < 0 || Object.is(x, -0);

/** `str()` of a NumPy float scalar: positional from 1e-4 up to 1e16 (`1000.0`, `0.0001`), else `2.2e-44`. */
export function formatFloat(x: number, dtype: 'float32' | 'float64' = 'float64'): string {
  const special = specialFloat(x);
  if (special !== undefined) return special;
  const value = dtype === 'float32' ? Math.fround(x) : x;
  const sign = isNegative(value) ? '-' : '';
  const abs = Math.abs(value);
  const digits = shortestDigits(abs, dtype);
  if (abs === 0 || (abs >= 1e-4 && abs < 1e16)) {
    const [int, fraction] = positionalParts(digits);
    return `${sign}${int}.${fraction || '0'}`;
  }
  const mantissa = digits.digits.length > 1 ? `${digits.digits[0]}.${digits.digits.slice(1)}` : digits.digits;
  return `${sign}${mantissa}e${exponentText(digits.exponent, 2)}`;
}

const isFloat = (dtype: NumericDtype): dtype is 'float32' | 'float64' => dtype === 'float32' || dtype === 'float64';

/** `str()` of a NumPy scalar of `dtype`. */
export function formatScalar(value: Scalar, dtype: NumericDtype): string {
  if (typeof value === 'bigint') return value.toString();
  return isFloat(dtype) ? formatFloat(value, dtype) : String(value);
}

// NumPy's print options that matter here (np.get_printoptions() defaults).
const PRECISION = 8;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
/** Dtypes NumPy leaves out of an array's repr on a 64-bit platform. */
const IMPLIED_DTYPES: ReadonlySet<NumericDtype> = new Set(['int64', 'float64']);

/** NumPy's FloatingFormat (floatmode 'maxprec'): one layout for all elements, padded to a common width. */
function floatElements(values: number[], dtype: 'float32' | 'float64'): string[] {
  const finite = values.filter(Number.isFinite);
  const nonZero = finite.map(Math.abs).filter((v) => v !== 0);
  const max = nonZero.length ? Math.max(...nonZero) : 0;
  const min = nonZero.length ? Math.min(...nonZero) : 0;
  const scientific = nonZero.length > 0 && (max >= 1e8 || min < 0.0001 || max / min > 1000);
  const sign = (x: number): string => (isNegative(x) ? '-' : '');
  let padLeft = 0;
  let padRight = 0;
  let format: (x: number) => string;
  if (finite.length === 0) {
    format = () => '';
  } else if (scientific) {
    const parts = finite.map((x) => roundedDigits(Math.abs(x), dtype, PRECISION, true));
    const precision = Math.max(...parts.map((p) => p.digits.length - 1));
    const exponentDigits = Math.max(2, ...parts.map((p) => String(Math.abs(p.exponent)).length));
    padLeft = Math.max(...finite.map((x) => sign(x).length + 1));
    padRight = exponentDigits + 2 + precision;
    format = (x) => {
      // Dragon4 fills a short mantissa out to the common precision with the value's further exact digits.
      const shortest = roundedDigits(Math.abs(x), dtype, PRECISION, true);
      const p = shortest.digits.length - 1 < precision ? roundDigits(exactDigits(Math.abs(x)), precision + 1) : shortest;
      const fraction = p.digits.slice(1).padEnd(precision, '0');
      return `${(sign(x) + p.digits[0]).padStart(padLeft)}.${fraction}e${exponentText(p.exponent, exponentDigits)}`;
    };
  } else {
    const parts = finite.map((x) => positionalParts(roundedDigits(Math.abs(x), dtype, PRECISION, false)));
    padLeft = Math.max(...finite.map((x, i) => sign(x).length + parts[i][0].length));
    padRight = Math.max(...parts.map(([, fraction]) => fraction.length));
    format = (x) => {
      const [int, fraction] = positionalParts(roundedDigits(Math.abs(x), dtype, PRECISION, false));
      return `${(sign(x) + int).padStart(padLeft)}.${fraction.padEnd(padRight)}`;
    };
  }
  const width = padLeft + padRight + 1;
  return values.map((x) => {
    const special = specialFloat(x);
    return special === undefined ? format(x) : special.padStart(width);
  });
}

function intElements(values: Scalar[]): string[] {
  const texts = values.map(String);
  const width = Math.max(0, ...texts.map((t) => t.length));
  return texts.map((t) => t.padStart(width));
}

/**
 * `repr()` of a 1-D NumPy array with its whitespace runs squashed to one space, as Iris's `array_repr` shows array
 * attributes: `array([1, 2, 3], dtype=int32)`, `array([0.5, 1. ])`. Arrays over 1000 elements show 3 at each end.
 */
export function formatArrayRepr(values: NumericValues, dtype: NumericDtype): string {
  const all: Scalar[] = Array.from(values as ArrayLike<Scalar>);
  const summarise = all.length > THRESHOLD;
  const shown = summarise ? [...all.slice(0, EDGE_ITEMS), ...all.slice(-EDGE_ITEMS)] : all;
  const texts = isFloat(dtype)
    ? floatElements(
        shown.map((v) => (dtype === 'float32' ? Math.fround(Number(v)) : Number(v))),
        dtype,
      )
    : intElements(shown);
  if (summarise) texts.splice(EDGE_ITEMS, 0, '...');
  const suffix = IMPLIED_DTYPES.has(dtype) && all.length > 0 ? '' : `, dtype=${dtype}`;
  return `array([${texts.join(', ')}]${suffix})`.replace(/[ \t\n]+/g, ' ');
}
