import type { WordLayout } from './header.js';

/** Detection of PP files and fieldsfiles by their first bytes; imports nothing else of the reader. */

const MARKER = 4;
const HEADER_WORDS = 64;

/** How a PP file's Fortran records are laid out, from its first record-length word; `undefined` if not PP. */
export function ppLayout(head: Uint8Array): WordLayout | undefined {
  if (head.length < MARKER) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  for (const littleEndian of [false, true]) {
    const n = view.getInt32(0, littleEndian);
    if (n === HEADER_WORDS * 4) return { wordBytes: 4, littleEndian };
    if (n === HEADER_WORDS * 8) return { wordBytes: 8, littleEndian };
  }
  return undefined;
}

/** True when `head` is a PP file's start: a 64-word header record, its closing length word agreeing when present. */
export function isPpFile(head: Uint8Array): boolean {
  const layout = ppLayout(head);
  if (!layout) return false;
  const bytes = HEADER_WORDS * layout.wordBytes;
  if (head.length < 2 * MARKER + bytes) return true;
  return new DataView(head.buffer, head.byteOffset, head.byteLength).getInt32(MARKER + bytes, layout.littleEndian) === bytes;
}

const WORD = 8;
const IMDI = -32768n;

/**
 * True when `head` starts like a fieldsfile: a 64-bit big-endian fixed header whose first word is a known
 * data-set format version (UMDP F3: 15, 20; 3 and 5 for older ancillaries and dumps), whose sub-model is set, and
 * whose integer-constants pointer (word 100, when within `head`) is a plausible address.
 */
export function isFieldsfile(head: Uint8Array): boolean {
  if (head.length < 2 * WORD) return false;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const word = (i: number) => view.getBigInt64(i * WORD, false);
  const version = word(0);
  if (version !== 15n && version !== 20n && version !== 3n && version !== 5n) return false;
  const subModel = word(1);
  if (subModel < 1n || subModel > 10n) return false;
  if (head.length >= 100 * WORD) {
    const intConstants = word(99);
    if (intConstants !== IMDI && (intConstants < 1n || intConstants > 1n << 40n)) return false;
  }
  return true;
}

/** PP file or fieldsfile (`undefined`: neither). */
export function sniffUm(head: Uint8Array): 'pp' | 'fieldsfile' | undefined {
  if (isPpFile(head)) return 'pp';
  if (isFieldsfile(head)) return 'fieldsfile';
  return undefined;
}
