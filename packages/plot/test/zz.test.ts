import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { test } from 'vitest';
import type { CubeMeta, InlineArray } from '@cubemark/format';
import { meshFaces, plottableMesh } from '@cubemark/plot';
import { renderMeshPng } from '@cubemark/plot/png';
import { loadPublication } from '../../cube/src/cf/index.js';
test('b', async () => {
  for (const f of ['lfric_ngvat_2D_1t_face_half_levels_main_conv_rain.nc', 'data_C4.nc']) {
  const { publication } = await loadPublication([join('/work/shared/data/iris-test-data/NetCDF/unstructured_grid', f)]);
  const cube = publication.cubes.find((c) => c.mesh) as CubeMeta;
  const mesh = plottableMesh(cube, publication.meshes);
  const fnc = mesh.connectivities.face_node_connectivity!;
  const inline = (a: unknown) => (a as InlineArray).values as Float32Array;
  const faces = meshFaces({ x: inline(mesh.node.coords.x!.points), y: inline(mesh.node.coords.y!.points) }, { values: inline(fnc.indices), shape: fnc.indices.shape as [number, number], startIndex: fnc.start_index, locationAxis: fnc.location_axis }, { wrapLongitude: true });
  console.log(faces.bounds, faces.period);
  const png = await renderMeshPng(faces, Float64Array.from({length: faces.count}, (_, i) => i), { width: 720, height: 420, background: '#ff00ff', geographic: true, title: f });
  writeFileSync(`/tmp/${f}.png`, png);
  }
});
