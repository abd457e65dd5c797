import { describe, expect } from 'vitest';
import { conventionTests } from '../../format/test/helpers/conventions.js';
import * as plot from '@cubemark/plot';
import * as png from '@cubemark/plot/png';

describe('conventions', () => {
  // Changing the public surface is a decision, not an accident.
  conventionTests({ readme: new URL('../README.md', import.meta.url), errorCodes: Object.keys(plot.PLOT_ERROR_CODES), exports: plot }, (names) => {
    expect(names).toMatchInlineSnapshot(`
      [
        "COLORMAPS",
        "COLORMAP_NAMES",
        "COORD_SYSTEM_LABELS",
        "DEFAULT_COLORMAP",
        "DEFAULT_FONT_FAMILY",
        "LUT_SIZE",
        "MAX_FIGURE_SIDE",
        "MESH_GEO_CELLS",
        "PERCENTILE_SAMPLE",
        "PLOT_ERROR_CODES",
        "PlotError",
        "axisLabel",
        "calendarNote",
        "checkField",
        "colormapCss",
        "colormapInfo",
        "colormapLut",
        "colourScale",
        "coordTicks",
        "describeExtent",
        "describeField",
        "dimLabel",
        "drawColourBar",
        "drawMap",
        "drawMeshMap",
        "drawSeries",
        "facesFromBounds",
        "fieldStats",
        "fitText",
        "formatValue",
        "geoNorthUp",
        "geoTransform",
        "gridExtent",
        "gridGeoSpec",
        "gridLocator",
        "indexOf",
        "isColormapName",
        "isTimeUnits",
        "latText",
        "linearTicks",
        "lonText",
        "mapCellAt",
        "mapCellCentre",
        "mapDims",
        "mapGeography",
        "mapLayout",
        "mapSizeForWidth",
        "meshFaces",
        "meshGeoSpec",
        "meshMapLayout",
        "meshMapSizeForWidth",
        "northUp",
        "pickGeoCoords",
        "plottableMesh",
        "proj4Definition",
        "projectLines",
        "renderRgba",
        "robustRange",
        "scaleFraction",
        "tickFormatter",
        "timeLabel",
        "timeLabels",
        "unitsText",
        "valueAt",
      ]
    `);
    expect(Object.keys(png).sort()).toEqual(['renderMeshPng', 'renderPng', 'renderSeriesPng']);
  });
});
