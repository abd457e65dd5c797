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

/**
 * True when `head` is a PP file's start: a 64-word header record of 32-bit words (256 bytes, either byte order, as
 * Iris's format agent), its closing length word agreeing when present. A 512-byte first record is not taken for a
 * PP file of 64-bit words: NIMROD files start so.
 */
export function isPpFile(head: Uint8Array): boolean {
  const layout = ppLayout(head);
  if (!layout || layout.wordBytes !== 4) return false;
  const bytes = HEADER_WORDS * layout.wordBytes;
  if (head.length < 2 * MARKER + bytes) return true;
  return new DataView(head.buffer, head.byteOffset, head.byteLength).getInt32(MARKER + bytes, layout.littleEndian) === bytes;
}

const IMDI = -32768;
/** Fixed-header format versions (word 1) Iris loads: 15 (pre UM 3.1), 20 (post 5.2), and IMDI (ancillaries). */
const VERSIONS: ReadonlySet<number> = new Set([15, 20, IMDI]);

/**
 * The word size of a fieldsfile from its first bytes: 8 for the UM's 64-bit files, 4 for those converted with
 * `ieee -32`; `undefined` when the first word is no format version Iris knows.
 */
export function fieldsfileWordBytes(head: Uint8Array): 4 | 8 | undefined {
  if (head.length < 8) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const v64 = view.getBigInt64(0, false);
  if (v64 >= -(2n ** 53n) && v64 <= 2n ** 53n && VERSIONS.has(Number(v64))) return 8;
  const v32 = view.getInt32(0, false);
  if (v32 === 20 || v32 === IMDI) return 4;
  return undefined;
}

/**
 * True when `head` starts like a fieldsfile: a known format version (Iris's format agent), then a sub-model
 * (1-10, or unset in ancillaries), and, when `head` reaches it, an integer-constants pointer (word 100) that is
 * unset or a plausible address.
 */
export function isFieldsfile(head: Uint8Array): boolean {
  const w = fieldsfileWordBytes(head);
  if (w === undefined || head.length < 2 * w) return false;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const word = (i: number) => (w === 8 ? Number(view.getBigInt64(i * 8, false)) : view.getInt32(i * 4, false));
  const subModel = word(1);
  if (subModel !== IMDI && (subModel < 1 || subModel > 10)) return false;
  if (head.length >= 100 * w) {
    const intConstants = word(99);
    if (intConstants !== IMDI && (intConstants < 1 || intConstants > 2 ** 40)) return false;
  }
  return true;
}

/** PP file or fieldsfile (`undefined`: neither). */
export function sniffUm(head: Uint8Array): 'pp' | 'fieldsfile' | undefined {
  if (isPpFile(head)) return 'pp';
  if (isFieldsfile(head)) return 'fieldsfile';
  return undefined;
}
