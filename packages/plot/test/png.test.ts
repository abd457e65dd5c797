import { describe, expect, it } from 'vitest';
import { loadImage, createCanvas } from '@napi-rs/canvas';
import { renderPng, renderSeriesPng } from '@cubemark/plot/png';
import { PlotError, colormapLut } from '@cubemark/plot';

async function decode(png: Uint8Array) {
  const image = await loadImage(Buffer.from(png));
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return { width: image.width, height: image.height, pixel: (x: number, y: number) => [...ctx.getImageData(x, y, 1, 1).data] };
}

describe('renderPng', () => {
  it('draws a map with a colour bar; missing cells show the background', async () => {
    const nx = 40;
    const ny = 30;
    const values = Float32Array.from({ length: nx * ny }, (_, k) => k % nx);
    values.fill(NaN, 0, nx); // the whole first row is missing
    const png = await renderPng(
      { values, nx, ny },
      { title: 'air_temperature', units: 'K', width: 400, background: '#ff00ff', axes: { y: { label: 'grid_latitude (rotated pole) / degrees', points: Array.from({ length: ny }, (_, j) => j) } } },
    );
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const img = await decode(png);
    expect(img.width).toBe(400);
    // North up (y points increase): row 0 is drawn at the bottom. Find the plot by scanning the middle column for magenta.
    let bottom = 0;
    for (let y = img.height - 1; y > 0; y--) {
      const [r, g, b] = img.pixel(Math.round(img.width * 0.4), y);
      if (r !== 255 || g !== 0 || b !== 255) continue;
      bottom = y;
      break;
    }
    expect(bottom).toBeGreaterThan(img.height / 2); // the missing row, drawn as background at the bottom of the plot
  });

  it('uses the colour map asked for', async () => {
    const png = await renderPng({ values: new Float32Array(100).fill(1), nx: 10, ny: 10 }, { range: [0, 1], colormap: 'magma', width: 300, height: 200 });
    const img = await decode(png);
    const lut = colormapLut('magma');
    const last = [...lut.slice(1020, 1023), 255];
    let found = false;
    for (let x = 0; x < 300 && !found; x += 3) found = JSON.stringify(img.pixel(x, 100)) === JSON.stringify(last);
    expect(found).toBe(true);
  });

  it('rejects bad sizes and colour maps with PlotError codes', async () => {
    const f = { values: new Float32Array(4), nx: 2, ny: 2 };
    await expect(renderPng(f, { width: 0 })).rejects.toMatchObject({ code: 'BAD_SIZE' });
    await expect(renderPng(f, { width: 20000 })).rejects.toBeInstanceOf(PlotError);
    await expect(renderPng(f, { colormap: 'jet' as 'viridis' })).rejects.toMatchObject({ code: 'UNKNOWN_COLORMAP' });
    await expect(renderPng({ values: new Float32Array(3), nx: 2, ny: 2 })).rejects.toMatchObject({ code: 'BAD_FIELD' });
  });

  it('draws a time series', async () => {
    const png = await renderSeriesPng({ values: [1, 2, NaN, 3], xLabels: ['a', 'b', 'c', 'd'], yTitle: 'x / K', width: 300, height: 150 });
    expect((await decode(png)).height).toBe(150);
  });
});

describe('renderPng with geography', () => {
  it('draws coastlines and a graticule over a rotated-pole grid unless asked not to', async () => {
    const nx = 120;
    const ny = 160;
    const range = (start: number, step: number, count: number) => Float64Array.from({ length: count }, (_, k) => start + k * step);
    const geo = {
      kind: 'axes' as const,
      coordSystem: { kind: 'rotated_latitude_longitude' as const, grid_north_pole_latitude: 37.5, grid_north_pole_longitude: 177.5 },
      x: { points: range(353, 0.072, nx), units: 'degrees' },
      y: { points: range(-4.5, 0.0878, ny), units: 'degrees' },
    };
    const field = { values: new Float32Array(nx * ny).fill(1), nx, ny };
    const options = { range: [0, 2] as [number, number], colormap: 'viridis' as const, width: 500, axes: { x: { label: 'x', points: geo.x.points }, y: { label: 'y', points: geo.y.points } } };
    const dark = async (png: Uint8Array) => {
      const img = await decode(png);
      let count = 0;
      for (let y = 0; y < img.height; y += 2) for (let x = 60; x < img.width - 120; x += 2) if (img.pixel(x, y).slice(0, 3).every((c) => c < 60)) count++;
      return count;
    };
    const plain = await dark(await renderPng(field, { ...options, geo, coastlines: false, graticule: false }));
    const withCoast = await dark(await renderPng(field, { ...options, geo }));
    const without = await dark(await renderPng(field, options));
    expect(plain).toBe(without);
    expect(withCoast).toBeGreaterThan(plain + 100);
  });
});
