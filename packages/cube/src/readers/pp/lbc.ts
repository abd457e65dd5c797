import type { Boundary, PPField } from './field.js';
import { PPHeader, R, W } from './header.js';

/**
 * Lateral boundary condition fieldsfiles (dataset type 5), as Iris's `FF2PP` reads them: each lookup entry holds
 * one variable on every model level, as a frame of rows and columns around the domain (the rim and the halos);
 * it becomes one field per level, on the domain grown by the halos, whose values inside the frame are missing.
 */

/** LBUSER3's digits: x halo (units and tens), y halo (hundreds, thousands), rim width (then on). */
export function boundaryOf(lbuser3: number): Boundary {
  const v = Math.abs(Math.trunc(lbuser3));
  return { xHalo: v % 100, yHalo: Math.floor(v / 100) % 100, rim: Math.floor(v / 10000) % 100 };
}

/** Stored values of one level of a boundary field: the north and south rows whole, the east and west columns between. */
export function boundaryValues(rows: number, cols: number, b: Boundary): number {
  const height = b.yHalo + b.rim;
  const width = b.xHalo + b.rim;
  return 2 * height * cols + 2 * width * (rows - 2 * height);
}

/** Iris's `_det_border`: a coordinate vector grown by `halo` points each side at its end spacings. */
function grown(v: Float64Array, halo: number): Float64Array | undefined {
  if (v.length < 2) return undefined;
  const low = v[1] - v[0];
  const high = v[v.length - 1] - v[v.length - 2];
  if (Math.abs(low - high) > 1e-8 + 1e-5 * Math.abs(high)) return undefined;
  const out = new Float64Array(v.length + 2 * halo);
  for (let i = 0; i < halo; i++) out[i] = v[0] - (halo - i) * low;
  out.set(v, halo);
  for (let i = 0; i < halo; i++) out[halo + v.length + i] = v[v.length - 1] + (i + 1) * high;
  return out;
}

export type LbcResult = { fields: PPField[] } | { problem: { word: string; message: string } };

/**
 * The fields of one boundary lookup entry: LBTIM taken as 11 and LBVC as 65 (forecast times, hybrid height), the
 * grid grown by the halos, and one field per level (LBHEM − 100 of them, at most `levels`), their data one after
 * the other from LBEGIN.
 */
export function lbcFields(field: PPField, levels: number, wordBytes: 4 | 8): LbcResult {
  const h = field.header;
  const fail = (word: string, message: string): LbcResult => ({ problem: { word, message } });
  if (h.lbtimRaw !== 0 && h.lbtimRaw !== 11) return fail('lbtim', `LBC field has LBTIM of ${h.lbtimRaw}, expected only 0 or 11; the field is skipped`);
  if (h.lbvc !== 0 && h.lbvc !== 65) return fail('lbvc', `LBC field has LBVC of ${h.lbvc}, expected only 0 or 65; the field is skipped`);
  const n1 = h.lbpack % 10;
  if (n1 !== 0 && n1 !== 2) return fail('lbpack', `LBC data has LBPACK = ${h.lbpack}, but packed LBC data is not supported; the field is skipped`);
  const count = h.lbhem - 100;
  if (count < 1 || count > levels) {
    return fail('lbhem', `LBC field has LBHEM of ${h.lbhem}: ${count} levels, but the file has ${levels}; the field is skipped`);
  }
  const b = boundaryOf(h.lbuser(3));
  const ints = [...h.ints];
  const reals = [...h.reals];
  ints[W.lbtim] = 11;
  ints[W.lbvc] = 65;
  ints[W.lbrow] = h.lbrow + 2 * b.yHalo;
  ints[W.lbnpt] = h.lbnpt + 2 * b.xHalo;
  let x = field.x;
  let y = field.y;
  const missing = (d: number) => d === 0 || d === h.bmdi;
  if (missing(h.bdx) || missing(h.bdy)) {
    x = x && (grown(x, b.xHalo) ?? x);
    y = y && (grown(y, b.yHalo) ?? y);
  } else {
    reals[R.bzx] = h.bzx - h.bdx * b.xHalo;
    reals[R.bzy] = h.bzy - h.bdy * b.yHalo;
  }
  const rows = ints[W.lbrow];
  const cols = ints[W.lbnpt];
  if (rows - 2 * (b.yHalo + b.rim) < 0) return fail('lbuser3', `the boundary (halos ${b.xHalo} × ${b.yHalo}, rim ${b.rim}) is larger than the field of ${rows} rows`);
  const bytes = boundaryValues(rows, cols, b) * (n1 === 0 ? wordBytes : 4);
  const fields: PPField[] = [];
  for (let level = 0; level < count; level++) {
    const levelInts = [...ints];
    levelInts[W.lblev] = level;
    fields.push({
      ...field,
      header: new PPHeader(levelInts, reals),
      dataOffset: field.dataOffset + level * bytes,
      dataLength: bytes,
      boundary: b,
      ...(x && { x }),
      ...(y && { y }),
    });
  }
  return { fields };
}

/** A level's stored frame laid out on the field (rows × cols), `fill` inside it: north, east, south, west (Iris). */
export function expandBoundary<T extends Float32Array | Float64Array | Int32Array>(
  packed: T,
  rows: number,
  cols: number,
  b: Boundary,
  fill: number,
  out: T,
): T {
  const height = b.yHalo + b.rim;
  const width = b.xHalo + b.rim;
  const mid = rows - 2 * height;
  out.fill(fill);
  let k = 0;
  for (let r = rows - height; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = packed[k++];
  for (let r = height; r < height + mid; r++) for (let c = cols - width; c < cols; c++) out[r * cols + c] = packed[k++];
  for (let r = 0; r < height; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = packed[k++];
  for (let r = height; r < height + mid; r++) for (let c = 0; c < width; c++) out[r * cols + c] = packed[k++];
  return out;
}
