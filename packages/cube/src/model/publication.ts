import type { ArrayData, CoordSystem, Publication, Source } from '@cubemark/format';
import { FORMAT_VERSION } from '@cubemark/format';
import type { LazyContext } from '../lazy/from-data.js';
import { remapSources, unifySources } from './array-data.js';
import { Cube } from './cube.js';
import { CubeList } from './cube-list.js';
import { deepEqual } from './equality.js';
import { cubeToMeta } from './meta.js';

/** The cubes of a publication, lazily (nothing is read). */
export function cubesFromPublication(publication: Publication, ctx: { lazy: LazyContext }): CubeList {
  return new CubeList(publication.cubes.map((meta) => Cube.fromMeta(meta, { publication, lazy: ctx.lazy })));
}

export interface PublicationOptions {
  /** A slug: letters, digits, `.`, `_`, `-`. */
  name: string;
  title?: string;
  created?: string;
  modified?: string;
  provenance?: Record<string, string>;
}

/**
 * A publication of cubes: their metadata, one source list for all (cubes read from different publications are
 * re-indexed into it), and the coordinate systems their coordinates use, under the keys they were read with
 * (a key two different systems claim gets a suffix). Throws `NotRepresentableError` for a cube holding arrays the
 * format cannot describe (`cube.inlined()` first).
 */
export function publicationFromCubes(cubes: Iterable<Cube>, options: PublicationOptions): Publication {
  const coordSystems: Record<string, CoordSystem> = {};
  const keyFor = (system: CoordSystem, preferred: string): string => {
    for (const [k, s] of Object.entries(coordSystems)) if (k === preferred && deepEqual(s, system)) return k;
    for (const [k, s] of Object.entries(coordSystems)) if (deepEqual(s, system) && k.startsWith(preferred)) return k;
    let key = preferred;
    for (let i = 1; Object.hasOwn(coordSystems, key); i++) key = `${preferred}_${i}`;
    coordSystems[key] = system;
    return key;
  };
  const converted = [...cubes].map((cube) => cubeToMeta(cube, { coordSystemKey: keyFor }));
  const { sources, maps } = unifySources(converted.map((c) => c.sources));
  const metas = converted.map(({ meta }, i) => {
    const map = maps[i];
    if (map.every((to, from) => to === from)) return meta;
    const fix = <T extends { points: ArrayData; bounds?: ArrayData }>(c: T): T => ({
      ...c,
      points: remapSources(c.points, map),
      ...(c.bounds ? { bounds: remapSources(c.bounds, map) } : {}),
    });
    const fixData = <T extends { data: ArrayData }>(v: T): T => ({ ...v, data: remapSources(v.data, map) });
    const mapValues = <T>(r: Record<string, T>, f: (x: T) => T) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, f(v)]));
    return {
      ...meta,
      data: remapSources(meta.data, map),
      dim_coords: mapValues(meta.dim_coords, fix),
      aux_coords: mapValues(meta.aux_coords, fix),
      cell_measures: mapValues(meta.cell_measures, fixData),
      ancillary_variables: mapValues(meta.ancillary_variables, fixData),
    };
  });
  const publication: Publication = {
    cubemark: FORMAT_VERSION,
    name: options.name,
    provenance: { ...(options.provenance ?? {}) },
    sources: sources.map((s): Source => (typeof s === 'string' ? { uri: s } : s)),
    coord_systems: coordSystems,
    cubes: metas,
  };
  if (options.title !== undefined) publication.title = options.title;
  if (options.created !== undefined) publication.created = options.created;
  if (options.modified !== undefined) publication.modified = options.modified;
  return publication;
}
