import { timeCoder, type CfDate, type TimeCoder } from '@cubemark/format';
import type { PPHeader } from '../header.js';
import type { CoordSpec } from './coords.js';

/** Iris's reference for PP times: hours since the Unix epoch, in the field's calendar. */
export const EPOCH_HOURS = 'hours since 1970-01-01 00:00:00';

/** The field's calendar from LBTIM's IC: 2 is 360-day, 4 is 365-day, anything else Iris takes as standard. */
export function calendarOf(h: PPHeader): 'standard' | '360_day' | '365_day' {
  const ic = h.lbtim.ic;
  return ic === 2 ? '360_day' : ic === 4 ? '365_day' : 'standard';
}

export function t1(h: PPHeader): CfDate {
  return { year: h.lbyr, month: h.lbmon, day: h.lbdat, hour: h.lbhr, minute: h.lbmin, second: h.lbsec };
}

export function t2(h: PPHeader): CfDate {
  return { year: h.lbyrd, month: h.lbmond, day: h.lbdatd, hour: h.lbhrd, minute: h.lbmind, second: h.lbsecd };
}

const coders = new Map<string, TimeCoder>();
function coderFor(calendar: string): TimeCoder {
  let coder = coders.get(calendar);
  if (!coder) coders.set(calendar, (coder = timeCoder(EPOCH_HOURS, calendar)));
  return coder;
}

/** NumPy's `around`: to the nearest integer, halves to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Iris's `_epoch_date_hours`: hours since the epoch of a header date. Zero years, months and days (climatologies,
 * ancillaries) count as one before the first, as cftime up to 1.0.1 did; whole minutes are rounded to the hour.
 */
export function epochHours(d: CfDate, calendar: string): number {
  let offsetDays = 0;
  let { year, month, day } = d;
  if (day === 0) {
    day = 1;
    offsetDays += 1;
  }
  if (month === 0) {
    month = 1;
    offsetDays += calendar === '360_day' ? 30 : 31;
  }
  if (year === 0) {
    year = 1;
    offsetDays += calendar === '360_day' ? 360 : calendar === '365_day' ? 365 : 366;
  }
  const date: CfDate = { year, month, day, hour: d.hour, minute: d.minute, second: d.second };
  let hours = coderFor(calendar).encode(date) - 24 * offsetDays;
  if (d.minute === 0 && d.second === 0) hours = roundHalfEven(hours);
  return hours;
}

/** True unless LBCODE is a cross-section with a time axis (IX or IY 20-23), whose times the grid rules make. */
export function notTimeSection(h: PPHeader): boolean {
  const c = h.lbcode;
  const timeAxis = (n: number) => n >= 20 && n <= 23;
  return c.length !== 5 || (!timeAxis(c.ix) && !timeAxis(c.iy));
}

const f64 = (...v: number[]) => Float64Array.from(v);

/**
 * Iris's `_convert_time_coords` for one field: time, forecast_period and forecast_reference_time from LBTIM,
 * T1, T2 and LBFT — instantaneous (IB 0 and 1), means and accumulations over T1 to T2 (IB 2, bounded), and
 * climatological periods (IB 3).
 */
export function timeCoords(h: PPHeader): CoordSpec[] {
  const { ia, ib, ic } = h.lbtim;
  const calendar = calendarOf(h);
  const time = (points: Float64Array, bounds?: Float64Array): CoordSpec => ({
    standardName: 'time',
    units: EPOCH_HOURS,
    calendar,
    points,
    dtype: 'float64',
    ...(bounds && { bounds }),
  });
  const frt = (hours: number): CoordSpec => ({ standardName: 'forecast_reference_time', units: EPOCH_HOURS, calendar, points: f64(hours), dtype: 'float64' });
  const coords: CoordSpec[] = [];
  const plain = notTimeSection(h);
  const known = ic >= 1 && ic <= 4;
  if (!known && !(ib === 2 || ib === 3)) return coords;
  const hours1 = () => epochHours(t1(h), calendar);
  const hours2 = () => epochHours(t2(h), calendar);
  if (ia === 0 && ib === 0 && known && plain) coords.push(time(f64(hours1())));
  if (ia === 0 && ib === 1 && known && plain) {
    const a = hours1();
    const b = hours2();
    coords.push({ standardName: 'forecast_period', units: 'hours', points: f64(a - b), dtype: 'float64' }, time(f64(a)), frt(b));
  }
  const meanCalendar = ic === 1 || ic === 2 || ic === 4;
  if (ib === 2 && meanCalendar && h.lbyr !== 0 && h.lbyrd !== 0 && plain) {
    const a = hours1();
    const b = hours2();
    const span = b - a;
    coords.push(
      { standardName: 'forecast_period', units: 'hours', points: f64(h.lbft - 0.5 * span), dtype: 'float64', bounds: f64(h.lbft - span, h.lbft) },
      time(f64(0.5 * (a + b)), f64(a, b)),
      frt(b - h.lbft),
    );
  }
  if (ib === 3 && meanCalendar && plain) {
    const a = hours1();
    const b = hours2();
    coords.push(
      { standardName: 'forecast_period', units: 'hours', points: Int32Array.of(h.lbft), dtype: 'int32', bounds: f64(h.lbft - (b - a), h.lbft) },
      time(f64(b), f64(a, b)),
      frt(b - h.lbft),
    );
  }
  if (h.lbcode.length === 5 && h.lbcode.top === 3 && ib === 2 && ic === 2) coords.push(frt(hours2() - h.lbft));
  return coords;
}
