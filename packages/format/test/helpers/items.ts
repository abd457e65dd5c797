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

/**
 * A cube of values 0 to 865 on the 866 nodes of mesh `Mesh2d_half_levels` of the Iris test data's LFRic file
 * (`lfric_ngvat_2D_1t_face_half_levels_main_conv_rain.nc`): node values, which maps do not draw.
 */
export function lfricNodeCube(): CubeMeta {
  return cubeMeta({
    long_name: 'node_field',
    var_name: 'node_field',
    units: 'K',
    dims: ['nMesh2d_half_levels_node'],
    shape: [866],
    dtype: 'float32',
    data: { kind: 'inline', dtype: 'float32', shape: [866], values: Float32Array.from({ length: 866 }, (_, k) => k) },
    mesh: { name: 'Mesh2d_half_levels', location: 'node', dim: 'nMesh2d_half_levels_node' },
  });
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
