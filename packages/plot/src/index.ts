// The public surface of @cubemark/plot: isomorphic (no Node or DOM APIs), so the explorer page and the
// scheduler's PNG route draw the same figures. Server-side PNG encoding is the `@cubemark/plot/png` subpath.
export { PlotError, PLOT_ERROR_CODES, type PlotErrorCode } from './errors.js';
export { checkField, fieldStats, valueAt, type Field2D, type FieldStats, type FieldValues } from './field.js';
export {
  COLORMAPS,
  COLORMAP_NAMES,
  DEFAULT_COLORMAP,
  LUT_SIZE,
  colormapCss,
  colormapInfo,
  colormapLut,
  isColormapName,
  type ColormapInfo,
  type ColormapKind,
  type ColormapName,
} from './colour/colormaps.js';
export { PERCENTILE_SAMPLE, colourScale, robustRange, scaleFraction, type ColourScale, type ColourScaleOptions } from './colour/scale.js';
export { renderRgba, type RgbaImage, type RgbaOptions } from './render/rgba.js';
export { coordTicks, linearTicks, tickFormatter, type IndexTick, type Tick } from './axes/ticks.js';
export { COORD_SYSTEM_LABELS, axisLabel, unitsText, type AxisLabel, type LabelledCoord } from './axes/labels.js';
export { dimLabel, mapDims, type DimensionedCube, type MapDims } from './axes/map-dims.js';
export { calendarNote, isTimeUnits, timeLabel, timeLabels, type TimeLabelOptions } from './time/labels.js';
export { DEFAULT_FONT_FAMILY, fitText, type Canvas2D, type Rect } from './figure/canvas.js';
export {
  MAX_FIGURE_SIDE,
  drawColourBar,
  drawMap,
  mapCellAt,
  mapCellCentre,
  mapLayout,
  mapOverlay,
  mapSizeForWidth,
  northUp,
  type AxisSpec,
  type MapLayout,
  type MapOverlay,
  type MapSpec,
} from './figure/map.js';
export { drawSeries, type SeriesLayout, type SeriesSpec } from './figure/series.js';
export {
  MESH_GEO_CELLS,
  drawMeshMap,
  facesFromBounds,
  meshFaces,
  meshGeoSpec,
  meshMapLayout,
  meshMapSizeForWidth,
  plottableMesh,
  type FaceNodeIndices,
  type MeshFaces,
  type MeshMapSpec,
} from './figure/mesh.js';
export { describeField, formatValue } from './describe.js';
export * from './geo/index.js';
