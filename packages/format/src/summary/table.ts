import { ljust, pyLen, rjust } from './python-text.js';

/**
 * Iris's `cube_printout.Table`: rows of text in fixed-width columns joined by one space, each row choosing its own
 * alignments. A row may leave its columns from `unlimitedFrom` on out of the width calculation: that is how a long
 * scalar value spills past the dimension columns without widening them.
 */
export type Align = 'left' | 'right';

export interface TableRow {
  cols: string[];
  aligns: Align[];
  unlimitedFrom?: number;
}

/** The narrowest widths that fit every row's (limited) columns. */
export function columnWidths(rows: readonly TableRow[]): number[] {
  const widths: number[] = [];
  for (const row of rows) {
    const cols = row.unlimitedFrom === undefined ? row.cols : row.cols.slice(0, row.unlimitedFrom);
    cols.forEach((col, i) => {
      widths[i] = Math.max(widths[i] ?? 0, pyLen(col));
    });
  }
  return widths;
}

/** One line per row, trailing spaces removed. */
export function formatTable(rows: readonly TableRow[], widths: readonly number[] = columnWidths(rows)): string[] {
  return rows.map((row) =>
    row.cols
      .map((col, i) => (row.aligns[i] === 'right' ? rjust(col, widths[i] ?? 0) : ljust(col, widths[i] ?? 0)))
      .join(' ')
      .trimEnd(),
  );
}
