/** The longitude-latitude box a grid covers, found by sampling its edges and inside. */
import type { GridLocator } from './locator.js';

/** Degrees; `east` may exceed 180 when the box crosses the date line (`west` 170, `east` 190). */
export interface LonLatExtent {
  west: number;
  east: number;
  south: number;
  north: number;
  /** The grid goes all the way round (or holds a pole). */
  global: boolean;
}

function inside(locator: GridLocator, p: [number, number] | undefined): boolean {
  return !!p && p[0] >= -0.5 && p[0] <= locator.nx - 0.5 && p[1] >= -0.5 && p[1] <= locator.ny - 0.5;
}

export function gridExtent(locator: GridLocator): LonLatExtent | undefined {
  const { nx, ny } = locator;
  const samples: [number, number][] = [];
  const edge = 64;
  for (let s = 0; s <= edge; s++) {
    const fi = -0.5 + (s / edge) * nx;
    const fj = -0.5 + (s / edge) * ny;
    samples.push([fi, -0.5], [fi, ny - 0.5], [-0.5, fj], [nx - 0.5, fj]);
  }
  for (let a = 1; a < 8; a++) for (let b = 1; b < 8; b++) samples.push([(a / 8) * nx - 0.5, (b / 8) * ny - 0.5]);
  let ref: number | undefined;
  let [west, east, south, north] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const [i, j] of samples) {
    const ll = locator.toLonLat(i, j);
    if (!ll) continue;
    ref ??= ll[0];
    const lon = ref + (ll[0] - ref - 360 * Math.round((ll[0] - ref) / 360));
    west = Math.min(west, lon);
    east = Math.max(east, lon);
    south = Math.min(south, ll[1]);
    north = Math.max(north, ll[1]);
  }
  if (ref === undefined) return undefined;
  const northPole = inside(locator, locator.toIndex(0, 90));
  const southPole = inside(locator, locator.toIndex(0, -90));
  if (northPole) north = 90;
  if (southPole) south = -90;
  const global = northPole || southPole || east - west >= 359;
  if (global) [west, east] = [-180, 180];
  // Normalise so west lies in [-180, 180).
  const shift = 360 * Math.floor((west + 180) / 360);
  return { west: west - shift, east: east - shift, south: Math.max(-90, south), north: Math.min(90, north), global };
}

/** The box as words for a screen reader: `49.9°N to 60.9°N, 11.0°W to 2.1°E`. */
export function describeExtent(extent: LonLatExtent): string {
  const lat = (v: number) => `${Math.abs(v).toFixed(1)}°${v >= 0 ? 'N' : 'S'}`;
  const lon = (v: number) => {
    const l = v - 360 * Math.round(v / 360);
    return `${Math.abs(l).toFixed(1)}°${l >= 0 ? 'E' : 'W'}`;
  };
  const lats = `${lat(extent.south)} to ${lat(extent.north)}`;
  return extent.global && extent.east - extent.west >= 359 ? `${lats}, all longitudes` : `${lats}, ${lon(extent.west)} to ${lon(extent.east)}`;
}
