import { CubemarkError } from '@cubemark/format';

/** Stable codes of the plot package's errors (callers match on `code`; messages say what to do). */
export const PLOT_ERROR_CODES = {
  UNKNOWN_COLORMAP: 'a colour map name that the plot package does not know',
  BAD_FIELD: 'a field whose values do not fill its stated shape, or a shape that is not two positive lengths',
  BAD_RANGE: 'a colour range whose ends are not finite numbers with min <= max',
  BAD_SIZE: 'a figure size too small to hold the plot or larger than the limit',
  NOT_PLOTTABLE: 'a cube the figures cannot draw yet: values on the nodes or edges of an unstructured mesh',
} as const;

export type PlotErrorCode = keyof typeof PLOT_ERROR_CODES;

export class PlotError extends CubemarkError {
  declare readonly code: PlotErrorCode;
  constructor(code: PlotErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
