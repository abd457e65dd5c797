import { cubeSummary, parse, same, serialize } from '@cubemark/format';
import { describe, expect, test } from 'vitest';
import { MeshError } from '../../src/errors.js';
import { loadPublication } from '../../src/cf/index.js';
import { makeCfFixture } from './cdl-fixture.js';

/**
 * UGRID's general rules as Iris reads them, on files made with ncgen from cdl/ugrid_*.cdl: meshes found by
 * `cf_role` or a `mesh` attribute, topology dimension from the connectivities, 1-based, transposed and masked
 * connectivities, axes from standard names or `_x`/`_y` names, cubes on nodes, edges and faces, and the files
 * Iris refuses.
 */

const load = async (name: string) => loadPublication([await makeCfFixture(name)]);

describe('a 1-D mesh (network) named only by the data', () => {
  test('the mesh: corrected cf_role and topology dimension, start_index 0 by default, edges from the connectivity', async () => {
    const { publication, warnings } = await load('ugrid_network');
    const mesh = publication.meshes?.net;
    expect(mesh).toMatchObject({
      long_name: 'river network',
      var_name: 'net',
      topology_dimension: 1,
      node: { dimension: 'nNodes', count: 3 },
      edge: { dimension: 'nEdges', count: 2 },
      attributes: { comment: 'kept as an attribute of the mesh' },
    });
    expect(mesh?.face).toBeUndefined();
    // No standard names: the axes come from the `_x`/`_y` ending of the variable names.
    expect(mesh?.node.coords.x).toMatchObject({ var_name: 'net_node_x', units: 'm', points: { kind: 'regular', start: [0], step: 100 } });
    expect(mesh?.node.coords.y).toMatchObject({ var_name: 'net_node_y' });
    expect(mesh?.edge?.coords.x).toMatchObject({ var_name: 'net_edge_x', units: 'm', points: { kind: 'regular', dtype: 'float32', start: [50], step: 100 } });
    expect(mesh?.connectivities.edge_node_connectivity).toMatchObject({ start_index: 0, location_axis: 0, indices: { kind: 'regular', shape: [2, 2], start: [0, 1], step: 1 } });
    expect(warnings.filter((w) => w.code === 'CF_UGRID').map((w) => w.message)).toEqual([
      "net has no cf_role attribute. Correcting to 'mesh_topology'.",
      "MeshXY variable net has no 'topology_dimension' : *Assuming* topology_dimension=1, consistent with the attached connectivities.",
    ]);
  });

  test('cubes on edges and on nodes; edge coordinates are mesh coordinates, not auxiliary ones', async () => {
    const { publication } = await load('ugrid_network');
    const [flow, depth] = publication.cubes;
    expect(flow).toMatchObject({ var_name: 'flow', mesh: { name: 'net', location: 'edge', dim: 'nEdges' }, aux_coords: {}, attributes: {} });
    expect(Object.keys(flow.dim_coords)).toEqual(['time']);
    expect(depth).toMatchObject({ var_name: 'depth', mesh: { name: 'net', location: 'node', dim: 'nNodes' } });
    expect(cubeSummary(flow, { meshes: publication.meshes })).toBe(
      [
        'river flow / (m3 s-1)               (time: 2; -- : 2)',
        '    Dimension coordinates:',
        '        time                             x       -',
        '    Mesh coordinates:',
        '        net_edge_x                       -       x',
        '        net_edge_y                       -       x',
        '    Mesh:',
        '        name                        river network',
        '        location                    edge',
      ].join('\n'),
    );
    // Node coordinates without standard names are named by their variables.
    expect(cubeSummary(depth, { meshes: publication.meshes })).toContain('    Mesh coordinates:\n        net_node_x                      x\n        net_node_y                      x\n');
  });

  test('the publication writes, reads back and validates', async () => {
    const { publication } = await load('ugrid_network');
    const back = parse(serialize(publication));
    expect(back.errors).toEqual([]);
    // The same values, whichever form the file writes them in (a short index list comes back inline).
    expect(Object.keys(back.publication?.meshes ?? {})).toEqual(Object.keys(publication.meshes ?? {}));
    expect(same(back.publication?.meshes, publication.meshes)).toBe(true);
    expect(back.publication?.cubes.map((c) => c.mesh)).toEqual(publication.cubes.map((c) => c.mesh));
  });
});

describe('a 2-D mesh of mixed faces', () => {
  test('face-node indices: 1-based, transposed (told by face_dimension), the spare slot masked', async () => {
    const { publication } = await load('ugrid_mixed');
    const mesh = publication.meshes?.Mesh;
    const fnc = mesh?.connectivities.face_node_connectivity;
    expect(fnc).toMatchObject({ start_index: 1, location_axis: 1 });
    // Masked: the stored values and their fill value stay together (stored values held inline).
    expect(fnc?.indices).toMatchObject({ kind: 'source', format: 'inline', shape: [4, 2], fill_value: -1, options: { values: [1, 2, 2, 5, 3, 3, 4, -1] } });
    expect(mesh?.face).toMatchObject({ dimension: 'nMesh_face', count: 2 });
    // The face coordinates' bounds are not loaded (nor a cube); the face-face connectivity the mesh does not name is.
    expect(Object.keys(mesh?.face?.coords.x ?? {})).not.toContain('bounds');
    expect(publication.cubes.map((c) => c.var_name)).toEqual(['Mesh_face_links', 'temp', 'orog']);
  });

  test('cubes on faces and nodes, with Iris\'s sections', async () => {
    const { publication } = await load('ugrid_mixed');
    const temp = publication.cubes.find((c) => c.var_name === 'temp');
    expect(temp?.mesh).toEqual({ name: 'Mesh', location: 'face', dim: 'nMesh_face' });
    expect(cubeSummary(temp!, { meshes: publication.meshes })).toBe(
      [
        'air_temperature / (K)               (time: 1; -- : 2)',
        '    Dimension coordinates:',
        '        time                             x       -',
        '    Mesh coordinates:',
        '        latitude                         -       x',
        '        longitude                        -       x',
        '    Mesh:',
        '        name                        mixed mesh',
        '        location                    face',
      ].join('\n'),
    );
    const back = parse(serialize(publication));
    expect(back.errors).toEqual([]);
  });
});

describe('files Iris refuses: a coded error naming the file and variable, Iris\'s message', () => {
  test.each([
    ['ugrid_bad_location', 'UGRID_LOCATION', "mesh data variable 'v' has an invalid location='volume'."],
    ['ugrid_no_edge_coords', 'UGRID_MESH_COORDS', "mesh 'm' has no edge coordinate for axis x"],
    ['ugrid_wrong_dim', 'UGRID_LOCATION', "mesh data variable 'v' does not have the edge mesh dimension 'e', in its dimensions."],
  ])('%s: %s', async (name, code, message) => {
    const error = await load(name).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MeshError);
    expect(error).toMatchObject({ code, variable: 'v' });
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).toContain(`${name}.nc`);
  });
});
