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

/** Points per piece: long outlines (Eurasia) are cut so a small map projects only the pieces near it. */
const PIECE = 64;

function piece(line: readonly (readonly number[])[]): LonLatLine {
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
}

/** The coastlines at a resolution (loaded and meshed once), in pieces of at most PIECE points sharing their ends. */
export function coastlines(resolution: CoastlineResolution): Promise<LonLatLine[]> {
  let lines = loaded.get(resolution);
  if (!lines) {
    lines = loaders[resolution]().then(({ default: topology }) => {
      const land = topology as LandTopology;
      const pieces: LonLatLine[] = [];
      for (const line of mesh(land, land.objects.land).coordinates) {
        for (let start = 0; start < line.length - 1; start += PIECE - 1) pieces.push(piece(line.slice(start, start + PIECE)));
      }
      return pieces;
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
