/**
 * Git review of `.cube.md` files: one change to the model is one changed line of the frontmatter (and at most one
 * of the generated section), whatever the change; the diff names what changed; two spellings of the same values
 * become one text under `fmt`.
 */
import { describe, expect, test } from 'vitest';
import { diffPublications, formatChanges, parse, serialize, type Publication } from '../../src/index.js';
import { ukvPublication } from '../helpers/ukv.js';

/** Lines removed and added between two texts (a longest-common-subsequence line diff). */
function lineDiff(a: string, b: string): { removed: string[]; added: string[] } {
  const x = a.split('\n');
  const y = b.split('\n');
  const lcs: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) for (let j = y.length - 1; j >= 0; j--) lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      i++;
      j++;
    } else if (j < y.length && (i === x.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      added.push(y[j++]!);
    } else {
      removed.push(x[i++]!);
    }
  }
  return { removed, added };
}

/** The part of a file before the body, and the generated section. */
const frontmatter = (text: string) => text.slice(0, text.indexOf('\n---\n'));

/** A UKV-like publication with a 3,600-point irregular latitude (as a variable-resolution grid has). */
function withLongCoordinate(): Publication {
  const pub = ukvPublication();
  const cube = pub.cubes[0]!;
  cube.shape[2] = 3600;
  cube.dim_coords.grid_latitude!.points = {
    kind: 'inline',
    dtype: 'float64',
    shape: [3600],
    values: Float64Array.from({ length: 3600 }, (_, i) => Math.round((46.99 + i * 0.00015 + (i % 7) * 1e-6) * 1e6) / 1e6),
  };
  delete cube.dim_coords.grid_latitude!.bounds;
  for (const [k, c] of Object.entries(cube.aux_coords)) if (c.dims.includes('grid_latitude')) delete cube.aux_coords[k];
  delete cube.derived_coords.altitude;
  return pub;
}

describe('one change, one line', () => {
  test('a changed point of a 3,600-value coordinate changes one line, and diff names it', () => {
    const a = withLongCoordinate();
    const b = withLongCoordinate();
    (b.cubes[0]!.dim_coords.grid_latitude!.points as { values: Float64Array }).values[1234] = 47.17515;
    const ta = serialize(a);
    const tb = serialize(b);
    expect(parse(ta).errors.map((e) => e.format())).toEqual([]);
    const d = lineDiff(ta, tb);
    expect(d.removed).toHaveLength(1);
    expect(d.added).toHaveLength(1);
    expect(d.added[0]).toContain(' 47.17515,');
    expect(d.added[0]!.length).toBeLessThan(250);
    // The line holds points 1230 to 1239: line k of the list holds the values 10k to 10k + 9.
    const lines = frontmatter(tb).split('\n');
    const start = lines.findIndex((l) => l.endsWith('points: ['));
    expect(lines.indexOf(d.added[0]!)).toBe(start + 1 + 123);
    expect(formatChanges('ukv', diffPublications(parse(ta).publication!, parse(tb).publication!))).toBe(
      `ukv\n  cube air_temperature / dimension coord grid_latitude: points[1234]: ${formatLat(a, 1234)} → 47.17515\n`,
    );
  });

  test('many changed values are summarised on one line of the diff', () => {
    const a = withLongCoordinate();
    const b = withLongCoordinate();
    const values = (b.cubes[0]!.dim_coords.grid_latitude!.points as { values: Float64Array }).values;
    for (let i = 100; i < 220; i++) values[i] = values[i]! + 1e-7;
    const changes = diffPublications(parse(serialize(a)).publication!, parse(serialize(b)).publication!);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.what).toMatch(/^points: 120 of 3600 values changed: points\[100\]: [\d.]+ → [\d.]+, points\[101\]: .*, … \(117 more\)$/);
  });

  test('adding an attribute with a long key adds one line to the frontmatter and one to the summary', () => {
    const a = ukvPublication();
    const b = ukvPublication();
    b.cubes[0]!.attributes.a_rather_long_attribute_name_that_iris_would_widen_every_row_for = 'x';
    const d = lineDiff(serialize(a), serialize(b));
    expect(d.removed).toEqual([]);
    expect(d.added).toEqual(['      a_rather_long_attribute_name_that_iris_would_widen_every_row_for: x', "        a_rather_long_attribute_name_that_iris_would_widen_every_row_for 'x'"]);
  });

  test('changing an attribute value, units, a scalar coordinate or a cell method is one line of frontmatter', () => {
    const edits: ((p: Publication) => void)[] = [
      (p) => void (p.cubes[0]!.attributes.um_version = '11.2'),
      (p) => void (p.cubes[0]!.units = 'degC'),
      (p) => void (p.cubes[0]!.cell_methods[0]!.method = 'mean'),
      (p) => void (p.cubes[0]!.global_attributes.source = 'somewhere else entirely, with a much longer text than before'),
    ];
    for (const edit of edits) {
      const b = ukvPublication();
      edit(b);
      const d = lineDiff(frontmatter(serialize(ukvPublication())), frontmatter(serialize(b)));
      expect(d.removed).toHaveLength(1);
      expect(d.added).toHaveLength(1);
      const whole = lineDiff(serialize(ukvPublication()), serialize(b));
      expect(whole.added.length).toBeLessThanOrEqual(2);
    }
  });

  test('one changed edge of contiguous bounds changes one line', () => {
    const pub = (shift: number) => {
      const p = withLongCoordinate();
      const lat = p.cubes[0]!.dim_coords.grid_latitude!;
      const pts = (lat.points as { values: Float64Array }).values;
      const edges = Float64Array.from({ length: 3601 }, (_, i) => (i === 0 ? pts[0]! - 0.0001 : i === 3600 ? pts[3599]! + 0.0001 : (pts[i - 1]! + pts[i]!) / 2));
      edges[2000] = edges[2000]! + shift;
      lat.bounds = { kind: 'inline', dtype: 'float64', shape: [3600, 2], values: Float64Array.from({ length: 7200 }, (_, k) => edges[(k >> 1) + (k & 1)]!) };
      return p;
    };
    const ta = serialize(pub(0));
    expect(ta).toContain('bounds:\n          edges: [');
    const d = lineDiff(ta, serialize(pub(1e-5)));
    expect(d.removed).toHaveLength(1);
    expect(d.added).toHaveLength(1);
  });
});

describe('one text for the same values', () => {
  const file = (points: string, version = '1.1') =>
    `---\ncubemark: ${version}\nname: x\ncubes:\n  - dtype: float64\n    dims: [x]\n    shape: [3]\n    data: [1.0, 2.0, 3.0]\n    dim_coords:\n      x: {units: m, points: ${points}}\n---\n`;

  test('a list and {start, step, count} of the same values format alike, and fmt is idempotent', () => {
    const forms = ['[0.0, 1.0, 2.0]', '{start: 0.0, step: 1.0, count: 3}', '{encoding: base64, data: AAAAAAAAAAAAAAAAAADwPwAAAAAAAABA}', '[0, 1, 2e0]'];
    const texts = forms.map((f) => {
      const r = parse(file(f));
      expect(r.errors).toEqual([]);
      return serialize(r.publication!, { body: r.body });
    });
    expect(new Set(texts).size).toBe(1);
    expect(texts[0]).toContain('x: {units: m, points: [0.0, 1.0, 2.0]}');
    const again = parse(texts[0]!);
    expect(serialize(again.publication!, { body: again.body })).toBe(texts[0]);
    expect(diffPublications(parse(file(forms[0]!)).publication!, parse(file(forms[1]!)).publication!)).toEqual([]);
  });

  test('a long regular list becomes {start, step, count}; a short regular sequence a list', () => {
    const long = `[${Array.from({ length: 12 }, (_, i) => `${i}.0`).join(', ')}]`;
    const r = parse(file(long).replace('shape: [3]', 'shape: [12]').replace('data: [1.0, 2.0, 3.0]', `data: ${long}`));
    expect(r.errors).toEqual([]);
    expect(serialize(r.publication!)).toContain('points: {start: 0.0, step: 1.0, count: 12}');
  });
});

describe('attribute types survive hand edits', () => {
  const file = (attrs: string, version = '1.1') =>
    `---\ncubemark: ${version}\nname: x\ncubes:\n  - dtype: float64\n    dims: []\n    shape: []\n    data: [1.0]\n    attributes:\n${attrs}---\n`;
  const attributes = (text: string) => parse(text).publication!.cubes[0]!.attributes;

  test('in 1.1, a number written with a fraction or exponent is float64; one without, int32', () => {
    const a = attributes(file(`      beta: 1.0\n      big: 1e3\n      n: 1\n      list: [1, 2.0]\n      ints: [1, 2]\n      wide: 3000000000\n`));
    expect(a.beta).toEqual({ dtype: 'float64', values: Float64Array.from([1]) });
    expect(a.big).toEqual({ dtype: 'float64', values: Float64Array.from([1000]) });
    expect(a.n).toEqual({ dtype: 'int32', values: Int32Array.from([1]) });
    expect(a.list).toEqual({ dtype: 'float64', values: Float64Array.from([1, 2]) });
    expect(a.ints).toEqual({ dtype: 'int32', values: Int32Array.from([1, 2]) });
    expect(a.wide).toEqual({ dtype: 'int64', values: BigInt64Array.from([3000000000n]) });
  });

  test('the same through the reference YAML reader (a file the fast reader leaves to it) and in flow mappings', () => {
    // A single-quoted string sends the whole file to the reference reader.
    const text = file(`      beta: 1.0\n      name: 'quoted'\n      flow: {dtype: float32, value: 1.0}\n`).replace('dims: []', "dims: []\n    aux_coords:\n      h: {units: m, points: 1.0, attributes: {beta: 1.0, n: 2, l: [3, 4.0]}}");
    const pub = parse(text).publication!;
    expect(pub.cubes[0]!.attributes.beta).toEqual({ dtype: 'float64', values: Float64Array.from([1]) });
    expect(pub.cubes[0]!.aux_coords.h!.attributes).toEqual({
      beta: { dtype: 'float64', values: Float64Array.from([1]) },
      n: { dtype: 'int32', values: Int32Array.from([2]) },
      l: { dtype: 'float64', values: Float64Array.from([3, 4]) },
    });
    const fast = parse(text.replace("'quoted'", 'quoted')).publication!;
    expect(fast.cubes[0]!.aux_coords.h!.attributes).toEqual(pub.cubes[0]!.aux_coords.h!.attributes);
  });

  test('beta: 1.0 is written back as 1.0, and 1 as 1', () => {
    const text = serialize(parse(file(`      beta: 1.0\n      count: 1\n`)).publication!);
    expect(text).toContain('      beta: 1.0\n      count: 1\n');
  });

  test('format 1 keeps its rule: 1.0 is an int32 attribute, and float64 integral values need the typed form', () => {
    const a = attributes(file(`      beta: 1.0\n      f: {dtype: float64, value: 1.0}\n`, '1'));
    expect(a.beta).toEqual({ dtype: 'int32', values: Int32Array.from([1]) });
    const v1 = parse(file(`      beta: 1.0\n      f: {dtype: float64, value: 1.0}\n`, '1')).publication!;
    expect(serialize(v1)).toContain('      beta: 1\n      f: {dtype: float64, value: 1.0}\n');
    // Migrating writes the same model in 1.1: the int32 stays 1, the float64 becomes a plain 1.0.
    expect(serialize({ ...v1, cubemark: 1.1 })).toContain('cubemark: 1.1\n');
    expect(serialize({ ...v1, cubemark: 1.1 })).toContain('      beta: 1\n      f: 1.0\n');
  });

  test('a file keeps its attribute rule in meshes too (1.0 is int32 in format 1, float64 in 1.1)', () => {
    const mesh = (version: string) =>
      parse(
        `---\ncubemark: ${version}\nname: x\nmeshes:\n  m:\n    topology_dimension: 1\n    node: {dimension: n, count: 2, coords: {x: {points: [0.0, 1.0], attributes: {a: 1.0}}, "y": {points: [0.0, 1.0]}}}\n    edge: {dimension: e, count: 1}\n    connectivities:\n      edge_node_connectivity: {indices: [[0, 1]], attributes: {b: [1.0, 2.0]}}\n    attributes: {c: 2.0}\ncubes: []\n---\n`,
      ).publication!.meshes!.m!;
    for (const [version, dtype] of [['1', 'int32'], ['1.1', 'float64']] as const) {
      const m = mesh(version);
      expect([m.attributes.c, m.node.coords.x!.attributes.a, m.connectivities.edge_node_connectivity!.attributes.b].map((v) => (v as { dtype: string }).dtype)).toEqual([dtype, dtype, dtype]);
    }
  });
});

function formatLat(p: Publication, i: number): string {
  return String((p.cubes[0]!.dim_coords.grid_latitude!.points as { values: Float64Array }).values[i]);
}

describe('coordinate systems', () => {
  test('parameters in any order are one text after fmt (spec §16.2)', () => {
    const file = (params: string) => `---\ncubemark: 1.1\nname: x\ncoord_systems:\n  cs: {${params}}\ncubes: []\n---\n`;
    const a = parse(file('kind: transverse_mercator, false_northing: -100000.0, latitude_of_projection_origin: 49.0, ellipsoid: {semi_minor_axis: 6356256.909, semi_major_axis: 6377563.396}, longitude_of_central_meridian: -2.0'));
    const b = parse(file('kind: transverse_mercator, longitude_of_central_meridian: -2.0, ellipsoid: {semi_major_axis: 6377563.396, semi_minor_axis: 6356256.909}, latitude_of_projection_origin: 49.0, false_northing: -100000.0'));
    expect(a.errors).toEqual([]);
    expect(serialize(a.publication!)).toBe(serialize(b.publication!));
    expect(serialize(a.publication!)).toContain(
      '    latitude_of_projection_origin: 49.0\n    longitude_of_central_meridian: -2.0\n    false_northing: -100000.0\n    ellipsoid: {semi_major_axis: 6377563.396, semi_minor_axis: 6356256.909}\n',
    );
  });
});

describe('shared arrays', () => {
  test('values changed in place after a write are written anew', () => {
    const pub = withLongCoordinate();
    const values = (pub.cubes[0]!.dim_coords.grid_latitude!.points as { values: Float64Array }).values;
    const before = serialize(pub);
    values[5] = 46.9908;
    const after = serialize(pub);
    expect(lineDiff(before, after).added).toHaveLength(1);
    expect(after).toContain(' 46.9908,');
  });

  test('a long list repeated in many cubes is read once and shared, and its cubes read back alike', () => {
    const pub = withLongCoordinate();
    const lat = pub.cubes[0]!.dim_coords.grid_latitude!;
    lat.points = { kind: 'inline', dtype: 'float64', shape: [1000], values: (lat.points as { values: Float64Array }).values.slice(0, 1000) };
    pub.cubes[0]!.shape[2] = 1000;
    pub.cubes.push(structuredClone(pub.cubes[0]!));
    pub.cubes[1]!.var_name = 'second';
    const r = parse(serialize(pub));
    expect(r.errors).toEqual([]);
    const [a, b] = r.publication!.cubes.map((c) => (c.dim_coords.grid_latitude!.points as { values: Float64Array }).values);
    expect(a).toBe(b);
    expect(Array.from(a!.slice(0, 3))).toEqual([46.99, 46.990151, 46.990302]);
  });
});
