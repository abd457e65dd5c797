// Geography over maps, in the grid's own coordinate system: shared by the page and the PNG route.
export { geoTransform, proj4Definition, type GeoTransform } from './crs.js';
export { geoNorthUp, gridLocator, indexOf, type GridAxis, type GridGeoSpec } from './grid.js';
export type { GridLocator } from './locator.js';
export { projectLines, type IndexBox, type IndexLine } from './clip.js';
export type { CoastlineResolution } from './coastlines.js';
export { describeExtent, gridExtent, type LonLatExtent } from './extent.js';
export { latText, lonText, type GraticuleLabel } from './graticule.js';
export { mapGeography, type MapGeography } from './geography.js';
export { gridGeoSpec, pickGeoCoords, type GeoCoordChoice, type GeoCoordInfo } from './pick.js';
