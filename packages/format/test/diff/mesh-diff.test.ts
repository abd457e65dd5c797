import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { diffPublications, parseOrThrow, type Publication } from '../../src/index.js';

/** `cubemark diff` names what changed in meshes and in a cube's place on one (spec/conformance/valid/meshes.cube.md). */
describe('diff of meshes', () => {
  const text = readFileSync(new URL('../../../../spec/conformance/valid/meshes.cube.md', import.meta.url), 'utf8');
  const a = parseOrThrow(text).publication;

  test('no change, no lines', () => {
    expect(diffPublications(a, parseOrThrow(text).publication)).toEqual([]);
  });

  test('a connectivity, a coordinate, a mesh and a cube\'s location', () => {
    const b = structuredClone(a) as Publication;
    const mesh = b.meshes!.Mesh2d;
    mesh.connectivities.edge_node_connectivity!.start_index = 0;
    mesh.node.coords.x!.units = 'radians';
    delete b.meshes!.Network;
    b.cubes[1].mesh = { name: 'Mesh2d', location: 'face', dim: 'nMesh2d_node' };
    expect(diffPublications(a, b)).toEqual([
      { where: 'mesh Mesh2d nodes coord x', what: 'units degrees → radians' },
      { where: 'mesh Mesh2d edge_node_connectivity', what: 'start_index 1 → 0' },
      { where: 'mesh Network', what: 'removed' },
      { where: 'cube snow depth', what: 'mesh nodes of Mesh2d along nMesh2d_node → faces of Mesh2d along nMesh2d_node' },
    ]);
  });
});
