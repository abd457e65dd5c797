import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import type { CubeMeta, InlineArray, Mesh } from '@cubemark/format';
import { colormapLut, meshFaces, plottableMesh, PlotError } from '@cubemark/plot';
import { renderMeshPng } from '@cubemark/plot/png';
import { describe, expect, it } from 'vitest';
import { loadPublication } from '../../cube/src/cf/index.js';
import { irisTestDataDir } from '../../format/test/summary/iris-reading.js';

async function decode(png: Uint8Array) {
  const image = await loadImage(Buffer.from(png));
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return { width: image.width, height: image.height, pixel: (x: number, y: number) => [...ctx.getImageData(x, y, 1, 1).data].slice(0, 3) };
}

describe('meshFaces', () => {
  it('polygons from 1-based, transposed indices; masked and out-of-range slots left out', () => {
    // Faces: a square (nodes 1 2 3 4) and a triangle (2 5 3, fourth slot masked), stored [slot, face].
    const faces = meshFaces(
      { x: [0, 1, 1, 0, 2], y: [0, 0, 1, 1, 0.5] },
      { values: [1, 2, 2, 5, 3, 3, 4, -1], shape: [4, 2], startIndex: 1, locationAxis: 1, mask: Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 1]) },
    );
    expect(faces.count).toBe(2);
    expect([...faces.offsets]).toEqual([0, 4, 7]);
    expect([...faces.xs]).toEqual([0, 1, 1, 0, 1, 2, 1]);
    expect(faces.bounds).toEqual({ xmin: 0, xmax: 2, ymin: 0, ymax: 1 });
  });

  it('wraps longitudes so a face across the date line stays small', () => {
    const faces = meshFaces({ x: [179, -179, -179, 179], y: [0, 0, 1, 1] }, { values: [0, 1, 2, 3], shape: [1, 4] }, { wrapLongitude: true });
    expect([...faces.xs]).toEqual([179, 181, 181, 179]);
  });
});

describe('plottableMesh', () => {
  const mesh = { connectivities: { face_node_connectivity: {} } } as unknown as Mesh;
  const cube = (location: 'face' | 'node') => ({ long_name: 'rain', mesh: { name: 'm', location, dim: 'f' } }) as CubeMeta;
  it('faces of a mesh with a face-node connectivity are drawable; nodes and edges are NOT_PLOTTABLE', () => {
    expect(plottableMesh(cube('face'), { m: mesh })).toBe(mesh);
    expect(() => plottableMesh(cube('node'), { m: mesh })).toThrow(PlotError);
    expect(() => plottableMesh(cube('node'), { m: mesh })).toThrow(/values on the nodes of mesh 'm': only values on faces can be drawn yet/);
    expect(() => plottableMesh(cube('face'), {})).toThrow(expect.objectContaining({ code: 'NOT_PLOTTABLE' }));
    expect(() => plottableMesh({ long_name: 'grid' } as CubeMeta, {})).toThrow(expect.objectContaining({ code: 'NOT_PLOTTABLE' }));
  });
});

describe('renderMeshPng', () => {
  it('fills each face with its value\'s colour', async () => {
    const faces = meshFaces({ x: [0, 1, 1, 0, 2, 2], y: [0, 0, 1, 1, 0, 1] }, { values: [0, 1, 2, 3, 1, 4, 5, 2], shape: [2, 4] });
    const png = await renderMeshPng(faces, [0, 1], { range: [0, 1], colormap: 'viridis', width: 400, height: 300 });
    const img = await decode(png);
    const lut = colormapLut('viridis');
    const first = [...lut.slice(0, 3)];
    const last = [...lut.slice(1020, 1023)];
    const row = Math.round(img.height / 2);
    const found = (rgb: number[]) => Array.from({ length: img.width }, (_, x) => img.pixel(x, row)).some((p) => p.join() === rgb.join());
    expect(found(first)).toBe(true);
    expect(found(last)).toBe(true);
  });

  it('draws every face of a real LFRic mesh (a cubed sphere of 864 faces)', async () => {
    const dir = irisTestDataDir();
    const { publication } = await loadPublication([join(dir, 'NetCDF/unstructured_grid/lfric_ngvat_2D_1t_face_half_levels_main_conv_rain.nc')]);
    const cube = publication.cubes.find((c) => c.var_name === 'conv_rain') as CubeMeta;
    const mesh = plottableMesh(cube, publication.meshes);
    const fnc = mesh.connectivities.face_node_connectivity!;
    const inline = (a: unknown) => (a as InlineArray).values as Float32Array;
    const faces = meshFaces(
      { x: inline(mesh.node.coords.x!.points), y: inline(mesh.node.coords.y!.points) },
      { values: inline(fnc.indices), shape: fnc.indices.shape as [number, number], startIndex: fnc.start_index, locationAxis: fnc.location_axis },
      { wrapLongitude: true },
    );
    expect(faces.count).toBe(864);
    // Every face is a quadrilateral; once wrapped, only the faces around the two poles span 90° of longitude or more.
    let wide = 0;
    for (let f = 0; f < faces.count; f++) {
      expect(faces.offsets[f + 1] - faces.offsets[f]).toBe(4);
      const xs = faces.xs.slice(faces.offsets[f], faces.offsets[f + 1]);
      if (Math.max(...xs) - Math.min(...xs) >= 90) wide++;
    }
    expect(wide).toBe(8);
    const values = Float64Array.from({ length: 864 }, (_, f) => f);
    const png = await renderMeshPng(faces, values, { width: 600, height: 360, background: '#ff00ff', title: 'surface_convective_rainfall_rate', axes: { x: { label: 'longitude / degrees' }, y: { label: 'latitude / degrees' } } });
    if (process.env.CUBEMARK_PLOT_OUT) (await import('node:fs')).writeFileSync(process.env.CUBEMARK_PLOT_OUT, png);
    const img = await decode(png);
    // The globe is covered: in the middle of the plot no background shows through.
    let holes = 0;
    for (let x = 200; x < 400; x += 2) if (img.pixel(x, 180).join() === '255,0,255') holes++;
    expect(holes).toBe(0);
  });
});
