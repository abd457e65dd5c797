/** Lines of equal latitude and longitude over a grid's extent, at a round step, with labels where they leave the map. */
import { projectLines, type IndexLine } from './clip.js';
import type { GridLocator } from './locator.js';
import type { LonLatExtent } from './extent.js';

export interface GraticuleLabel {
  /** `50°N`, `10°W`. */
  text: string;
  kind: 'lat' | 'lon';
  /** Where the line meets the edge of the map, in fractional cell indices. */
  i: number;
  j: number;
}

export interface Graticule {
  step: number;
  lines: IndexLine[];
  labels: GraticuleLabel[];
}

const STEPS = [0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 15, 20, 30, 45];

/** A round step giving at most about 8 lines across the larger side of the extent. */
export function graticuleStep(extent: LonLatExtent): number {
  const midLat = Math.max(-80, Math.min(80, (extent.south + extent.north) / 2));
  const span = Math.max((extent.east - extent.west) * Math.cos((midLat * Math.PI) / 180), extent.north - extent.south, 1e-6);
  return STEPS.find((s) => span / s <= 8) ?? 45;
}

function degrees(v: number, step: number): string {
  const decimals = step >= 1 ? 0 : Number.isInteger(Math.round(step * 1e6) / 1e5) ? 1 : 2;
  return String(Number(Math.abs(v).toFixed(decimals)));
}

export function latText(lat: number, step = 1): string {
  return lat === 0 ? '0°' : `${degrees(lat, step)}°${lat > 0 ? 'N' : 'S'}`;
}

export function lonText(lon: number, step = 1): string {
  const l = lon - 360 * Math.round(lon / 360);
  if (l === 0 || Math.abs(l) === 180) return `${Math.abs(l)}°`;
  return `${degrees(l, step)}°${l > 0 ? 'E' : 'W'}`;
}

function onEdge(locator: GridLocator, i: number, j: number): boolean {
  const e = 1e-6;
  return Math.abs(i + 0.5) < e || Math.abs(j + 0.5) < e || Math.abs(i - (locator.nx - 0.5)) < e || Math.abs(j - (locator.ny - 0.5)) < e;
}

/** The graticule of a grid over its extent. */
export function graticule(locator: GridLocator, extent: LonLatExtent): Graticule {
  const step = graticuleStep(extent);
  const lines: IndexLine[] = [];
  const labels: GraticuleLabel[] = [];
  const add = (coords: number[], kind: 'lat' | 'lon', value: number) => {
    for (const line of projectLines([coords], locator)) {
      lines.push(line);
      const text = kind === 'lat' ? latText(value, step) : lonText(value, step);
      const n = line.length;
      for (const [i, j] of [[line[0], line[1]], [line[n - 2], line[n - 1]]]) if (onEdge(locator, i, j)) labels.push({ text, kind, i, j });
    }
  };
  const south = Math.max(-90, extent.south);
  const north = Math.min(90, extent.north);
  const along = Math.min(1, step / 8);
  for (let lon = Math.ceil(extent.west / step) * step; lon <= extent.east + 1e-9; lon += step) {
    const coords: number[] = [];
    for (let lat = south; lat < north + along; lat += along) coords.push(lon, Math.min(lat, north));
    add(coords, 'lon', Number(lon.toFixed(6)));
  }
  for (let lat = Math.ceil(south / step) * step; lat <= north + 1e-9; lat += step) {
    if (Math.abs(lat) >= 90) continue;
    const coords: number[] = [];
    for (let lon = extent.west; lon < extent.east + along; lon += along) coords.push(Math.min(lon, extent.east), lat);
    add(coords, 'lat', Number(lat.toFixed(6)));
  }
  return { step, lines, labels };
}
