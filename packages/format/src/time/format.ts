import type { CfDate } from './types.js';

const pad = (n: number, width: number): string =>
  n < 0 ? `-${String(-n).padStart(width - 1, '0')}` : String(n).padStart(width, '0');

/**
 * A date as cftime's `str()` prints it, and so as Iris shows time points: `1998-12-01 00:00:00`, with
 * `.ffffff` only when there are microseconds, and five characters for negative years (`-0001-01-01 00:00:00`).
 */
export function formatCfDate(date: CfDate): string {
  const year = pad(date.year, date.year < 0 ? 5 : 4);
  const microsecond = date.microsecond ?? 0;
  const fraction = microsecond > 0 ? `.${String(microsecond).padStart(6, '0')}` : '';
  return `${year}-${pad(date.month, 2)}-${pad(date.day, 2)} ${pad(date.hour, 2)}:${pad(date.minute, 2)}:${pad(date.second, 2)}${fraction}`;
}
