import type { ByteSource, RangeOptions } from '../../bytes/types.js';
import { BlockReader } from './block-reader.js';
import { PpError } from './errors.js';
import { decodeExtraData, fieldDtype, type PPField } from './field.js';
import { decodeHeader, HEADER_WORDS } from './header.js';
import { ppLayout } from './sniff.js';

/** Bytes of a Fortran record-length word. */
const MARKER = 4;

/** The fields of a PP file, and the problems that stopped or skipped some of them. */
export interface FieldIndex {
  fields: PPField[];
  problems: PpError[];
  /** Requests and bytes the index took. */
  requests: number;
  bytes: number;
}

export interface IndexOptions extends RangeOptions {
  /** The object's size, when the caller knows it (saves a stat). */
  size?: number;
  /** Headers read at once when records repeat one size (default: 16; 0 reads one header at a time). */
  speculate?: number;
}

/** The most values a field may have (2^28, a GiB of float32): larger headers are corrupt, not real fields. */
export const MAX_FIELD_VALUES = 2 ** 28;

/**
 * Why LBROW × LBNPT is no field this reader loads, or `undefined`: it must be positive, at most 2^28 values,
 * and fit the data — unpacked data hold every value, WGDOS rows are at most 65535 points and take 8 bytes each
 * at least.
 */
export function fieldShapeProblem(rows: number, cols: number, lbpack = 0, dataLength = Infinity, valueBytes = 4): string | undefined {
  const shape = `LBROW × LBNPT is ${rows} × ${cols}`;
  if (rows <= 0 || cols <= 0) return `${shape} (land/sea-packed and unstructured fields are not supported)`;
  if (rows * cols > MAX_FIELD_VALUES) return `${shape}, more than the ${MAX_FIELD_VALUES} values a field may have`;
  const n1 = lbpack % 10;
  if ((n1 === 0 || n1 === 2) && dataLength < rows * cols * valueBytes) return `${shape} but the data hold only ${Math.floor(dataLength / valueBytes)} values`;
  if (n1 === 1 && (cols > 65535 || rows > 65535 || dataLength < 12 + 8 * rows)) return `${shape}, which ${dataLength} bytes of WGDOS data cannot hold`;
  // Run-length encoding has no bound of its own: a field expands at most a thousandfold (all but land missing).
  if (n1 === 4 && rows * cols > Math.max(2 ** 20, 1000 * (dataLength / 4))) return `${shape}, more than ${dataLength} bytes of run-length encoded data expand to`;
  return undefined;
}

/** A record smaller than this is read through when the next header is read (one request for both). */
const SMALL_RECORD = 16 * 1024;
const READ_AHEAD = 64 * 1024;
/** Headers read at once when records repeat one size. */
const SPECULATE = 16;
/**
 * Records at least this far apart are worth guessing: closer ones would be merged by a byte source that joins
 * nearby ranges into one request (64 KiB apart by default), which would read the data between them.
 */
const SPECULATE_STRIDE = 256 * 1024;

/**
 * Index a PP file: walk its Fortran sequential records (a header record of 64 words, then a data record of LBLREC
 * words ending in LBEXT words of extra data), reading only record-length words, headers and extra data, and
 * skipping data. A record cut short, or whose length words disagree, stops the walk (the fields before it are
 * kept; the problem says which field and word); a field whose LBLREC disagrees with a well-framed record, or that
 * this reader cannot interpret, is skipped.
 */
export async function indexPpFile(source: ByteSource, options: IndexOptions = {}): Promise<FieldIndex> {
  const uri = source.uri;
  const size = options.size ?? (await source.stat({ signal: options.signal }))?.size;
  if (size === undefined) throw new PpError('PP_TRUNCATED', uri, {}, 'the file does not exist');
  const reader = new BlockReader(source, size, { signal: options.signal });
  const fields: PPField[] = [];
  const problems: PpError[] = [];
  // The first length word, read with the rest of a 32-bit header so the common case costs no second request.
  const first = await reader.read(0, MARKER, HEADER_WORDS * 4 + 2 * MARKER);
  const layout = ppLayout(first);
  if (layout === undefined) {
    throw new PpError('PP_RECORD_LENGTH', uri, { field: 0, offset: 0 }, 'the first record is not a 64-word PP header (its length word is not 256 or 512)');
  }
  const w = layout.wordBytes;
  const headerBytes = HEADER_WORDS * w;
  // One field: length word, header, length word, then the data record's leading length word.
  const lead = MARKER + headerBytes + 2 * MARKER;
  let pos = 0;
  let readAhead = 0;
  let lastStride = -1;
  const speculate = options.speculate ?? SPECULATE;
  for (let index = 0; pos < size; index++) {
    const bytes = await reader.read(pos, lead, readAhead);
    if (bytes.length < lead) {
      problems.push(new PpError('PP_TRUNCATED', uri, { field: index, offset: pos }, `the file ends inside the header record (${size - pos} of ${lead} bytes); the fields after it are lost`));
      break;
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const le = layout.littleEndian;
    const n1 = view.getInt32(0, le);
    const n2 = view.getInt32(MARKER + headerBytes, le);
    if (n1 !== headerBytes || n2 !== headerBytes) {
      problems.push(new PpError('PP_RECORD_LENGTH', uri, { field: index, offset: pos }, `the header record's length words are ${n1} and ${n2}, not ${headerBytes}; the rest of the file is skipped`));
      break;
    }
    const header = decodeHeader(bytes, MARKER, layout);
    const dataBytes = view.getInt32(lead - MARKER, le);
    const dataStart = pos + lead;
    const next = dataStart + dataBytes + MARKER;
    if (dataBytes < 0 || next > size) {
      problems.push(new PpError('PP_TRUNCATED', uri, { field: index, word: 'lblrec', offset: dataStart }, `the data record of ${dataBytes} bytes runs past the end of the file (${size} bytes); the field is lost`));
      break;
    }
    if (dataBytes !== header.lblrec * w) {
      // The record's closing length word decides whether the framing can be trusted past this field.
      const closing = await reader.read(next - MARKER, MARKER, lead + readAhead);
      const framed = closing.length === MARKER && new DataView(closing.buffer, closing.byteOffset, MARKER).getInt32(0, le) === dataBytes;
      const then = framed ? 'the field is skipped' : 'its closing length word disagrees too, so the rest of the file is skipped';
      problems.push(new PpError('PP_RECORD_LENGTH', uri, { field: index, word: 'lblrec', offset: pos + lead - MARKER }, `the data record is ${dataBytes} bytes but LBLREC says ${header.lblrec} words (${header.lblrec * w} bytes); ${then}`));
      if (!framed) break;
      pos = next;
      continue;
    }
    readAhead = dataBytes < SMALL_RECORD ? READ_AHEAD : 0;
    // Records of one size in a row (a run's unpacked fields): the next headers are probably as far apart, so
    // read several at once. A wrong guess costs one header's bytes; the walk checks every header it uses.
    const stride = next - pos;
    if (speculate > 0 && readAhead === 0 && stride >= SPECULATE_STRIDE && stride === lastStride && reader.prefetches && !reader.hasPrefetched(next)) {
      reader.prefetch(Array.from({ length: speculate }, (_, k) => next + k * stride), lead);
    } else if (stride !== lastStride) reader.dropPrefetched();
    lastStride = stride;
    const extraBytes = header.lbext * w;
    const field: PPField = {
      index,
      header,
      dataOffset: dataStart,
      dataLength: dataBytes - extraBytes,
      layout,
      dtype: fieldDtype(header.lbuser(1), w),
      headerReal: w === 8 ? 'float64' : 'float32',
    };
    pos = next;
    if (header.lbrel !== 2 && header.lbrel !== 3) {
      problems.push(new PpError('PP_UNSUPPORTED', uri, { field: index, word: 'lbrel' }, `header release ${header.lbrel} is not 2 or 3; the field is skipped`));
      continue;
    }
    if (header.lbext < 0 || extraBytes > dataBytes) {
      problems.push(new PpError('PP_RECORD_LENGTH', uri, { field: index, word: 'lbext' }, `LBEXT says ${header.lbext} words of extra data in a record of ${dataBytes / w} words; the field is skipped`));
      continue;
    }
    const shapeProblem = fieldShapeProblem(header.lbrow, header.lbnpt, header.lbpack, field.dataLength, field.dtype.endsWith('64') ? 8 : 4);
    if (shapeProblem) {
      problems.push(new PpError('PP_UNSUPPORTED', uri, { field: index, word: 'lbrow' }, `${shapeProblem}; the field is skipped`));
      continue;
    }
    if (extraBytes > 0) {
      const extra = decodeExtraData(await reader.read(dataStart + field.dataLength, extraBytes, MARKER + lead + readAhead), layout);
      if ('error' in extra) {
        problems.push(new PpError('PP_RECORD_LENGTH', uri, { field: index, word: 'lbext' }, `${extra.error}; the field is skipped`));
        continue;
      }
      field.extra = extra;
    }
    fields.push(field);
  }
  return { fields, problems, requests: reader.requests, bytes: reader.bytes };
}
