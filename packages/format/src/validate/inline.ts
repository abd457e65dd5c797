import { ArrayDecodeProblem, toNumber } from '../arrays/decode.js';
import { product } from '../arrays/dtypes.js';
import type { ErrorCode } from '../errors/codes.js';
import type { SourceArray } from '../model/types.js';

type Report = (code: ErrorCode, message: string, pointer: string) => void;

/**
 * Stored values held inline (`format: inline`, §14.4 of the spec): `options.values` lists the stored values of the
 * whole array, row-major, each a value of the stored dtype, so that masks and packing decode as from a file.
 */
export function checkInlineValues(data: SourceArray, at: string, report: Report): void {
  if (data.format !== 'inline') return;
  const values = data.options?.values;
  const n = product(data.shape);
  if (!Array.isArray(values)) {
    report('REQUIRED', `stored values held inline need 'options.values': a list of ${n} stored values`, `${at}/options`);
    return;
  }
  if (values.length !== n) {
    report('ARRAY_LENGTH', `'options.values' has ${values.length} values but the shape [${data.shape.join(', ')}] needs ${n}`, `${at}/options/values`);
  }
  const stored = data.stored_dtype ?? data.dtype;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const p = `${at}/options/values/${i}`;
    if (stored === 'string') {
      if (typeof v !== 'string') {
        report('TYPE', `'options.values/${i}' must be a string for dtype string`, p);
        return;
      }
      continue;
    }
    const r = toNumber(v, stored);
    if (r instanceof ArrayDecodeProblem) {
      report(r.code as ErrorCode, `'options.values/${i}' ${r.message}`, p);
      return;
    }
  }
}
