/** The map's geography on the page: the grid locator (lat/lon read-out) and the coastlines/graticule overlay. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { gridLocator, mapGeography, type GridLocator, type MapGeography } from '@cubemark/plot';
import type { CubeModel } from './cube-model.js';

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
