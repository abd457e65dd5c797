import { UnpackError } from './errors.js';

/**
 * Run-length encoding of missing data (LBPACK 4; UMDP F3, as libmo_unpack reads it): 32-bit reals where each run
 * of missing values is written as the missing-data value followed by the run's length.
 */
export function unpackRle(thin: Float32Array, n: number, mdi: number, out?: Float32Array): Float32Array {
  const values = out && out.length >= n ? out.subarray(0, n) : new Float32Array(n);
  const fill = Math.fround(mdi);
  let j = 0;
  for (let i = 0; i < thin.length; i++) {
    const v = thin[i];
    if (v === fill) {
      if (i + 1 >= thin.length) throw new UnpackError(`the run of missing values at word ${i} has no length`);
      const run = Math.trunc(thin[++i]);
      if (!(run >= 1 && run <= n - j)) {
        throw new UnpackError(`the run of ${thin[i]} missing values at word ${i - 1} does not fit the ${n - j} values left of the field`);
      }
      values.fill(fill, j, j + run);
      j += run;
    } else {
      if (j >= n) throw new UnpackError(`the data expand to more than the field's ${n} values (at word ${i})`);
      values[j++] = v;
    }
  }
  if (j !== n) throw new UnpackError(`the data expand to ${j} values, not the field's ${n}`);
  return values;
}
