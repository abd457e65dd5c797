import type { ArrayValues } from '@cubemark/format';
import type { ByteSource } from '../../bytes/types.js';
import type { Hyperslab } from '../dataset.js';
import { IndexError } from '../../errors.js';
import type { SlabReader, StoredReadOptions } from '../types.js';
import { NC_CHAR, decodeBigEndian } from './nc-types.js';
import { readSlabBytes, type RunMergeOptions, type VariableLayout } from './slab.js';

/**
 * The shape a variable presents: its stored shape, except that a `char` variable's last dimension (its string
 * length) is folded into the text. A scalar `char` is one string of length 1.
 */
export function presentedShape(layout: VariableLayout): number[] {
  return layout.ncType === NC_CHAR ? layout.shape.slice(0, -1) : [...layout.shape];
}

/** The length of each string of a `char` variable (its last stored dimension, or 1 for a scalar). */
export function stringLength(layout: VariableLayout): number {
  return layout.shape.length > 0 ? layout.shape[layout.shape.length - 1] : 1;
}

export interface SlabReaderOptions extends RunMergeOptions {
  /** For messages: the variable read. */
  variable: string;
}

function checkSlab(slab: Hyperslab, shape: readonly number[], where: string): void {
  const { start, count } = slab;
  if (start.length !== shape.length || count.length !== shape.length) {
    throw new IndexError(`${where}: a hyperslab of rank ${start.length}/${count.length} does not fit shape [${shape.join(', ')}]`);
  }
  for (let i = 0; i < shape.length; i++) {
    const s = start[i];
    const c = count[i];
    if (!Number.isInteger(s) || !Number.isInteger(c) || s < 0 || c < 0 || s + c > shape[i]) {
      throw new IndexError(`${where}: hyperslab start ${s}, count ${c} is outside dimension ${i} of length ${shape[i]}`);
    }
  }
}

const textDecoder = new TextDecoder('utf-8');

/** Rows of `length` bytes → strings; writers pad with NULs, so trailing ones are not part of the text. */
function decodeStrings(bytes: Uint8Array, length: number, n: number): string[] {
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    let end = (i + 1) * length;
    while (end > i * length && bytes[end - 1] === 0) end--;
    out[i] = textDecoder.decode(bytes.subarray(i * length, end));
  }
  return out;
}

/**
 * A reader of hyperslabs (of the presented shape) of one variable: validates the slab, fetches only its bytes,
 * decodes big-endian values into a typed array, or `char` rows into strings. Numbers are decoded in place, in the
 * buffer the bytes were assembled in: `rangeOptions.into` when it holds the slab (the values are then a view of
 * it), else a new one; with `rangeOptions.bigEndian` they are left big-endian there.
 */
export function slabReader(source: ByteSource, layout: VariableLayout, options: SlabReaderOptions): SlabReader {
  const shape = presentedShape(layout);
  const where = `${source.uri}: variable '${options.variable}'`;
  const isChar = layout.ncType === NC_CHAR;
  const length = isChar ? stringLength(layout) : 0;
  return async (slab: Hyperslab, rangeOptions?: StoredReadOptions): Promise<ArrayValues> => {
    checkSlab(slab, shape, where);
    const strings = slab.count.reduce((a, b) => a * b, 1);
    let { start, count } = slab;
    // Scalar char: one character; otherwise whole strings along the folded dimension.
    if (isChar && layout.shape.length > 0) {
      start = [...start, 0];
      count = [...count, length];
    }
    const bytes = await readSlabBytes(source, layout, start, count, { ...options, signal: rangeOptions?.signal, into: rangeOptions?.into });
    if (layout.ncType === NC_CHAR) return decodeStrings(bytes, length, strings);
    return decodeBigEndian(bytes, layout.ncType, rangeOptions?.bigEndian === true);
  };
}
