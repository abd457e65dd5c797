import type { Coord, CubeMeta } from '@cubemark/format';

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
