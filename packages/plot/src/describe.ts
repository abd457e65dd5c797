import type { FieldStats } from './field.js';

/**
 * A sentence saying what a plotted field holds, for screen readers (`aria-describedby` of the canvas) and image
 * alt text: `air_temperature in K on a 810 × 621 grid: minimum 271.3, maximum 290.1; 12 cells missing.`
 */
export function describeField(name: string, units: string | undefined, shape: { ny: number; nx: number }, stats: FieldStats): string {
  const grid = `${name}${units ? ` in ${units}` : ''} on a ${shape.ny} × ${shape.nx} grid`;
  if (stats.valid === 0) return `${grid}: every cell is missing.`;
  const missing = stats.missing ? `; ${stats.missing} cell${stats.missing === 1 ? '' : 's'} missing` : '';
  return `${grid}: minimum ${formatValue(stats.min)}, maximum ${formatValue(stats.max)}${missing}.`;
}

/** A value as text for a read-out: up to 6 significant digits, no trailing zeros, with units. */
export function formatValue(value: number | undefined, units?: string): string {
  if (value === undefined || Number.isNaN(value)) return 'missing';
  const text = Math.abs(value) >= 1e6 || (value !== 0 && Math.abs(value) < 1e-4) ? value.toExponential(4) : String(Number(value.toPrecision(6)));
  return units ? `${text} ${units}` : text;
}
