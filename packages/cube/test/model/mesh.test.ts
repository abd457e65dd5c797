import { join } from 'node:path';
import { cubeSummary, type Publication } from '@cubemark/format';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPublication } from '../../src/cf/index.js';
import { Cube } from '../../src/model/cube.js';
import { CubeStructureError } from '../../src/model/errors.js';
import { cubesFromPublication, publicationFromCubes } from '../../src/model/publication.js';
import { noBytes, registryWith } from '../lazy/memory-plugin.js';
import { createSourcePool } from '../../src/bytes/pool.js';
import { defaultRegistry } from '../../src/readers/registry.js';
import { irisTestDataDir, readIrisReading } from '../../../format/test/summary/iris-reading.js';

/** Cubes on a UGRID mesh in the model: read from a real LFRic file, through operations, back to a publication. */

const LFRIC = 'NetCDF/unstructured_grid/lfric_ngvat_2D_1t_face_half_levels_main_conv_rain.nc';
let pub: Publication;
beforeAll(async () => {
  pub = (await loadPublication([join(irisTestDataDir(), LFRIC)], { base: irisTestDataDir() })).publication;
});
const lazyFor = (p: Publication) => ({ sources: p.sources, pool: noBytes, plugins: registryWith() });
const rain = () => [...cubesFromPublication(pub, { lazy: lazyFor(pub) })].find((c) => c.varName === 'conv_rain') as Cube;

describe('a cube on a mesh', () => {
  it('keeps its mesh from the publication, and prints as Iris', () => {
    const cube = rain();
    expect(cube.mesh).toMatchObject({ key: 'Mesh2d_half_levels', location: 'face', dim: 'nMesh2d_half_levels_face' });
    expect(cube.summary()).toBe(readIrisReading().get(LFRIC)?.find((p) => p.startsWith('surface_convective_rainfall_rate')));
  });

  it('round-trips through publicationFromCubes: the mesh comes back under its key', () => {
    const cubes = cubesFromPublication(pub, { lazy: lazyFor(pub) });
    const back = publicationFromCubes(cubes, { name: pub.name });
    expect(back.meshes).toEqual(pub.meshes);
    expect(back.cubes.map((c) => c.mesh)).toEqual(pub.cubes.map((c) => c.mesh));
    expect(back.cubes.map((c) => cubeSummary(c, { meshes: back.meshes }))).toEqual(pub.cubes.map((c) => cubeSummary(c, { meshes: pub.meshes })));
  });

  it('stays on the mesh when another dimension is sliced, and leaves it when the mesh dimension is', () => {
    const cube = rain();
    expect(cube.index([0]).mesh?.dim).toBe('nMesh2d_half_levels_face');
    expect(cube.index([0]).summary()).toContain('    Mesh coordinates:\n        latitude ');
    expect(cube.index([0, { start: 0, stop: 10 }]).mesh).toBeUndefined();
    expect(cube.index([0, [3, 2, 1]]).mesh).toBeUndefined();
    expect(cube.index([0, { start: 0, stop: 864 }]).mesh).toBeDefined();
  });

  it('a cube naming a mesh the publication lacks is a structure error', () => {
    const meta = pub.cubes.find((c) => c.var_name === 'conv_rain')!;
    const broken = { ...pub, meshes: {} };
    expect(() => Cube.fromMeta(meta, { publication: broken, lazy: lazyFor(broken) })).toThrow(CubeStructureError);
  });

  it("has Iris's MeshCoords: the face coordinates, bounded by their nodes through the face-node connectivity", async () => {
    const pool = createSourcePool();
    try {
      const cube = [...cubesFromPublication(pub, { lazy: { sources: pub.sources, base: irisTestDataDir(), pool, plugins: defaultRegistry } })].find((c) => c.varName === 'conv_rain') as Cube;
      const [x, y] = cube.meshCoords();
      expect([x.standardName, y.standardName]).toEqual(['longitude', 'latitude']);
      expect([x.units, x.varName]).toEqual(['degrees', 'Mesh2d_half_levels_face_x']);
      const mesh = pub.meshes!.Mesh2d_half_levels;
      const faceX = (mesh.face!.coords.x!.points as { values: Float32Array }).values;
      const nodeX = (mesh.node.coords.x!.points as { values: Float32Array }).values;
      const faceNodes = (mesh.connectivities.face_node_connectivity!.indices as { values: Int32Array }).values;
      expect([...(await x.points.read()).values]).toEqual([...faceX]);
      const bounds = await x.bounds!.read();
      expect(bounds.shape).toEqual([864, 4]);
      expect([...bounds.values].slice(0, 8)).toEqual([...faceNodes.slice(0, 8)].map((i) => nodeX[i]));
      // A cube off a mesh has none.
      expect(cube.index([0, { start: 0, stop: 2 }]).meshCoords()).toEqual([]);
    } finally {
      await pool.close();
    }
  });
});
