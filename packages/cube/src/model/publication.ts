import type { ArrayData, CoordSystem, Mesh, Publication, Source } from '@cubemark/format';
import { FORMAT_VERSION } from '@cubemark/format';
import type { LazyContext } from '../lazy/from-data.js';
import { remapSources, unifySources } from './array-data.js';
import { Cube } from './cube.js';
import { CubeList } from './cube-list.js';
import { deepEqual } from './equality.js';
import { cubeToMeta } from './meta.js';
import { remapMesh, type MeshPlacement } from './mesh.js';

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
  const list = [...cubes];
  const converted = list.map((cube) => cubeToMeta(cube, { coordSystemKey: keyFor }));
  // Meshes' data references index their own publication's sources: unified with the cubes' sources.
  const placements = list.flatMap((cube) => (cube.mesh ? [cube.mesh] : []));
  const { sources, maps: allMaps } = unifySources([...converted.map((c) => c.sources), ...placements.map((p) => p.sources)]);
  const maps = allMaps.slice(0, converted.length);
  const meshes: Record<string, Mesh> = {};
  const meshKeys = new Map<MeshPlacement, string>();
  placements.forEach((placement, i) => {
    const mesh = remapMesh(placement.mesh, allMaps[converted.length + i]);
    let key = placement.key;
    for (let n = 1; Object.hasOwn(meshes, key) && !deepEqual(meshes[key], mesh); n++) key = `${placement.key}_${n}`;
    meshes[key] = mesh;
    meshKeys.set(placement, key);
  });
  const metas = converted.map(({ meta: original }, i) => {
    const placement = list[i].mesh;
    const meta = placement && original.mesh ? { ...original, mesh: { ...original.mesh, name: meshKeys.get(placement) ?? placement.key } } : original;
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
    ...(placements.length > 0 && { meshes }),
    cubes: metas,
  };
  if (options.title !== undefined) publication.title = options.title;
  if (options.created !== undefined) publication.created = options.created;
  if (options.modified !== undefined) publication.modified = options.modified;
  return publication;
}
