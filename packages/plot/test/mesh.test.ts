import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import type { CubeMeta, InlineArray, Mesh } from '@cubemark/format';
import { colormapLut, colourScale, facesFromBounds, meshFaces, meshGeoSpec, meshMapLayout, meshMapSizeForWidth, plottableMesh, PlotError, type MeshFaces } from '@cubemark/plot';
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

  it('faces from mesh-coordinate bounds (NaN in unused slots) are the faces from nodes and indices', () => {
    const fromBounds = facesFromBounds([0, 1, 1, 0, 1, 2, 1, NaN], [0, 0, 1, 1, 0, 0.5, 1, NaN], [2, 4]);
    expect([...fromBounds.offsets]).toEqual([0, 4, 7]);
    expect([...fromBounds.xs]).toEqual([0, 1, 1, 0, 1, 2, 1]);
    expect(fromBounds.bounds).toEqual({ xmin: 0, xmax: 2, ymin: 0, ymax: 1 });
  });

  it('wraps longitudes so a face across the date line stays small', () => {
    const faces = meshFaces({ x: [179, -179, -179, 179], y: [0, 0, 1, 1] }, { values: [0, 1, 2, 3], shape: [1, 4] }, { wrapLongitude: true });
    expect([...faces.xs]).toEqual([179, 181, 181, 179]);
  });

  it('closes a face around a pole along the pole, and shows a turn of such a mesh with faces a turn away at the edges', () => {
    // One face around the north pole (nodes at 60°N every 90°), one ordinary face further east.
    const faces = meshFaces({ x: [100, 190, 280, 10, 20, 30, 30, 20], y: [60, 60, 60, 60, 0, 0, 10, 10] }, { values: [0, 1, 2, 3, 4, 5, 6, 7], shape: [2, 4] }, { wrapLongitude: true });
    expect([...faces.xs.slice(0, 7)]).toEqual([100, 190, 280, 370, 460, 460, 100]);
    expect([...faces.ys.slice(0, 7)]).toEqual([60, 60, 60, 60, 60, 90, 90]);
    expect(faces.bounds).toEqual({ xmin: 10, xmax: 370, ymin: 0, ymax: 90 });
    expect(faces.period).toBe(360);
  });
});

/** A real mesh's faces, from its nodes and face-node connectivity (inline in these files), for cube `varName` (default: the first on a mesh). */
async function realFaces(file: string, varName?: string): Promise<{ faces: MeshFaces; cube: CubeMeta }> {
  const { publication } = await loadPublication([join(irisTestDataDir(), 'NetCDF/unstructured_grid', file)]);
  const cube = publication.cubes.find((c) => (varName === undefined ? c.mesh : c.var_name === varName)) as CubeMeta;
  const mesh = plottableMesh(cube, publication.meshes);
  const fnc = mesh.connectivities.face_node_connectivity!;
  const inline = (a: unknown) => (a as InlineArray).values as Float32Array;
  const faces = meshFaces(
    { x: inline(mesh.node.coords.x!.points), y: inline(mesh.node.coords.y!.points) },
    { values: inline(fnc.indices), shape: fnc.indices.shape as [number, number], startIndex: fnc.start_index, locationAxis: fnc.location_axis },
    { wrapLongitude: true },
  );
  return { faces, cube };
}

describe('global meshes', () => {
  it('a global mesh is one turn wide, covered to the poles (data_C4: nodes 0-337.5°, a face around each pole)', async () => {
    const { faces } = await realFaces('data_C4.nc');
    expect(faces.bounds).toEqual({ xmin: 0, xmax: 360, ymin: -90, ymax: 90 });
    // Faces over the date line and around the poles leave no background along the plot's left edge.
    const png = await renderMeshPng(faces, Float64Array.from({ length: faces.count }, () => 1), { range: [0, 2], width: 600, height: 360, background: '#ff00ff', coastlines: false, graticule: false });
    const img = await decode(png);
    const layout = meshMapLayout({ faces, values: [], scale: colourScale({ values: [0, 1], nx: 2, ny: 1 }), width: 600, height: 360 });
    let holes = 0;
    for (let y = Math.ceil(layout.plot.y) + 2; y < layout.plot.y + layout.plot.height - 2; y += 2) if (img.pixel(Math.ceil(layout.plot.x) + 2, y).join() === '255,0,255') holes++;
    expect(holes).toBe(0);
  });

  it('draws coastlines where they are when x and y are longitude and latitude (LFRic cubed sphere)', async () => {
    const { faces } = await realFaces('lfric_ngvat_2D_1t_face_half_levels_main_conv_rain.nc');
    const values = Float64Array.from({ length: faces.count }, () => 2);
    const options = { range: [0, 2] as [number, number], colormap: 'viridis' as const, width: 720, height: 420, graticule: false };
    const layout = meshMapLayout({ faces, values, scale: colourScale({ values: [0, 2], nx: 2, ny: 1 }), width: 720, height: 420 });
    const { xmin, xmax, ymin, ymax } = faces.bounds;
    const px = (lon: number) => Math.round(layout.plot.x + ((lon - xmin) / (xmax - xmin)) * layout.plot.width);
    const py = (lat: number) => Math.round(layout.plot.y + layout.plot.height - ((lat - ymin) / (ymax - ymin)) * layout.plot.height);
    const darkAlongEquator = async (png: Uint8Array, from: number, to: number) => {
      const img = await decode(png);
      let count = 0;
      for (let x = px(from); x <= px(to); x++) for (let y = py(0) - 1; y <= py(0) + 1; y++) if (img.pixel(x, y).every((c) => c < 60)) count++;
      return count;
    };
    const geographic = await renderMeshPng(faces, values, { ...options, geographic: true });
    // The coast of Gabon crosses the equator near 9.3°E; inland, at 15-28°E, no line.
    expect(await darkAlongEquator(geographic, 7, 12)).toBeGreaterThan(0);
    expect(await darkAlongEquator(geographic, 15, 28)).toBe(0);
    expect(await darkAlongEquator(await renderMeshPng(faces, values, options), 7, 12)).toBe(0);
    expect(await darkAlongEquator(await renderMeshPng(faces, values, { ...options, geographic: true, coastlines: false }), 7, 12)).toBe(0);
  });

  it('a mesh map is as tall as its extent needs at its width (by default)', async () => {
    const { faces } = await realFaces('data_C4.nc');
    // 800 px less 16 font sizes of margins = 608 px for 360°; 180° is then 304 px, plus 1 + 3.6 font sizes.
    expect(meshMapSizeForWidth(faces, 800)).toEqual({ width: 800, height: 359 });
    const img = await decode(await renderMeshPng(faces, Float64Array.from({ length: faces.count }, () => 1), { width: 800 }));
    expect([img.width, img.height]).toEqual([800, 359]);
  });

  it('meshGeoSpec lays a latitude-longitude grid over the map', () => {
    const spec = meshGeoSpec({ bounds: { xmin: -180, xmax: 180, ymin: -90, ymax: 90 } });
    expect(spec.kind).toBe('axes');
    if (spec.kind !== 'axes') return;
    expect(spec.coordSystem.kind).toBe('latitude_longitude');
    expect(spec.x.points[0] - (spec.x.points[1] - spec.x.points[0]) / 2).toBeCloseTo(-180, 9);
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
    const { faces } = await realFaces('lfric_ngvat_2D_1t_face_half_levels_main_conv_rain.nc', 'conv_rain');
    expect(faces.count).toBe(864);
    // Every face is a quadrilateral; once wrapped, only the faces around the two poles span 90° of longitude or more,
    // and those have their vertex at the pole split in two (under each neighbour), so they reach the pole.
    let wide = 0;
    for (let f = 0; f < faces.count; f++) {
      const xs = faces.xs.slice(faces.offsets[f], faces.offsets[f + 1]);
      const ys = faces.ys.slice(faces.offsets[f], faces.offsets[f + 1]);
      const atPole = ys.filter((y) => Math.abs(y) === 90).length;
      expect(faces.offsets[f + 1] - faces.offsets[f]).toBe(4 + atPole / 2);
      if (Math.max(...xs) - Math.min(...xs) >= 90) {
        wide++;
        expect(atPole).toBe(2);
      }
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
