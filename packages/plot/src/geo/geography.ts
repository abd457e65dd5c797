/**
 * The geography drawn over a map: coastlines and a graticule in fractional cell indices of its grid, computed once
 * per grid (a time step or a level of the same grid reuses it) and kept for the last few grids.
 */
import { projectLines, type IndexLine } from './clip.js';
import { coastlines, resolutionFor, type CoastlineResolution, type LonLatLine } from './coastlines.js';
import { describeExtent, gridExtent, type LonLatExtent } from './extent.js';
import { graticule, type GraticuleLabel } from './graticule.js';
import { gridLocator, type GridGeoSpec } from './grid.js';
import type { GridLocator } from './locator.js';

export interface MapGeography {
  /** Identifies the grid. */
  key: string;
  extent: LonLatExtent;
  /** `49.9°N to 60.9°N, 11.0°W to 2.1°E`. */
  region: string;
  resolution: CoastlineResolution;
  coastlines: IndexLine[];
  graticule: IndexLine[];
  graticuleStep: number;
  labels: GraticuleLabel[];
}

const CACHE_SIZE = 16;
const cache = new Map<string, Promise<MapGeography | undefined>>();

function near(line: LonLatLine, extent: LonLatExtent): boolean {
  if (extent.global) return true;
  const margin = 1 + 0.05 * Math.max(extent.east - extent.west, extent.north - extent.south);
  if (line.north < extent.south - margin || line.south > extent.north + margin) return false;
  // Longitudes may be offset by a turn (an extent east of 180).
  for (const shift of [-360, 0, 360]) if (line.east + shift >= extent.west - margin && line.west + shift <= extent.east + margin) return true;
  return false;
}

async function compute(locator: GridLocator): Promise<MapGeography | undefined> {
  const extent = gridExtent(locator);
  if (!extent) return undefined;
  const resolution = resolutionFor(extent);
  const lines = (await coastlines(resolution)).filter((l) => near(l, extent)).map((l) => l.coords);
  const grat = graticule(locator, extent);
  return {
    key: locator.key,
    extent,
    region: describeExtent(extent),
    resolution,
    coastlines: projectLines(lines, locator),
    graticule: grat.lines,
    graticuleStep: grat.step,
    labels: grat.labels,
  };
}

/**
 * Coastlines and graticule of a grid (cached per grid), or undefined when its coordinate system is not one the
 * overlays are drawn for. Accepts a locator made already (the page keeps one for the lat/lon read-out).
 */
export function mapGeography(grid: GridGeoSpec | GridLocator): Promise<MapGeography | undefined> {
  const locator = 'toIndex' in grid ? grid : gridLocator(grid);
  if (!locator) return Promise.resolve(undefined);
  let entry = cache.get(locator.key);
  if (entry) {
    cache.delete(locator.key);
  } else {
    entry = compute(locator);
    entry.catch(() => cache.delete(locator.key));
  }
  cache.set(locator.key, entry);
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return entry;
}
