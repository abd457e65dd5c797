import type { Attributes } from '@cubemark/format';
import { CellMethod } from '../../../model/cell-method.js';
import type { PPHeader } from '../header.js';
import { LBFC_TO_CF, LBPROC_PAIRS, STASH_TO_CF } from '../tables/stash.generated.js';
import type { CoordSpec } from './coords.js';
import { notTimeSection } from './time.js';

/** Iris's `STASH.__str__`: `m01s16i203`, with `??`/`???` for a model (1-99), section (0-99) or item (1-999) out of range. */
export function stashText(h: PPHeader): string {
  const { model, section, item } = h.stash;
  const part = (v: number, lo: number, hi: number, width: number) => (v >= lo && v <= hi ? String(v).padStart(width, '0') : '?'.repeat(width));
  return `m${part(model, 1, 99, 2)}s${part(section, 0, 99, 2)}i${part(item, 1, 999, 3)}`;
}

export interface Phenomenon {
  standardName?: string;
  longName?: string;
  units?: string;
  attributes: Attributes;
  cellMethods: CellMethod[];
  /** The x coordinate a zonal mean was taken over (its bounds become the whole circle). */
  zonal?: 'longitude' | 'grid_longitude';
}

const MONTHS = ['', 'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The field's name and units (STASH, else LBFC when the STASH code is not valid), attributes and cell methods. */
export function phenomenon(h: PPHeader): Phenomenon {
  const out: Phenomenon = { attributes: {}, cellMethods: [] };
  const stash = stashText(h);
  const { model, section, item } = h.stash;
  let cf = STASH_TO_CF[stash];
  if (cf === undefined && stash.includes('?')) cf = LBFC_TO_CF[String(h.lbfc)];
  if (cf) {
    if (cf[0] !== null) out.standardName = cf[0];
    if (cf[1] !== null) out.longName = cf[1];
    if (cf[2] !== null) out.units = cf[2];
  }
  if (model !== 0 || section !== 0 || item !== 0) out.attributes.STASH = stash;
  if (h.lbsrce % 10000 === 1111) {
    out.attributes.source = 'Data from Met Office Unified Model';
    const um = Math.floor(h.lbsrce / 10000);
    const major = Math.floor(um / 100);
    if (major !== 0) out.attributes.um_version = `${major}.${um % 100}`;
  }
  cellMethods(h, out);
  return out;
}

/** Iris's LBPROC rules: time and zonal means, minima and maxima as cell methods; other processing as flags. */
function cellMethods(h: PPHeader, out: Phenomenon): void {
  const lbproc = h.lbproc;
  let unhandled = true;
  let zone: string | undefined;
  let time: string | undefined;
  if (lbproc === 0) unhandled = false;
  else if (lbproc === 64) zone = 'mean';
  else if (lbproc === 128) time = 'mean';
  else if (lbproc === 4096) time = 'minimum';
  else if (lbproc === 8192) time = 'maximum';
  else if (lbproc === 192) {
    time = 'mean';
    zone = 'mean';
  }
  const { ia, ib } = h.lbtim;
  if (time !== undefined) {
    const intervals = ia !== 0 ? [`${ia} hour`] : [];
    if (ib === 2) out.cellMethods.push(new CellMethod(time, 'time', intervals));
    else if (ib === 3 && lbproc === 128) {
      out.cellMethods.push(new CellMethod(`${time} within years`, 'time', intervals), new CellMethod(`${time} over years`, 'time'));
    } else out.cellMethods.push(new CellMethod(time, 'time'));
    unhandled = false;
  }
  if (zone !== undefined) {
    const code = h.lbcode.value;
    if (code === 1 || code === 101) {
      out.zonal = code === 1 ? 'longitude' : 'grid_longitude';
      out.cellMethods.push(new CellMethod(zone, out.zonal));
      unhandled = false;
    } else unhandled = true;
  }
  if (unhandled && lbproc > 0) {
    out.attributes.ukmo__process_flags = LBPROC_PAIRS.filter(([bit]) => (lbproc & bit) !== 0)
      .map(([, name]) => name)
      .sort();
  }
}

/** Iris's season and climatological-month scalar coordinates. */
export function seasonCoords(h: PPHeader): CoordSpec[] {
  const { ib, ic } = h.lbtim;
  const coords: CoordSpec[] = [];
  if (!(ic === 1 || ic === 2 || ic === 4) || !notTimeSection(h)) return coords;
  const startOfMonth = (mon: number, mond: number) =>
    h.lbmon === mon && h.lbdat === 1 && h.lbhr === 0 && h.lbmin === 0 && h.lbmond === mond && h.lbdatd === 1 && h.lbhrd === 0 && h.lbmind === 0;
  if (ib === 3) {
    const seasons: [number, number, string][] = [
      [12, 3, 'djf'],
      [3, 6, 'mam'],
      [6, 9, 'jja'],
      [9, 12, 'son'],
    ];
    for (const [mon, mond, name] of seasons) {
      if (startOfMonth(mon, mond)) coords.push({ longName: 'season', units: 'no_unit', points: [name], dtype: 'string', aux: true });
    }
  }
  if (ib === 2 && h.lbyr === 0 && h.lbyrd === 0 && h.lbmon === h.lbmond) {
    coords.push(
      { longName: 'month_number', units: '1', points: Int32Array.of(h.lbmon), dtype: 'int32', aux: true },
      { longName: 'month', units: 'no_unit', points: [MONTHS[h.lbmon] ?? ''], dtype: 'string', aux: true },
      { standardName: 'forecast_period', units: 'hours', points: Int32Array.of(h.lbft), dtype: 'int32' },
    );
  }
  return coords;
}
