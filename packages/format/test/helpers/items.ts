import type { Coord, CubeMeta, DerivedCoord } from '@cubemark/format';

/** A cube's metadata from what a test cares about; every other item empty. */
export function cubeMeta(init: Partial<CubeMeta> & Pick<CubeMeta, 'units' | 'dims' | 'shape' | 'dtype' | 'data'>): CubeMeta {
  return {
    attributes: {},
    global_attributes: {},
    cell_methods: [],
    dim_coords: {},
    aux_coords: {},
    derived_coords: {},
    cell_measures: {},
    ancillary_variables: {},
    ...init,
  };
}

/** A coordinate from what a test cares about; no attributes unless given. */
export function coordMeta(init: Partial<Coord> & Pick<Coord, 'units' | 'dims' | 'points'>): Coord {
  return { attributes: {}, ...init };
}

/** The altitude Iris derives from the UM's hybrid height levels (`level_height`, `sigma`, `surface_altitude`). */
export function umHybridHeightAltitude(): DerivedCoord {
  return {
    standard_name: 'altitude',
    formula: 'hybrid_height',
    units: 'm',
    terms: { delta: 'level_height', sigma: 'sigma', orography: 'surface_altitude' },
    attributes: { positive: 'up' },
  };
}

/** Hourly times: `count` hours from `start` hours since 1970 (default 415323: 2017-05-15 03Z, the UKV run's). */
export function hourlyTimeCoord(count: number, start = 415323): Coord {
  return coordMeta({
    standard_name: 'time',
    units: 'hours since 1970-01-01 00:00:00',
    calendar: 'standard',
    dims: ['time'],
    points: { kind: 'regular', dtype: 'float64', shape: [count], start: [start], step: 1 },
  });
}

/** A dimension coordinate of a rotated-pole grid (`grid_latitude` or `grid_longitude`) on the system `rotated_pole`. */
export function rotatedPoleCoord(name: 'grid_latitude' | 'grid_longitude', points: Coord['points']): Coord {
  return coordMeta({ standard_name: name, units: 'degrees', dims: [name], coord_system: 'rotated_pole', points });
}
