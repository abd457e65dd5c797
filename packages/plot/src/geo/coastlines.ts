/**
 * Natural Earth coastlines from the world-atlas package (TopoJSON land, meshed to lines by topojson-client), at
 * 1:110m for large areas and 1:50m for small ones. Each resolution is loaded once, on first use: the page's
 * bundle keeps them as separate files, fetched only when a map needs them.
 */
import { mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

export type CoastlineResolution = '110m' | '50m';

/** One coastline: lon/lat pairs (degrees) with its bounding box. */
export interface LonLatLine {
  coords: Float64Array;
  west: number;
  east: number;
  south: number;
  north: number;
}

type LandTopology = Topology<{ land: GeometryCollection }>;

const loaders: Record<CoastlineResolution, () => Promise<{ default: unknown }>> = {
  '110m': () => import('world-atlas/land-110m.json', { with: { type: 'json' } }),
  '50m': () => import('world-atlas/land-50m.json', { with: { type: 'json' } }),
};

const loaded = new Map<CoastlineResolution, Promise<LonLatLine[]>>();

/** The coastlines at a resolution (loaded and meshed once). */
export function coastlines(resolution: CoastlineResolution): Promise<LonLatLine[]> {
  let lines = loaded.get(resolution);
  if (!lines) {
    lines = loaders[resolution]().then(({ default: topology }) => {
      const land = topology as LandTopology;
      return mesh(land, land.objects.land).coordinates.map((line) => {
        const coords = new Float64Array(line.length * 2);
        let [west, east, south, north] = [Infinity, -Infinity, Infinity, -Infinity];
        line.forEach(([lon, lat], k) => {
          coords[k * 2] = lon;
          coords[k * 2 + 1] = lat;
          west = Math.min(west, lon);
          east = Math.max(east, lon);
          south = Math.min(south, lat);
          north = Math.max(north, lat);
        });
        return { coords, west, east, south, north };
      });
    });
    // A failed load is not kept, so the next map tries again.
    lines.catch(() => loaded.delete(resolution));
    loaded.set(resolution, lines);
  }
  return lines;
}

/** 1:50m for a map spanning under 40° (a country, a limited-area model), 1:110m for anything larger. */
export function resolutionFor(extent: { west: number; east: number; south: number; north: number }): CoastlineResolution {
  const midLat = Math.max(-80, Math.min(80, (extent.south + extent.north) / 2));
  const span = Math.max((extent.east - extent.west) * Math.cos((midLat * Math.PI) / 180), extent.north - extent.south);
  return span < 40 ? '50m' : '110m';
}
