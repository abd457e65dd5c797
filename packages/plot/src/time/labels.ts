import { formatCfDate, isTimeReference, timeCoder, type CfDate, type TimeCoder } from '@cubemark/format';

export interface TimeLabelOptions {
  /** Drop `:SS` when the seconds are 0, and `HH:MM` too when every given time is midnight (default: true). */
  compact?: boolean;
}

/** Whether `units` are `<unit> since <date>` (a time coordinate), so its points are dates. */
export function isTimeUnits(units: string | undefined): boolean {
  if (!units) return false;
  try {
    return isTimeReference(units);
  } catch {
    return false;
  }
}

function compactText(date: Required<CfDate>, dateOnly: boolean): string {
  const full = formatCfDate(date);
  if (dateOnly) return full.slice(0, full.indexOf(' '));
  return date.second === 0 && date.microsecond === 0 ? full.slice(0, full.lastIndexOf(':')) : full;
}

/**
 * Dates of time points as text, decoded in their own calendar with @cubemark/format's CF time (as cftime does):
 * `2000-02-30 00:00` is a real day in a `360_day` calendar and `2001-02-29` never appears in a `noleap` one,
 * which decoding through JavaScript's `Date` would get wrong.
 */
export function timeLabels(points: ArrayLike<number>, units: string, calendar?: string, options: TimeLabelOptions = {}): string[] {
  const coder: TimeCoder = timeCoder(units, calendar);
  // Stored times carry float noise (`hours since` a reference, in float32 or float64): 17:10 comes back as
  // 17:10:00.000018. A time within a millisecond of a whole second is shown as that second; real fractions stay.
  const secondsPerUnit = Number(coder.units.microsecondsPerUnit) / 1e6;
  const snap = (v: number): number => {
    if (options.compact === false || !Number.isFinite(v)) return v;
    const seconds = v * secondsPerUnit;
    const whole = Math.round(seconds);
    return Math.abs(seconds - whole) < 1e-3 ? whole / secondsPerUnit : v;
  };
  const dates = Array.from(points, (v) => coder.decode(snap(v)));
  if (options.compact === false) return dates.map(formatCfDate);
  const midnight = dates.length > 1 && dates.every((d) => d.hour === 0 && d.minute === 0 && d.second === 0 && d.microsecond === 0);
  return dates.map((d) => compactText(d, midnight));
}

/** One time point as text (see `timeLabels`). */
export function timeLabel(value: number, units: string, calendar?: string, options: TimeLabelOptions = {}): string {
  const [label] = timeLabels([value], units, calendar, { compact: options.compact });
  return label;
}

/** The calendar to mention next to dates: nothing for the usual ones, the name for the rest (`360_day`). */
export function calendarNote(calendar: string | undefined): string {
  const c = (calendar ?? 'standard').toLowerCase();
  return c === 'standard' || c === 'gregorian' || c === 'proleptic_gregorian' ? '' : c;
}
