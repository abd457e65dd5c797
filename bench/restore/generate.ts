import type { CubeMeta, Publication, Source } from '@cubemark/format';
import { generatePublication as generateUkv } from '../format/generate.js';

/**
 * A UKV-like publication as the restore bench and tests need it: 60 cubes of which one in `levelEvery` (default:
 * 30) is on the 70 model levels (hybrid height, with its level arrays as base64) and the rest are single-level
 * fields (screen temperature, winds, precipitation...) with a scalar height, as in the UKV surface output. About
 * 135 KB of frontmatter and 70 KB of generated summary per file (the bench prints the exact figures), against
 * ~360 KB of frontmatter for the all-model-level publications of bench/format.
 *
 * `sources` replaces the four data sources (URIs relative to the store's data base, with the size and mtime the
 * bench gave the files it made).
 */
export function generatePublication(seed: number, options: { cubes?: number; levelEvery?: number; sources?: Source[] } = {}): Publication {
  const pub = generateUkv(seed, options.cubes ?? 60);
  pub.cubes = pub.cubes.map((cube, c) => (c % (options.levelEvery ?? 30) === 0 ? cube : singleLevel(cube)));
  if (options.sources) {
    const n = options.sources.length;
    pub.sources = options.sources;
    for (const cube of pub.cubes) {
      if (cube.data.kind === 'source') cube.data.source %= n;
      for (const coord of Object.values(cube.aux_coords)) if (coord.points.kind === 'source') coord.points.source %= n;
    }
  }
  return pub;
}

function singleLevel(cube: CubeMeta): CubeMeta {
  const level = cube.dims.indexOf('model_level_number');
  const drop = <T>(xs: T[]) => xs.filter((_, i) => i !== level);
  const shape = drop(cube.shape);
  const { model_level_number: _m, ...dim_coords } = cube.dim_coords;
  const { level_height: _h, sigma: _s, ...aux_coords } = cube.aux_coords;
  void _m;
  void _h;
  void _s;
  aux_coords.height = {
    standard_name: 'height',
    units: 'm',
    dims: [],
    points: { kind: 'inline', dtype: 'float64', shape: [1], values: Float64Array.from([1.5]) },
    attributes: { positive: 'up' },
  };
  const data = cube.data.kind === 'source' ? { ...cube.data, shape, chunks: cube.data.chunks && drop(cube.data.chunks) } : cube.data;
  return { ...cube, dims: drop(cube.dims), shape, dim_coords, aux_coords, derived_coords: {}, data };
}
