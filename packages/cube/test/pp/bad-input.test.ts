/**
 * Bad input: each problem is a coded `PpError` (or a warning carrying its message) naming the file, the field
 * and the header word; the file's other fields still load where the framing allows.
 */
import type { SourceArray } from '@cubemark/format';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createSourcePool } from '../../src/bytes/pool.js';
import { fromArrayData } from '../../src/lazy/from-data.js';
import { defaultRegistry } from '../../src/readers/registry.js';
import { indexFieldsfile } from '../../src/readers/pp/fieldsfile.js';
import { indexPpFile } from '../../src/readers/pp/pp-file.js';
import { PpError } from '../../src/readers/pp/errors.js';
import { memorySource } from './helpers/memory-source.js';
import { fieldsfile, ppField, ppFile, type WrittenField } from './helpers/pp-writer.js';
import { load, readArray, scratch } from './helpers/load.js';

const values = Array.from({ length: 12 }, (_, i) => 280 + i);
/** Three fields at three pressure levels: they merge into one cube. */
const fields = (): WrittenField[] => [850, 700, 500].map((p) => ppField({ blev: p, lblev: p, lbpack: 1, bacc: 0 }, values));

let files: Awaited<ReturnType<typeof scratch>>;
beforeAll(async () => {
  files = await scratch();
});
afterAll(async () => files.cleanup());

describe('PP framing', () => {
  test('a file cut inside field 2: fields 0 and 1 load; the problem names the file, field 2 and LBLREC', async () => {
    const bytes = ppFile(fields());
    const index = await indexPpFile(memorySource(bytes.subarray(0, bytes.length - 20), 'cut.pp'));
    expect(index.fields.map((f) => f.index)).toEqual([0, 1]);
    expect(index.problems).toHaveLength(1);
    const [p] = index.problems;
    expect(p).toBeInstanceOf(PpError);
    expect(p).toMatchObject({ code: 'PP_TRUNCATED', uri: 'cut.pp', field: 2, word: 'lblrec' });
    expect(p.message).toMatch(/^cut\.pp \(field 2, LBLREC, byte \d+\): the data record of \d+ bytes runs past the end of the file/);
  });

  test('a file cut inside a header', async () => {
    const bytes = ppFile(fields());
    const index = await indexPpFile(memorySource(bytes.subarray(0, bytes.length - (bytes.length / 3) + 100), 'cut.pp'));
    expect(index.fields).toHaveLength(2);
    expect(index.problems[0]).toMatchObject({ code: 'PP_TRUNCATED', field: 2 });
  });

  test('LBLREC disagreeing with the record: that field is skipped, the framing carries on', async () => {
    const f = fields();
    f[1].ints[14] += 3;
    const index = await indexPpFile(memorySource(ppFile(f), 'lblrec.pp'));
    expect(index.fields.map((x) => x.index)).toEqual([0, 2]);
    expect(index.problems[0]).toMatchObject({ code: 'PP_RECORD_LENGTH', field: 1, word: 'lblrec' });
    expect(index.problems[0].message).toMatch(/LBLREC says \d+ words .*; the field is skipped$/);
  });

  test('record-length words that disagree with each other stop the walk there', async () => {
    const bytes = ppFile(fields());
    const second = bytes.length / 3;
    // The header record of field 1 claims 300 bytes.
    new DataView(bytes.buffer).setInt32(second, 300, false);
    const index = await indexPpFile(memorySource(bytes, 'markers.pp'));
    expect(index.fields).toHaveLength(1);
    expect(index.problems[0]).toMatchObject({ code: 'PP_RECORD_LENGTH', field: 1 });
  });

  test('a file that is not PP at all is an error at byte 0', async () => {
    await expect(indexPpFile(memorySource(new Uint8Array(64), 'zeros.pp'))).rejects.toMatchObject({ code: 'PP_RECORD_LENGTH', field: 0, offset: 0 });
  });
});

describe('through loading: warnings name the file, field and word; the rest loads', () => {
  test('an unsupported LBPACK (land/sea packing) skips that field only', async () => {
    const f = fields();
    f[2].ints[20] = 120;
    const path = await files.write('lbpack.pp', ppFile(f));
    const { publication, warnings } = await load([path]);
    expect(publication.cubes).toHaveLength(1);
    expect(publication.cubes[0].shape).toEqual([2, 3, 4]);
    expect(warnings).toContainEqual({ code: 'PP_FIELD_SKIPPED', source: 0, message: expect.stringMatching(/lbpack\.pp \(field 2, LBPACK\): LBPACK 120 is not supported/) });
  });

  test('an LBVC without rules: the field loads without a vertical coordinate, with a warning saying so', async () => {
    const path = await files.write('lbvc.pp', ppFile([ppField({ lbvc: 3 }, values)]));
    const { publication, warnings } = await load([path]);
    expect(publication.cubes).toHaveLength(1);
    expect(warnings).toContainEqual({ code: 'PP_LOAD', source: 0, message: expect.stringMatching(/lbvc\.pp \(field 0, LBVC\): LBVC 3 is not supported/) });
  });

  test('a corrupt record: the fields before it load, the warning says which field is lost', async () => {
    const bytes = ppFile(fields());
    const path = await files.write('cut.pp', bytes.subarray(0, bytes.length - 20));
    const { publication, warnings } = await load([path]);
    expect(publication.cubes[0].shape).toEqual([2, 3, 4]);
    expect(warnings.map((w) => w.code)).toEqual(['PP_FIELD_SKIPPED']);
    expect(warnings[0].message).toContain('(field 2, LBLREC');
  });

  test('a WGDOS row that overruns: reading that field is a coded error naming it; the other fields read', async () => {
    const f = fields();
    // Row 1 of field 1 claims far more words than the packed data hold.
    const view = new DataView(f[1].data.buffer, f[1].data.byteOffset);
    const row0Words = view.getUint32(12 + 4) & 0xffff;
    view.setUint16(12 + 8 + row0Words * 4 + 6, 1000);
    const path = await files.write('wgdos.pp', ppFile(f));
    const { publication } = await load([path]);
    const cube = publication.cubes[0];
    const ref = cube.data as SourceArray;
    const o = ref.options as { field: number[]; offset: number[]; length: number[] };
    const k = o.field.indexOf(1);
    const pick = (i: number): SourceArray => ({ ...ref, shape: [3, 4], chunks: [3, 4], options: { ...ref.options, field: [o.field[i]], offset: [o.offset[i]], length: [o.length[i]] } });
    const error = await readArray(publication, pick(k)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PpError);
    expect(error).toMatchObject({ code: 'PP_BAD_PACKING', field: 1, word: 'lbpack' });
    expect((error as Error).message).toMatch(/wgdos\.pp \(field 1, LBPACK, byte \d+\): row 1 says it is 1000 words long, which overruns/);
    for (const i of [0, 1, 2].filter((i) => i !== k)) expect(Array.from((await readArray(publication, pick(i))).values as Float32Array)).toEqual(values);
  });
});

describe('fieldsfiles', () => {
  test('a lookup entry pointing past the end: that field is skipped, naming it and LBEGIN', async () => {
    const f = [ppField({}, values), ppField({ lbft: 3 }, values)];
    const bytes = fieldsfile(f, { lookupEntries: 4 });
    // Cut 50 bytes into the last field's data (fields start at 512-word boundaries).
    const index = await indexFieldsfile(memorySource(bytes.subarray(0, bytes.length - 4096 + 50), 'short.ff'));
    expect(index.fields.map((x) => x.index)).toEqual([0]);
    expect(index.problems[0]).toMatchObject({ code: 'PP_BAD_LOOKUP', field: 1, word: 'lbegin' });
    expect(index.problems[0].message).toMatch(/^short\.ff \(field 1, LBEGIN\): the field's data .* lies past the end of the file/);
  });

  test('a lookup table past the end of the file is an error naming the fixed header word', async () => {
    const bytes = fieldsfile([ppField({}, values)]);
    new DataView(bytes.buffer).setBigInt64(151 * 8, 100000n, false);
    await expect(indexFieldsfile(memorySource(bytes, 'lookup.ff'))).rejects.toMatchObject({ code: 'PP_BAD_LOOKUP', word: 'lookup_table' });
  });

  test('an unsupported LBPACK or header release is skipped with the field and word named', async () => {
    const f = [ppField({ lbpack: 3 }, values), ppField({ lbrel: 9 }, values), ppField({}, values)];
    const index = await indexFieldsfile(memorySource(fieldsfile(f), 'odd.ff'));
    expect(index.fields.map((x) => x.index)).toEqual([2]);
    expect(index.problems.map((p) => [p.code, p.field, p.word])).toEqual([
      ['PP_UNSUPPORTED', 0, 'lbpack'],
      ['PP_UNSUPPORTED', 1, 'lbrel'],
    ]);
  });
});

describe('data references from untrusted files', () => {
  test('options that do not describe the fields are PP_BAD_OPTIONS', async () => {
    const path = await files.write('opts.pp', ppFile([ppField({}, values)]));
    const { publication } = await load([path]);
    const ref = publication.cubes[0].data as SourceArray;
    const bad = { ...ref, options: { ...ref.options, offset: [-5] } };
    await expect(readArray(publication, bad)).rejects.toMatchObject({ code: 'PP_BAD_OPTIONS' });
    // Sizes no field has are refused before anything is allocated or read.
    const huge = { ...ref, shape: [100000, 100000], chunks: [100000, 100000] };
    const corner = fromArrayData(huge, { sources: publication.sources, pool: createSourcePool(), plugins: defaultRegistry }).slice([{ stop: 1 }, { stop: 1 }]);
    await expect(corner.read()).rejects.toMatchObject({ code: 'PP_BAD_OPTIONS', message: expect.stringMatching(/more than a field may have/) });
    const long = { ...ref, options: { ...ref.options, length: [1e12] } };
    await expect(readArray(publication, long)).rejects.toMatchObject({ code: 'PP_BAD_OPTIONS', message: expect.stringMatching(/longer than/) });
  });
});
