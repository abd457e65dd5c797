import type { ByteSource } from '../../bytes/types.js';
import { BlockReader } from './block-reader.js';
import { PpError } from './errors.js';
import { fieldDtype, type PPField } from './field.js';
import { decodeHeader, HEADER_WORDS, PPHeader, R, type WordLayout } from './header.js';
import { lbcFields } from './lbc.js';
import { fieldsfileWordBytes } from './sniff.js';
import { fieldShapeProblem, type FieldIndex, type IndexOptions } from './pp-file.js';
import { UV_GRID_STASH } from './tables/stash.generated.js';

/** Words of a fieldsfile's fixed-length header (UMDP F3). */
const FIXED_HEADER_WORDS = 256;
/** The UM's integer missing value, in unused fixed-header words. */
const IMDI = -32768;

/** 0-based fixed-header positions (UMDP F3 numbers them from 1). */
const FH = {
  version: 0,
  datasetType: 4,
  gridStaggering: 8,
  realConstants: 104,
  rowConstants: 114,
  columnConstants: 119,
  levelConstants: 109,
  lookup: 149,
} as const;

/** Grid codes (UMDP C4) whose x is on u points, and whose y is on v points. */
const U_GRIDS = new Set([11, 18, 27]);
const V_GRIDS = new Set([11, 19, 28]);

function words(bytes: Uint8Array, w: 4 | 8): (i: number) => number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return w === 8 ? (i) => Number(view.getBigInt64(i * 8, false)) : (i) => view.getInt32(i * 4, false);
}

/** The file-level grid a field falls back to when its header has none (Iris's `FFHeader.grid()`). */
interface FileGrid {
  ewSpacing: number;
  nsSpacing: number;
  firstLat: number;
  firstLon: number;
  poleLat: number;
  poleLon: number;
  /** 0.5 for New Dynamics grids, -0.5 for ENDGame: where v rows sit relative to p rows. */
  vOffset: number;
  /** x and y of p, u and v points from the column and row dependent constants, when the file has them. */
  xp?: Float64Array;
  xu?: Float64Array;
  yp?: Float64Array;
  yv?: Float64Array;
}

async function readReals(reader: BlockReader, uri: string, start: number, count: number, w: 4 | 8): Promise<Float64Array> {
  const bytes = await reader.read((start - 1) * w, count * w);
  if (bytes.length < count * w) throw new PpError('PP_BAD_LOOKUP', uri, { offset: (start - 1) * w }, `the fixed header points at ${count} words past the end of the file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float64Array.from({ length: count }, (_, i) => (w === 8 ? view.getFloat64(i * 8, false) : view.getFloat32(i * 4, false)));
}

async function fileGrid(reader: BlockReader, uri: string, fixed: (i: number) => number, w: 4 | 8): Promise<FileGrid> {
  const rcStart = fixed(FH.realConstants);
  const rcCount = fixed(FH.realConstants + 1);
  if (rcStart <= 0 || rcCount < 6) {
    throw new PpError('PP_BAD_LOOKUP', uri, { word: 'real_constants' }, 'fields have no grid of their own and the fixed header has no real constants to take it from');
  }
  const rc = await readReals(reader, uri, rcStart, 6, w);
  const grid: FileGrid = {
    ewSpacing: rc[0],
    nsSpacing: rc[1],
    firstLat: rc[2],
    firstLon: rc[3],
    poleLat: rc[4],
    poleLon: rc[5],
    vOffset: fixed(FH.gridStaggering) === 6 ? -0.5 : 0.5,
  };
  const endGame = fixed(FH.gridStaggering) === 6;
  const table = async (at: number) => {
    const start = fixed(at);
    const n = fixed(at + 1);
    const m = fixed(at + 2);
    if (start <= 0 || n <= 0 || m <= 0 || start === IMDI) return undefined;
    const values = await readReals(reader, uri, start, n * m, w);
    // Fortran order: column j is values[j * n .. (j + 1) * n).
    return Array.from({ length: m }, (_, j) => values.subarray(j * n, (j + 1) * n));
  };
  const cols = await table(FH.columnConstants);
  if (cols) {
    grid.xp = cols[0];
    // A global grid's u column repeats its first point at the end.
    if (cols.length === 2) grid.xu = fixed(3) === 0 ? cols[1].subarray(0, -1) : cols[1];
  }
  const rows = await table(FH.rowConstants);
  if (rows) {
    grid.yp = endGame ? rows[0].subarray(0, -1) : rows[0];
    if (rows.length === 2) grid.yv = endGame ? rows[1] : rows[1].subarray(0, -1);
  }
  return grid;
}

/**
 * Index a fieldsfile (64-bit words, or 32-bit ones for files converted with `ieee -32`): read its fixed-length
 * header and its lookup table (two requests, and one or two more
 * when fields have no grid of their own), never its data. Lookup entries whose LBREL is -99 are unused and
 * skipped; an entry this reader cannot use, or whose data lies past the end of the file, is skipped with a
 * problem naming it.
 */
export async function indexFieldsfile(source: ByteSource, options: IndexOptions = {}): Promise<FieldIndex> {
  const uri = source.uri;
  const size = options.size ?? (await source.stat({ signal: options.signal }))?.size;
  if (size === undefined) throw new PpError('PP_TRUNCATED', uri, {}, 'the file does not exist');
  const reader = new BlockReader(source, size, { signal: options.signal });
  const first = await reader.read(0, 8, FIXED_HEADER_WORDS * 8 - 8);
  const w = fieldsfileWordBytes(first) ?? 8;
  const LAYOUT: WordLayout = { wordBytes: w, littleEndian: false };
  const head = await reader.read(0, FIXED_HEADER_WORDS * w);
  if (head.length < FIXED_HEADER_WORDS * w) {
    throw new PpError('PP_TRUNCATED', uri, { offset: 0 }, `the file (${size} bytes) is shorter than a fieldsfile's fixed header (${FIXED_HEADER_WORDS * w} bytes)`);
  }
  const fixed = words(head, w);
  const boundaries = fixed(FH.datasetType) === 5;
  const levels = fixed(FH.levelConstants + 1);
  const start = fixed(FH.lookup);
  const entryWords = fixed(FH.lookup + 1);
  const count = fixed(FH.lookup + 2);
  if (start < 1 || entryWords < HEADER_WORDS || count < 0 || (start - 1 + entryWords * count) * w > size) {
    throw new PpError('PP_BAD_LOOKUP', uri, { word: 'lookup_table', offset: FH.lookup * w }, `the lookup table (start word ${start}, ${count} entries of ${entryWords} words) does not lie within the file (${size} bytes)`);
  }
  const table = await reader.read((start - 1) * w, entryWords * count * w);
  const fields: PPField[] = [];
  const problems: PpError[] = [];
  let grid: Promise<FileGrid> | undefined;
  for (let index = 0; index < count; index++) {
    let header = decodeHeader(table, index * entryWords * w, LAYOUT);
    if (header.lbrel === -99 || header.lbyr === -99) continue;
    if (header.lbrel !== 2 && header.lbrel !== 3) {
      problems.push(new PpError('PP_UNSUPPORTED', uri, { field: index, word: 'lbrel' }, `header release ${header.lbrel} is not 2 or 3; the field is skipped`));
      continue;
    }
    const n1 = header.lbpack % 10;
    let dataLength: number;
    let layout = LAYOUT;
    if (n1 === 0) dataLength = (header.lblrec - header.lbext) * w;
    else if (n1 === 1) {
      // WGDOS data are LBNREC 64-bit words (two 32-bit ones) in either kind of file.
      dataLength = header.lbnrec * 8;
      layout = { wordBytes: 4, littleEndian: false };
    } else if (n1 === 2) {
      dataLength = (header.lblrec - header.lbext) * 4;
      layout = { wordBytes: 4, littleEndian: false };
    } else {
      problems.push(new PpError('PP_UNSUPPORTED', uri, { field: index, word: 'lbpack' }, `LBPACK ${header.lbpack} is not supported in a fieldsfile (0, 1 and 2 are); the field is skipped`));
      continue;
    }
    const field: PPField = { index, header, dataOffset: header.lbegin * w, dataLength, layout, dtype: fieldDtype(header.lbuser(1), layout.wordBytes), headerReal: w === 8 ? 'float64' : 'float32' };
    const missing = (v: number) => v === 0 || v === header.bmdi;
    if (missing(header.bzx) || missing(header.bzy)) {
      grid ??= fileGrid(reader, uri, fixed, w);
      const g = await grid;
      const stash = `m${String(header.lbuser(7)).padStart(2, '0')}s${String(Math.trunc(header.lbuser(4) / 1000)).padStart(2, '0')}i${String(header.lbuser(4) % 1000).padStart(3, '0')}`;
      const code = UV_GRID_STASH[stash];
      field.x = code !== undefined && U_GRIDS.has(code) ? g.xu : g.xp;
      field.y = code !== undefined && V_GRIDS.has(code) ? g.yv : g.yp;
      if (missing(header.bzx) && field.x === undefined && missing(header.bzy) && field.y === undefined) {
        const reals = [...header.reals];
        reals[R.bdx] = g.ewSpacing;
        reals[R.bzx] = g.firstLon - g.ewSpacing + (code !== undefined && U_GRIDS.has(code) ? 0.5 * g.ewSpacing : 0);
        reals[R.bdy] = g.nsSpacing;
        reals[R.bzy] = g.firstLat - g.nsSpacing + (code !== undefined && V_GRIDS.has(code) ? g.vOffset * g.nsSpacing : 0);
        reals[R.bplat] = g.poleLat;
        reals[R.bplon] = g.poleLon;
        header = new PPHeader(header.ints, reals);
        field.header = header;
      }
    }
    let entryFields = [field];
    if (boundaries) {
      const lbc = lbcFields(field, levels, w);
      if ('problem' in lbc) {
        problems.push(new PpError('PP_UNSUPPORTED', uri, { field: index, word: lbc.problem.word }, lbc.problem.message));
        continue;
      }
      entryFields = lbc.fields;
    }
    const last = entryFields[entryFields.length - 1];
    if (header.lbegin <= 0 || last.dataLength < 0 || last.dataOffset + last.dataLength > size) {
      problems.push(new PpError('PP_BAD_LOOKUP', uri, { field: index, word: 'lbegin' }, `the field's data (${last.dataOffset + last.dataLength - field.dataOffset} bytes at word ${header.lbegin}) lies past the end of the file (${size} bytes); the field is skipped`));
      continue;
    }
    const h0 = entryFields[0].header;
    const shapeProblem = fieldShapeProblem(h0.lbrow, h0.lbnpt, h0.lbpack, boundaries ? Infinity : dataLength, n1 === 0 ? w : 4);
    if (shapeProblem) {
      problems.push(new PpError('PP_UNSUPPORTED', uri, { field: index, word: 'lbrow' }, `${shapeProblem}; the field is skipped`));
      continue;
    }
    fields.push(...entryFields);
  }
  return { fields, problems, requests: reader.requests, bytes: reader.bytes };
}
