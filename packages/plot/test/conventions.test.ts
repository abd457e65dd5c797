import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import * as plot from '@cubemark/plot';
import * as png from '@cubemark/plot/png';

describe('conventions', () => {
  it('exports a known public surface (changing it is a decision, not an accident)', () => {
    expect(Object.keys(plot).sort()).toMatchInlineSnapshot(`
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

  it('documents every error code in the readme', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    for (const code of Object.keys(plot.PLOT_ERROR_CODES)) expect(readme).toContain(`| \`${code}\` |`);
  });
});
