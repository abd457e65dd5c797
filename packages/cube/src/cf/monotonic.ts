/** Iris's `iris.util.monotonic(strict=True)`: NaN breaks it; one value (or none) is monotonic. */
export function strictlyMonotonic(values: ArrayLike<number | bigint>): boolean {
  const n = values.length;
  if (n === 0) return true;
  if (n === 1) return Number(values[0]) === Number(values[0]);
  const up = Number(values[1]) > Number(values[0]);
  for (let i = 1; i < n; i++) {
    const a = Number(values[i - 1]);
    const b = Number(values[i]);
    if (up ? !(b > a) : !(b < a)) return false;
  }
  return true;
}

/** Python's `%`: the result has the sign of the divisor. */
const pyMod = (a: number, m: number): number => ((a % m) + m) % m;

/** NumPy's `testing.assert_approx_equal(actual, desired, significant)`, as a predicate. */
function approxEqual(actual: number, desired: number, significant: number): boolean {
  if (actual === desired) return true;
  let scale = 0.5 * (Math.abs(desired) + Math.abs(actual));
  scale = 10 ** Math.floor(Math.log10(scale));
  const scDesired = scale === 0 ? 0 : desired / scale;
  const scActual = scale === 0 ? 0 : actual / scale;
  return Math.abs(scDesired - scActual) < 10 ** -(significant - 1);
}

/**
 * Iris's `iris.util._is_circular`: bounds whose ends meet modulo `modulus`, or (without bounds) regular points
 * whose next step comes back to the first. Differences of float32 points are taken in float32, as NumPy does.
 */
export function isCircular(points: number[], modulus: number, bounds?: number[], float32 = false): boolean {
  const round = float32 ? Math.fround : (x: number) => x;
  if (bounds !== undefined) {
    if (bounds.length < 2) return false;
    const first = pyMod(bounds[0], modulus);
    const last = pyMod(bounds[bounds.length - 1], modulus);
    return Math.abs(first - last) <= 1e-8 + 1e-5 * Math.abs(last);
  }
  if (points.length > 1) {
    const diffs = [...new Set(points.slice(1).map((p, i) => round(p - points[i])))];
    const diff = round(diffs.reduce((a, b) => a + b, 0) / diffs.length);
    const tolerance = Math.abs(diff * 1e-4);
    if (Math.max(...diffs.map((d) => Math.abs(d - diff))) >= tolerance) return false;
    const circularValue = pyMod(round(points[points.length - 1] + diff), modulus);
    if (approxEqual(points[0], circularValue, 4)) return true;
    return points[0] === 0 && approxEqual(modulus, circularValue, 4);
  }
  return points.length === 1 && points[0] >= modulus;
}
