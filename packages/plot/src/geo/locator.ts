/**
 * Conversions between lon/lat (degrees) and fractional cell indices of one grid: the contract both locators keep
 * (by dimension coordinates in grid.ts, curvilinear in curvilinear.ts).
 */
export interface GridLocator {
  nx: number;
  ny: number;
  /** Identifies the grid (for caches). */
  key: string;
  /** Fractional (i, j) of a geographic point, extrapolated past the edges; undefined where it does not project. */
  toIndex(lon: number, lat: number): [number, number] | undefined;
  /** lon/lat of a fractional cell index, or undefined. */
  toLonLat(i: number, j: number): [number, number] | undefined;
}
