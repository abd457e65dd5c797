import { describe, expect, it } from 'vitest';
import { COLORMAP_NAMES, colormapLut, colourScale, renderRgba, robustRange, scaleFraction, PlotError, type Field2D } from '@cubemark/plot';

function field(values: number[], nx: number, mask?: number[]): Field2D {
  return { values: Float32Array.from(values), nx, ny: values.length / nx, mask: mask ? Uint8Array.from(mask) : undefined };
}

describe('colour maps', () => {
  it('builds 256-entry opaque lookup tables from d3 interpolators (viridis ends at #440154 and #fde725)', () => {
    const lut = colormapLut('viridis');
    expect(lut.length).toBe(1024);
    expect([...lut.slice(0, 4)]).toEqual([0x44, 0x01, 0x54, 255]);
    expect([...lut.slice(1020, 1024)]).toEqual([0xfd, 0xe7, 0x25, 255]);
    for (const name of COLORMAP_NAMES) expect(colormapLut(name).every((v, k) => k % 4 !== 3 || v === 255)).toBe(true);
  });

  it('reverses RdBu so low values are blue and high ones red', () => {
    const lut = colormapLut('RdBu_r');
    const [r0, , b0] = lut.slice(0, 4);
    const [r1, , b1] = lut.slice(1020, 1024);
    expect(b0).toBeGreaterThan(r0);
    expect(r1).toBeGreaterThan(b1);
  });

  it('names an unknown colour map and lists the known ones', () => {
    expect(() => colormapLut('jet')).toThrow(PlotError);
    expect(() => colormapLut('jet')).toThrow(/unknown colour map 'jet'; known: viridis, cividis/);
  });
});

describe('robust range', () => {
  it('ignores a few wild values that min/max would be ruined by', () => {
    const values = Array.from({ length: 1000 }, (_, k) => 270 + (k % 100) / 10);
    values[3] = 1e20; // an undeclared fill value
    values[7] = -999;
    const [lo, hi] = robustRange(field(values, 100))!;
    expect(lo).toBeGreaterThanOrEqual(270);
    expect(hi).toBeLessThanOrEqual(280);
    expect(hi - lo).toBeGreaterThan(9);
  });

  it('skips NaN and masked values, and is undefined when everything is missing', () => {
    const f = field([1, NaN, 3, 1000], 2, [0, 0, 0, 1]);
    expect(robustRange(f, 0, 100)).toEqual([1, 3]);
    expect(robustRange(field([NaN, NaN], 2))).toBeUndefined();
  });

  it('samples large fields (a UKV slice) and still lands near the exact percentiles', () => {
    const n = 810 * 621;
    const values = new Float32Array(n);
    for (let k = 0; k < n; k++) values[k] = (k * 7919) % n; // a permutation of 0..n-1
    const [lo, hi] = robustRange({ values, nx: 621, ny: 810 })!;
    expect(Math.abs(lo - 0.02 * n) / n).toBeLessThan(0.005);
    expect(Math.abs(hi - 0.98 * n) / n).toBeLessThan(0.005);
  });
});

describe('colour scale', () => {
  it('is sequential viridis for data that do not span 0 (temperatures in K)', () => {
    const s = colourScale(field([270, 275, 280, 285], 2), { percentiles: [0, 100] });
    expect(s).toEqual({ kind: 'sequential', colormap: 'viridis', min: 270, max: 285 });
  });

  it('is diverging, symmetric about 0, when the data span 0 (a wind component)', () => {
    const s = colourScale(field([-3, -1, 2, 8], 2), { percentiles: [0, 100] });
    expect(s).toEqual({ kind: 'diverging', colormap: 'RdBu_r', min: -8, max: 8 });
    expect(scaleFraction(s, 0)).toBe(0.5);
  });

  it('can be forced sequential, or given a fixed range and colour map', () => {
    expect(colourScale(field([-3, 8], 2), { kind: 'sequential', percentiles: [0, 100] })).toMatchObject({ kind: 'sequential', min: -3, max: 8 });
    expect(colourScale(field([0, 1], 2), { range: [250, 300], colormap: 'cividis' })).toEqual({ kind: 'sequential', colormap: 'cividis', min: 250, max: 300 });
    expect(() => colourScale(field([0, 1], 2), { range: [3, 1] })).toThrow(/finite min <= max/);
    expect(() => colourScale(field([0, 1], 2), { range: [NaN, 1] })).toThrow(PlotError);
  });

  it('widens a constant field so its colour sits mid-map', () => {
    const s = colourScale(field([280, 280], 2));
    expect(s.min).toBeLessThan(280);
    expect(s.max).toBeGreaterThan(280);
    expect(scaleFraction(s, 280)).toBeCloseTo(0.5);
  });
});

describe('renderRgba', () => {
  it('makes NaN and masked cells fully transparent and every other cell opaque', () => {
    const f = field([0, NaN, 5, 10, 7, 3], 3, [0, 0, 0, 0, 1, 0]);
    const { data, width, height } = renderRgba(f, { kind: 'sequential', colormap: 'viridis', min: 0, max: 10 });
    expect([width, height]).toEqual([3, 2]);
    const alpha = [...data].filter((_, k) => k % 4 === 3);
    expect(alpha).toEqual([255, 0, 255, 255, 0, 255]);
    expect([...data.slice(1 * 4, 2 * 4)]).toEqual([0, 0, 0, 0]);
  });

  it('maps min to the first colour and max (and beyond) to the last', () => {
    const f = field([0, 10, 99], 3);
    const { data } = renderRgba(f, { kind: 'sequential', colormap: 'viridis', min: 0, max: 10 });
    const lut = colormapLut('viridis');
    expect([...data.slice(0, 4)]).toEqual([...lut.slice(0, 4)]);
    expect([...data.slice(4, 8)]).toEqual([...lut.slice(1020, 1024)]);
    expect([...data.slice(8, 12)]).toEqual([...lut.slice(1020, 1024)]);
  });

  it('puts row 0 at the bottom with flipY (north up for south-to-north latitudes)', () => {
    const f = field([0, 0, 10, 10], 2);
    const scale = { kind: 'sequential', colormap: 'viridis', min: 0, max: 10 } as const;
    const top = renderRgba(f, scale).data.slice(0, 4);
    const flippedTop = renderRgba(f, scale, { flipY: true }).data.slice(0, 4);
    expect([...top]).toEqual([...colormapLut('viridis').slice(0, 4)]);
    expect([...flippedTop]).toEqual([...colormapLut('viridis').slice(1020, 1024)]);
  });

  it('rejects values that do not fill the shape', () => {
    expect(() => renderRgba({ values: new Float32Array(5), nx: 2, ny: 3 }, colourScale(field([0, 1], 2)))).toThrow(/needs 6 values; got 5/);
  });

  it('colours a UKV-sized slice quickly', () => {
    const nx = 621;
    const ny = 810;
    const values = Float32Array.from({ length: nx * ny }, (_, k) => Math.sin(k / 1000));
    const t0 = performance.now();
    const scale = colourScale({ values, nx, ny });
    const out = new Uint8ClampedArray(nx * ny * 4);
    renderRgba({ values, nx, ny }, scale, { out });
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(500); // ~20 ms here; generous for slow CI machines
  });
});
