/**
 * Fuzzing (fast-check) of the header reader, the framing and the unpackers: on any bytes they return or throw a
 * coded error (PpError, UnpackError), never crash or hang, and allocate no more than the field's size allows.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { cubesFromFields } from '../../src/readers/pp/cubes.js';
import { PpError } from '../../src/readers/pp/errors.js';
import { indexFieldsfile } from '../../src/readers/pp/fieldsfile.js';
import { decodeHeader } from '../../src/readers/pp/header.js';
import { indexPpFile } from '../../src/readers/pp/pp-file.js';
import { unpackRle, unpackWgdos, UnpackError } from '../../src/readers/pp/unpack/index.js';
import { memorySource } from './helpers/memory-source.js';
import { fieldsfile, packWgdos, ppField, ppFile } from './helpers/pp-writer.js';

const RUNS = 300;

/** Valid bytes with some bytes overwritten at random places. */
const mutated = (valid: Uint8Array) =>
  fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 }).map((edits) => {
    const out = valid.slice();
    for (const [at, byte] of edits) out[at] = byte;
    return out;
  });

const validPp = ppFile([
  ppField({ lbpack: 1, bacc: -1 }, Array.from({ length: 12 }, (_, i) => i / 2)),
  ppField({ lbvc: 65, blev: 5, bhlev: 0.9 }, Array.from({ length: 12 }, (_, i) => i)),
  ppField({ lbpack: 4, bmdi: -1e30 }, [1, -1e30, -1e30, 2, 3, 4, 5, 6, 7, -1e30, 9, 10]),
]);
const validFf = fieldsfile([ppField({}, new Float32Array(12).fill(1)), ppField({ lbpack: 1 }, new Float32Array(12).fill(2))], { lookupEntries: 4 });

/** Resolves, or rejects with a coded error of the reader: anything else is a bug. */
async function codedOrOk(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(PpError);
  }
}

describe('headers', () => {
  test('any 64 words decode, and every accessor answers', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 512, maxLength: 512 }), fc.constantFrom(4 as const, 8 as const), fc.boolean(), (bytes, wordBytes, littleEndian) => {
        const h = decodeHeader(bytes, 0, { wordBytes, littleEndian });
        expect(h.ints).toHaveLength(45);
        expect(h.reals).toHaveLength(19);
        expect(typeof h.lbcode.ix + typeof h.lbtim.ib + typeof h.stash.item + typeof h.lbsec).toBe('numbernumbernumbernumber');
      }),
      { numRuns: RUNS },
    );
  });
});

describe('framing', () => {
  test('PP: random bytes index or fail with a coded error', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), (bytes) => codedOrOk(indexPpFile(memorySource(bytes)))), { numRuns: RUNS });
  });

  test('PP: a valid file with bytes changed indexes (fields it can trust) and converts to cubes without crashing', async () => {
    await fc.assert(
      fc.asyncProperty(mutated(validPp), async (bytes) => {
        const source = memorySource(bytes);
        try {
          const index = await indexPpFile(source);
          expect(index.fields.length).toBeLessThanOrEqual(3);
          // Never more than the file: the index reads each byte at most once or twice.
          expect(source.counter.bytes).toBeLessThanOrEqual(2 * bytes.length + 1024);
          await cubesFromFields(index.fields, index.problems, 'fuzz.pp', 0);
        } catch (error) {
          expect(error).toBeInstanceOf(PpError);
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('fieldsfiles: a valid file with bytes changed indexes or fails with a coded error', async () => {
    await fc.assert(fc.asyncProperty(mutated(validFf), (bytes) => codedOrOk(indexFieldsfile(memorySource(bytes)))), { numRuns: RUNS });
  });
});

describe('unpackers', () => {
  const rowsCols = fc.tuple(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 16 }));

  test('WGDOS: random bytes unpack or throw UnpackError; the output is the field size', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), rowsCols, (bytes, [rows, cols]) => {
        try {
          expect(unpackWgdos(bytes, rows, cols, -1e30)).toHaveLength(rows * cols);
        } catch (error) {
          expect(error).toBeInstanceOf(UnpackError);
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('WGDOS: packed data with bytes changed unpack or throw UnpackError', () => {
    const values = Array.from({ length: 64 }, (_, i) => (i % 9 === 0 ? -1e30 : i % 5 === 0 ? 0 : i * 0.5));
    const packed = packWgdos(values, 8, 8, -1, -1e30);
    expect(Array.from(unpackWgdos(packed, 8, 8, -1e30))).toEqual(values.map(Math.fround));
    fc.assert(
      fc.property(mutated(packed), (bytes) => {
        try {
          expect(unpackWgdos(bytes, 8, 8, -1e30)).toHaveLength(64);
        } catch (error) {
          expect(error).toBeInstanceOf(UnpackError);
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('RLE: any words expand to exactly the field or throw UnpackError', () => {
    const word = fc.oneof(fc.float({ noNaN: false }), fc.constant(Math.fround(-1e30)), fc.integer({ min: -3, max: 300 }));
    fc.assert(
      fc.property(fc.array(word, { maxLength: 200 }), fc.integer({ min: 1, max: 256 }), (words, n) => {
        try {
          expect(unpackRle(Float32Array.from(words), n, -1e30)).toHaveLength(n);
        } catch (error) {
          expect(error).toBeInstanceOf(UnpackError);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
