/** The map's geography on the page: the grid locator (lat/lon read-out) and the coastlines/graticule overlay. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { gridLocator, mapGeography, type GridLocator, type MapGeography } from '@cubemark/plot';
import type { CoordSystem, CubeDescription } from '@cubemark/format';
import { getCoordValues } from './api.js';
import { cubeModel, unlistedCoords, withCoordValues, type CubeModel } from './cube-model.js';

/**
 * The cube's model; when the description leaves out values the model could use (`unlistedCoords`: a curvilinear
 * grid's 2-D latitude and longitude, the points of the widgets' dimensions), the model again once they are fetched
 * from the coordinate-values route at `base`: the grid placed on the Earth (coastlines, graticule, lat/lon
 * read-out, north up), widgets showing dates and levels instead of indices. A scheduler without that route, or a
 * failed fetch, leaves the model as described.
 */
export function useCubeModel(cube: CubeDescription, coordSystems: Record<string, CoordSystem> | undefined, base: string): CubeModel {
  const described = useMemo(() => cubeModel(cube, coordSystems), [cube, coordSystems]);
  const [completed, setCompleted] = useState<CubeModel | undefined>();
  useEffect(() => {
    setCompleted(undefined);
    const keys = unlistedCoords(described);
    if (keys.length === 0) return;
    const controller = new AbortController();
    Promise.all(keys.map((key) => getCoordValues(base, key, 'points', controller.signal))).then(
      (slices) => {
        if (controller.signal.aborted) return;
        const values = new Map(keys.map((key, k) => [key, Float64Array.from(slices[k].values, (v, i) => (slices[k].mask?.[i] ? NaN : Number(v)))]));
        setCompleted(cubeModel(withCoordValues(cube, values), coordSystems));
      },
      (e: unknown) => controller.signal.aborted || console.warn('coordinate values could not be fetched', e),
    );
    return () => controller.abort();
  }, [described, base]);
  return completed ?? described;
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

/** ` The map shows 49.9°N to 60.9°N, …, with coastlines and a graticule.` for a map's description ('' before the geography). */
export function regionText(geography: MapGeography | undefined, choice: { coastlines: boolean; graticule: boolean }): string {
  if (!geography) return '';
  const overlays = [choice.coastlines && geography.coastlines.length ? 'coastlines' : '', choice.graticule && geography.graticule.length ? 'a graticule' : ''].filter(Boolean).join(' and ');
  return ` The map shows ${geography.region}${overlays ? `, with ${overlays}` : ''}.`;
}
