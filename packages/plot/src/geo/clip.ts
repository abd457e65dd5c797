/**
 * Lines in lon/lat drawn on a grid: projected to fractional cell indices, broken where the projection has no
 * answer or jumps (the date line on a 0–360 grid, a projection's cut), and clipped to the grid's rectangle.
 */
import type { GridLocator } from './locator.js';

/** A polyline in fractional cell indices: i0, j0, i1, j1, ... (0 is the centre of the first cell). */
export type IndexLine = Float64Array;

/** The rectangle a map shows, in fractional cell indices: cell edges, from -0.5 to n - 0.5. */
export interface IndexBox {
  i0: number;
  i1: number;
  j0: number;
  j1: number;
}

export function gridBox(nx: number, ny: number): IndexBox {
  return { i0: -0.5, i1: nx - 0.5, j0: -0.5, j1: ny - 0.5 };
}

/** Clip one segment to the box (Liang–Barsky); the parameters of its visible part, or undefined. */
function clipSegment(box: IndexBox, x0: number, y0: number, x1: number, y1: number): [number, number] | undefined {
  const dx = x1 - x0;
  const dy = y1 - y0;
  let t0 = 0;
  let t1 = 1;
  const edges: [number, number][] = [
    [-dx, x0 - box.i0],
    [dx, box.i1 - x0],
    [-dy, y0 - box.j0],
    [dy, box.j1 - y0],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return undefined;
      continue;
    }
    const r = q / p;
    if (p < 0) {
      if (r > t1) return undefined;
      if (r > t0) t0 = r;
    } else {
      if (r < t0) return undefined;
      if (r < t1) t1 = r;
    }
  }
  return [t0, t1];
}

/** Accumulates clipped polylines. */
class LineSink {
  readonly lines: IndexLine[] = [];
  private current: number[] = [];
  constructor(private readonly box: IndexBox) {}

  /** A segment of a continuous line; consecutive segments share their end points. */
  segment(x0: number, y0: number, x1: number, y1: number): void {
    const t = clipSegment(this.box, x0, y0, x1, y1);
    if (!t) {
      this.end();
      return;
    }
    const [t0, t1] = t;
    const ax = x0 + t0 * (x1 - x0);
    const ay = y0 + t0 * (y1 - y0);
    if (t0 > 0 || this.current.length === 0) {
      this.end();
      this.current.push(ax, ay);
    }
    this.current.push(x0 + t1 * (x1 - x0), y0 + t1 * (y1 - y0));
    if (t1 < 1) this.end();
  }

  end(): void {
    if (this.current.length >= 4) this.lines.push(Float64Array.from(this.current));
    this.current = [];
  }
}

/** Segments longer than this many cells are checked for a jump (a cut of the projection) before being drawn. */
const CHECK_LONGER_THAN = 2;

/**
 * Project lon/lat polylines (`[lon0, lat0, lon1, lat1, ...]`, degrees) onto a grid and clip them to it. A segment
 * is dropped where an end does not project, or where its projected middle is far from the middle of its projected
 * ends (it jumps across a cut).
 */
export function projectLines(lines: Iterable<ArrayLike<number>>, locator: GridLocator, box: IndexBox = gridBox(locator.nx, locator.ny)): IndexLine[] {
  const sink = new LineSink(box);
  for (const line of lines) {
    let prev: [number, number] | undefined;
    let prevLon = NaN;
    let prevLat = NaN;
    for (let k = 0; k + 1 < line.length; k += 2) {
      const lon = line[k];
      const lat = line[k + 1];
      const p = locator.toIndex(lon, lat);
      if (p && prev && !cutBetween(locator, prevLon, prevLat, lon, lat, prev, p)) sink.segment(prev[0], prev[1], p[0], p[1]);
      else sink.end();
      prev = p;
      prevLon = lon;
      prevLat = lat;
    }
    sink.end();
  }
  return sink.lines;
}

function cutBetween(locator: GridLocator, lon0: number, lat0: number, lon1: number, lat1: number, a: [number, number], b: [number, number]): boolean {
  // Natural Earth closes polygons along the date line and the south pole: edges there are not coastline.
  if (Math.abs(lon0) === 180 && Math.abs(lon1) === 180) return true;
  if (lat0 <= -89.999 && lat1 <= -89.999) return true;
  const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
  if (length <= CHECK_LONGER_THAN) return false;
  const dlon = lon1 - lon0 - 360 * Math.round((lon1 - lon0) / 360);
  const mid = locator.toIndex(lon0 + dlon / 2, (lat0 + lat1) / 2);
  if (!mid) return true;
  return Math.hypot(mid[0] - (a[0] + b[0]) / 2, mid[1] - (a[1] + b[1]) / 2) > length / 4 + 1;
}
