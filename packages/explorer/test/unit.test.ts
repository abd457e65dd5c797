import { describe, expect, it } from 'vitest';
import { markdownToHtml } from '../src/app/markdown.js';
import { decodeBinarySlice } from '../src/app/binary.js';
import { cubeModel, mapSel, seriesSel, sliceToField, parameters, type Selection } from '../src/app/cube-model.js';
import { parseRoute, href } from '../src/app/routes.js';
import { formatBytes, formatCellMethod, matchesQuery } from '../src/app/format.js';
import type { CubeDescription } from '../src/app/api.js';
import { explorerBuilt, explorerDist } from '@cubemark/explorer';

describe('Markdown → sanitised HTML', () => {
  it('renders GitHub-flavoured Markdown and drops the frontmatter', () => {
    const html = markdownToHtml('---\ncubemark: 1\nname: x\n---\n# Title\n\nSome **bold** text.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<table>');
    expect(html).not.toContain('cubemark: 1');
  });

  it('removes scripts, event handlers, raw HTML and javascript: links', () => {
    const html = markdownToHtml('<script>alert(1)</script>\n\n<img src="x" onerror="alert(1)">\n\n[x](javascript:alert(1)) <b onclick="alert(1)">b</b>\n\n<iframe src="https://evil"></iframe>\n');
    expect(html).not.toMatch(/<script|onerror|onclick|javascript:|<iframe|alert\(1\)<\/script>/i);
    expect(html).toContain('<a>x</a>');
  });

  it('keeps relative images but never loads images from elsewhere', () => {
    expect(markdownToHtml('![map](map.png)')).toContain('src="map.png"');
    expect(markdownToHtml('![track](https://tracker.example/p.gif)')).not.toContain('tracker.example');
  });

  it('keeps the summary section as text and drops its HTML-comment markers', () => {
    const html = markdownToHtml('prose\n\n<!-- cubemark:summary:begin (generated) -->\n```\nair_temperature / (K)\n```\n<!-- cubemark:summary:end -->\n');
    expect(html).toContain('air_temperature / (K)');
    expect(html).not.toContain('cubemark:summary');
  });
});

function headers(h: Record<string, string>) {
  return { get: (name: string) => h[name.toLowerCase()] ?? null };
}

describe('binary slices', () => {
  it('decodes float32 values and the mask that follows them', () => {
    const values = Float32Array.of(1.5, NaN, 3, 4);
    const body = new Uint8Array(16 + 4);
    body.set(new Uint8Array(values.buffer), 0);
    body.set([0, 1, 0, 0], 16);
    const slice = decodeBinarySlice(body.buffer, headers({ 'x-dtype': 'float32', 'x-shape': '2,2', 'x-dims': 'y,x', 'x-masked': 'true', 'x-mask-offset': '16' }));
    expect(slice.shape).toEqual([2, 2]);
    expect(slice.dims).toEqual(['y', 'x']);
    expect([...slice.values]).toEqual([1.5, NaN, 3, 4]);
    expect([...slice.mask!]).toEqual([0, 1, 0, 0]);
  });

  it('turns 64-bit integers into float64 for plotting, and 0-d answers into one value', () => {
    const body = new BigInt64Array([-5n, 7n]);
    expect([...decodeBinarySlice(body.buffer, headers({ 'x-dtype': 'int64', 'x-shape': '2', 'x-masked': 'false' })).values]).toEqual([-5, 7]);
    const one = decodeBinarySlice(Float64Array.of(2.5).buffer, headers({ 'x-dtype': 'float64', 'x-shape': '', 'x-masked': 'false' }));
    expect([...one.values]).toEqual([2.5]);
    expect(one.shape).toEqual([]);
  });

  it('says what is wrong with a malformed answer', () => {
    expect(() => decodeBinarySlice(new ArrayBuffer(4), headers({ 'x-dtype': 'float32', 'x-shape': '2,2' }))).toThrow(/4 float32 values need 16 bytes; got 4/);
    expect(() => decodeBinarySlice(new ArrayBuffer(4), headers({ 'x-dtype': 'complex64', 'x-shape': '1' }))).toThrow(/unknown X-Dtype 'complex64'/);
    expect(() => decodeBinarySlice(new ArrayBuffer(4), headers({ 'x-dtype': 'float32', 'x-shape': '1', 'x-masked': 'true', 'x-mask-offset': '4' }))).toThrow(/overruns/);
  });
});

const coord = (key: string, units: string, values: number[], extra: Record<string, string> = {}) => ({
  key,
  role: 'dim' as const,
  name: key,
  standard_name: key,
  units,
  dims: [key],
  points: { kind: 'regular' as const, dtype: 'float64', shape: [values.length], values },
  ...extra,
});

const climate: CubeDescription = {
  index: 0,
  name: 'air_temperature',
  units: 'K',
  dims: ['time', 'pressure', 'latitude', 'longitude'],
  shape: [3, 2, 3, 4],
  dtype: 'float32',
  summary: '',
  coords: [
    coord('time', 'days since 2000-01-01', [58, 59, 60], { calendar: '360_day' }),
    coord('pressure', 'hPa', [850, 500]),
    coord('latitude', 'degrees_north', [-10, 0, 10]),
    coord('longitude', 'degrees_east', [0, 90, 180, 270]),
  ],
};

describe('the cube model behind the widgets', () => {
  it('makes widgets for non-map dimensions: dates in the calendar, levels with units', () => {
    const model = cubeModel(climate);
    expect(model.map).toEqual({ y: 2, x: 3 });
    expect(model.y!.spec.label).toBe('latitude / degrees_north');
    expect(model.widgets.map((w) => [w.dim, w.pointLabels, w.calendar])).toEqual([
      ['time', ['2000-02-29', '2000-02-30', '2000-03-01'], '360_day'],
      ['pressure', ['850 hPa', '500 hPa'], ''],
    ]);
  });

  it('labels a dimension without a dimension coordinate by an auxiliary coordinate along it', () => {
    const ensemble: CubeDescription = {
      ...climate,
      dims: ['ensemble', 'latitude', 'longitude'],
      shape: [3, 3, 4],
      coords: [
        { ...coord('experiment_id', '1', []), role: 'aux', dims: ['ensemble'], points: { kind: 'inline', dtype: 'string', shape: [3], values: ['2005', '2026', '2002'] } },
        { ...coord('realization', '1', [0, 1, 2]), role: 'aux', dims: ['ensemble'] },
        coord('latitude', 'degrees_north', [-10, 0, 10]),
        coord('longitude', 'degrees_east', [0, 90, 180, 270]),
      ],
    };
    const [w] = cubeModel(ensemble).widgets;
    expect([w.label, w.pointLabels]).toEqual(['ensemble (realization)', ['0', '1', '2']]);
    const textOnly = cubeModel({ ...ensemble, coords: ensemble.coords!.filter((c) => c.key !== 'realization') });
    expect([textOnly.widgets[0].label, textOnly.widgets[0].pointLabels]).toEqual(['ensemble (experiment_id)', ['2005', '2026', '2002']]);
  });

  it('says where model levels are, from an auxiliary coordinate with units', () => {
    const levels: CubeDescription = {
      ...climate,
      dims: ['model_level_number', 'latitude', 'longitude'],
      shape: [2, 3, 4],
      coords: [
        coord('model_level_number', '1', [1, 2]),
        { ...coord('level_height', 'm', [5, 21.67]), role: 'aux', dims: ['model_level_number'] },
        coord('latitude', 'degrees_north', [-10, 0, 10]),
        coord('longitude', 'degrees_east', [0, 90, 180, 270]),
      ],
    };
    expect(cubeModel(levels).widgets[0].pointLabels).toEqual(['1 · level_height 5 m', '2 · level_height 21.67 m']);
  });

  it('labels rotated-pole axes as such', () => {
    const rotated: CubeDescription = {
      ...climate,
      dims: ['grid_latitude', 'grid_longitude'],
      shape: [3, 4],
      coords: [coord('grid_latitude', 'degrees', [0, 1, 2], { coord_system: 'rp' }), coord('grid_longitude', 'degrees', [0, 1, 2, 3], { coord_system: 'rp' })],
    };
    const model = cubeModel(rotated, { rp: { kind: 'rotated_latitude_longitude', grid_north_pole_latitude: 37.5, grid_north_pole_longitude: 177.5 } });
    expect(model.y!.spec.label).toBe('grid_latitude (rotated pole) / degrees');
    expect(model.x!.spec.label).toBe('grid_longitude (rotated pole) / degrees');
    expect(model.widgets).toEqual([]);
  });

  it('builds sel strings for a map and for a series at a cell', () => {
    const model = cubeModel(climate);
    const selection: Selection = { time: 2, pressure: 1 };
    expect(mapSel(model, selection)).toBe('2,1,:,:');
    expect(seriesSel(model, selection, 'time', { i: 3, j: 0 })).toBe(':,1,0,3');
    expect(mapSel(model, { time: 99, pressure: -4 })).toBe('2,0,:,:');
  });

  it('transposes a cube stored [x, y] so rows run along y', () => {
    const xy: CubeDescription = { ...climate, dims: ['longitude', 'latitude'], shape: [2, 3], coords: [coord('longitude', 'degrees_east', [0, 1]), coord('latitude', 'degrees_north', [0, 1, 2])] };
    const model = cubeModel(xy);
    expect(model.map).toEqual({ y: 1, x: 0 });
    const field = sliceToField(model, Float32Array.of(1, 2, 3, 4, 5, 6), Uint8Array.of(0, 0, 0, 0, 0, 1));
    expect([field.ny, field.nx]).toEqual([3, 2]);
    expect([...field.values]).toEqual([1, 4, 2, 5, 3, 6]);
    expect([...field.mask!]).toEqual([0, 0, 0, 0, 0, 1]);
  });

  it('groups cubes into parameters for the unified view', () => {
    const cubes = [0, 1, 2].map((index) => ({ ...climate, index, name: index === 1 ? 'x_wind' : 'air_temperature' }));
    expect(parameters(cubes)).toEqual([
      { name: 'air_temperature', indices: [0, 2] },
      { name: 'x_wind', indices: [1] },
    ]);
  });
});

describe('routes and text helpers', () => {
  it('parses and builds hash routes', () => {
    expect(parseRoute('')).toEqual({ view: 'list' });
    expect(parseRoute(href.publication('ukv 1'))).toEqual({ view: 'publication', name: 'ukv 1' });
    const cube = parseRoute(`${href.cube('ukv', 2)}?time=3`);
    expect(cube.view === 'cube' && [cube.index, cube.query.get('time')]).toEqual([2, '3']);
    const u = parseRoute(href.unified('ukv', 'air_temperature'));
    expect(u.view === 'unified' && u.parameter).toBe('air_temperature');
    expect(parseRoute('#/nowhere')).toEqual({ view: 'missing', path: '/nowhere' });
  });

  it('formats sizes, cell methods and searches', () => {
    expect(formatBytes(5_211_184_332)).toBe('4.9 GiB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatCellMethod({ method: 'mean', coords: ['time'], intervals: ['1 hour'], comments: [] })).toBe('time: mean (interval: 1 hour)');
    expect(matchesQuery('UKV 05-15', 'ukv-20170515T03Z', 'UKV forecast, 2017-05-15')).toBe(true);
    expect(matchesQuery('climate', 'ukv', undefined)).toBe(false);
  });
});

describe('the node entry', () => {
  it('says where the built page is', () => {
    expect(explorerDist).toMatch(/packages\/explorer\/dist\/$/);
    expect(typeof explorerBuilt()).toBe('boolean');
  });
});
