import type { CellMethod } from '../model/types.js';

/**
 * Iris's `str(CellMethod)`: `time: mean (interval: 1 day comment: daily mean)`. Comments stand alone unless there
 * are intervals too, when each gets a `comment:` label.
 */
export function formatCellMethod(cm: CellMethod): string {
  const coords = cm.coords.map((coord) => `${coord}:`).join(' ');
  const intervals = cm.intervals.map((interval) => `interval: ${interval}`).join(' ');
  let comments = cm.comments.join(' ');
  if (intervals && comments) comments = cm.comments.map((comment) => ` comment: ${comment}`).join('');
  const summary = `${coords} ${cm.method}`;
  return intervals || comments ? `${summary} (${intervals}${comments})` : summary;
}
