/** The map's geography on the page: the grid locator (lat/lon read-out) and the coastlines/graticule overlay. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { gridLocator, mapGeography, type GridLocator, type MapGeography } from '@cubemark/plot';
import type { CoordSystem, CubeDescription } from '@cubemark/format';
import { getCoordValues } from './api.js';
import { cubeModel, withGeo, type CubeModel } from './cube-model.js';

/**
 * The cube's model; for a curvilinear grid whose 2-D latitude and longitude the description does not list, the
 * model again once they are fetched from the coordinate-values route at `base` (placed on the Earth: coastlines,
 * graticule, lat/lon read-out, north up). A scheduler without that route leaves the grid unplaced.
 */
export function useCubeModel(cube: CubeDescription, coordSystems: Record<string, CoordSystem> | undefined, base: string): CubeModel {
  const described = useMemo(() => cubeModel(cube, coordSystems), [cube, coordSystems]);
  const [placed, setPlaced] = useState<CubeModel | undefined>();
  useEffect(() => {
    setPlaced(undefined);
    const choice = described.geoToFetch;
    if (!choice) return;
    const controller = new AbortController();
    Promise.all([getCoordValues(base, choice.lon, 'points', controller.signal), getCoordValues(base, choice.lat, 'points', controller.signal)]).then(
      ([lon, lat]) => controller.signal.aborted || setPlaced(withGeo(described, lon.values, lat.values)),
      (e: unknown) => controller.signal.aborted || console.warn('the grid\'s latitude and longitude could not be fetched', e),
    );
    return () => controller.abort();
  }, [described, base]);
  return placed ?? described;
}

export function useGeography(model: CubeModel): { locator?: GridLocator; geography?: MapGeography } {
  const locator = useMemo(() => (model.geo ? gridLocator(model.geo) : undefined), [model]);
  const [geography, setGeography] = useState<MapGeography | undefined>();
  useEffect(() => {
    let live = true;
    setGeography(undefined);
    if (locator) {
      mapGeography(locator).then(
        (g) => live && setGeography(g),
        (e: unknown) => console.warn('coastlines could not be loaded', e),
      );
    }
    return () => {
      live = false;
    };
  }, [locator]);
  return { locator, geography };
}

/** `52.312°N 1.204°W`. */
export function lonLatText(lon: number, lat: number): string {
  const l = lon - 360 * Math.round(lon / 360);
  return `${Math.abs(lat).toFixed(3)}°${lat >= 0 ? 'N' : 'S'} ${Math.abs(l).toFixed(3)}°${l >= 0 ? 'E' : 'W'}`;
}
