import fc from 'fast-check';
import type {
  ArrayData,
  Attributes,
  AttributeValue,
  CellMethod,
  Coord,
  CoordSystem,
  CubeMeta,
  Dtype,
  InlineArray,
  NumericDtype,
  Publication,
  SourceArray,
} from '../../src/index.js';
import { FORMAT_VERSIONS, TYPED_ARRAYS, isPublicationName, product } from '../../src/index.js';

/**
 * fast-check arbitraries for valid publication models, edge numbers included (NaN, ±Inf, -0, float32 values,
 * 64-bit integers beyond 2^53, awkward strings). Used by the round-trip and parser-agreement properties.
 */

// Plain-prototype objects, as the parser builds them (fast-check's default records have a null prototype).
function rec<T extends Record<string, fc.Arbitrary<unknown>>>(model: T, constraints: { requiredKeys?: (keyof T)[] } = {}) {
  return fc.record(model, { ...constraints, noNullPrototype: true } as never) as fc.Arbitrary<{ [K in keyof T]: T[K] extends fc.Arbitrary<infer U> ? U : never }>;
}

const awkwardStrings = fc.constantFrom(
  'yes', 'No', 'on', 'null', '~', 'true', '1.0', '0x1F', '1e3', '-', '- x', 'a: b', 'a #b', ' lead', 'trail ',
  'comma, here', '[bracket]', '{brace}', "quote's", 'double "q"', 'tab\there', 'new\nline', 'ünïcödé', '☃', '',
  '2017-05-15T04:12:09Z', 'hours since 1970-01-01 00:00:00', 'kg m-2 s-1', '#hash', '&anchor', '*alias', '!tag',
  '%pct', '@at', '`tick', '...', '---', 'a:b', 'x:', '?q', '|pipe', '>gt',
);
const plainish = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_ .-]{0,20}$/).filter((s) => !s.endsWith(' ') && !s.includes('  '));
const text = fc.oneof({ weight: 3, arbitrary: plainish }, { weight: 2, arbitrary: awkwardStrings }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
const nonEmptyText = text.filter((s) => s.length > 0);
const key = fc
  .oneof(fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/), awkwardStrings.filter((s) => s.length > 0))
  .filter((s) => !['__proto__', 'constructor', 'prototype'].includes(s));
const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/).filter((s) => !['__proto__', 'constructor', 'prototype'].includes(s));

const edgeFloat = fc.oneof(
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1, 0.1, 1e-300, 5e-324, 1.7976931348623157e308, 2 ** 53, 123456789.125),
);

export function valuesFor(dtype: NumericDtype, n: number): fc.Arbitrary<ArrayLike<number | bigint>> {
  switch (dtype) {
    case 'float64':
      return fc.array(edgeFloat, { minLength: n, maxLength: n });
    case 'float32':
      return fc.array(fc.float(), { minLength: n, maxLength: n });
    case 'int64':
      return fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { minLength: n, maxLength: n });
    case 'uint64':
      return fc.array(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { minLength: n, maxLength: n });
    default: {
      const C = TYPED_ARRAYS[dtype];
      const bits = C.BYTES_PER_ELEMENT * 8;
      const signed = dtype.startsWith('int');
      const min = signed ? -(2 ** (bits - 1)) : 0;
      const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
      return fc.array(fc.integer({ min, max }), { minLength: n, maxLength: n });
    }
  }
}

export const numericDtype = fc.constantFrom<NumericDtype>('int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64');

export function typed(dtype: NumericDtype, values: ArrayLike<number | bigint>) {
  if (dtype === 'int64' || dtype === 'uint64') values = Array.from(values, (v) => BigInt(v));
  return (TYPED_ARRAYS[dtype] as unknown as { from(v: ArrayLike<number | bigint>): never }).from(values);
}

function inline(dtype: Dtype, shape: number[], kind: 'any' | 'regular' = 'any'): fc.Arbitrary<InlineArray> {
  const n = product(shape);
  if (dtype === 'string') {
    return fc.array(text, { minLength: n, maxLength: n }).map((values) => ({ kind: 'inline', dtype, shape, values }));
  }
  if (kind === 'regular' && n > 1 && shape.length === 1) {
    const integral = !(dtype === 'float32' || dtype === 'float64');
    return fc
      .tuple(fc.integer({ min: 0, max: 100 }), fc.constantFrom(...(integral ? [1, 2, 6] : [0.5, 1, 0.0135, 0.1, 6, -1, -0.25])))
      .map(([start, step]) => ({ kind: 'regular', dtype, shape, start: [start], step }) as unknown as InlineArray);
  }
  return valuesFor(dtype, n).map((values) => ({ kind: 'inline', dtype, shape, values: typed(dtype, values) }));
}

function monotonic(dtype: NumericDtype, n: number): fc.Arbitrary<InlineArray> {
  if (dtype === 'float32' || dtype === 'float64') {
    return fc
      .tuple(fc.array(fc.double({ min: 0.001, max: 1000, noNaN: true }), { minLength: n, maxLength: n }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.boolean(), fc.boolean())
      .map(([steps, start, down, regular]) => {
        const round = dtype === 'float32' ? Math.fround : (x: number) => x;
        const out: number[] = [];
        let x = round(start);
        for (let i = 0; i < n; i++) {
          out.push(x);
          let next = round(x + (regular ? 0.5 : steps[i]!) * (down ? -1 : 1));
          if (next === x) next = round(x + (down ? -1 : 1) * Math.max(1, Math.abs(x) * 1e-6));
          x = next;
        }
        return { kind: 'inline' as const, dtype, shape: [n], values: typed(dtype, out) as InlineArray['values'] };
      })
      .filter((a) => strictly(a.values as ArrayLike<number>));
  }
  return fc.integer({ min: 0, max: 100 }).map((start) => ({ kind: 'inline', dtype: 'int32', shape: [n], values: Int32Array.from({ length: n }, (_, i) => start + i) }));
}

function strictly(v: ArrayLike<number>): boolean {
  if (v.length < 2) return true;
  const up = v[1]! > v[0]!;
  for (let i = 1; i < v.length; i++) if (up ? !(v[i]! > v[i - 1]!) : !(v[i]! < v[i - 1]!)) return false;
  return Array.from(v).every(Number.isFinite);
}

const attributeValue: fc.Arbitrary<AttributeValue> = fc.oneof(
  text,
  fc.array(nonEmptyText, { minLength: 1, maxLength: 3 }),
  numericDtype.chain((dtype) => fc.integer({ min: 0, max: 4 }).chain((n) => valuesFor(dtype, n).map((v) => ({ dtype, values: typed(dtype, v) })))),
);

const attributes: fc.Arbitrary<Attributes> = fc.dictionary(key, attributeValue, { maxKeys: 4, noNullPrototype: true }).map((o) => {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(o)) out[k] = v;
  return out;
});

const names = rec(
  { standard_name: fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/), long_name: text, var_name: nonEmptyText },
  { requiredKeys: [] },
);

const units = fc.constantFrom('unknown', 'K', 'm', '1', 'degrees', 'kg m-2 s-1', 'hPa', 'no_unit');

const coordSystem: fc.Arbitrary<CoordSystem> = fc.oneof(
  rec({ kind: fc.constant('latitude_longitude' as const), semi_major_axis: fc.constantFrom(6371229, 6378137) }),
  rec({
    kind: fc.constant('rotated_latitude_longitude' as const),
    grid_north_pole_latitude: fc.double({ min: -90, max: 90, noNaN: true }),
    grid_north_pole_longitude: fc.double({ min: -180, max: 180, noNaN: true }),
    ellipsoid: rec({ semi_major_axis: fc.constant(6371229) }),
  }),
  rec({
    kind: fc.constant('lambert_conformal_conic' as const),
    latitude_of_projection_origin: fc.constant(25),
    longitude_of_central_meridian: fc.constant(265),
    standard_parallel: fc.constant([25, 25]),
    false_easting: fc.constant(0),
  }),
  rec({
    kind: fc.constant('geostationary' as const),
    latitude_of_projection_origin: fc.constant(0),
    longitude_of_projection_origin: fc.constant(0),
    perspective_point_height: fc.constant(35785831),
    sweep_angle_axis: fc.constantFrom('x' as const, 'y' as const),
  }),
) as fc.Arbitrary<CoordSystem>;

function sourceRef(dtype: Dtype, shape: number[], nSources: number): fc.Arbitrary<SourceArray> {
  return fc
    .record(
      {
        source: fc.integer({ min: 0, max: Math.max(0, nSources - 1) }),
        format: fc.constantFrom('netcdf', 'zarr', 'hdf5'),
        variable: nonEmptyText,
        chunks: fc.constant(shape.map((s) => Math.max(1, s))),
        stored_dtype: fc.constantFrom<NumericDtype>('int16', 'float32'),
        scale_factor: fc.double({ noNaN: true, noDefaultInfinity: true }),
        add_offset: fc.double({ noNaN: true, noDefaultInfinity: true }),
        fill_value: fc.constantFrom(0, 1, 100),
        options: fc.constant({ begin: 1024, record_stride: 0, nested: { a: [1, 2.5] } }),
      },
      { requiredKeys: ['source', 'format', 'variable'] },
    )
    .map((r) => ({ kind: 'source' as const, dtype, shape, ...r }))
    .map((r) => (r.stored_dtype === undefined && r.fill_value !== undefined && !(dtype === 'float32' || dtype === 'float64' || dtype.startsWith('int') || dtype.startsWith('uint')) ? { ...r, fill_value: undefined } : r))
    .map((r) => stripUndefined(r) as SourceArray);
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const cellMethod: fc.Arbitrary<CellMethod> = rec({
  method: fc.constantFrom('mean', 'maximum', 'point', 'sum', 'mean where land'),
  coords: fc.array(ident, { maxLength: 2 }),
  intervals: fc.array(fc.constantFrom('1 hour', '6 h', '0.1 degrees'), { maxLength: 2 }),
  comments: fc.array(text, { maxLength: 1 }),
});

function cube(nSources: number, systems: string[]): fc.Arbitrary<CubeMeta> {
  return fc
    .uniqueArray(ident, { minLength: 0, maxLength: 3 })
    .chain((dims) => fc.tuple(fc.constant(dims), fc.array(fc.integer({ min: 1, max: 6 }), { minLength: dims.length, maxLength: dims.length })))
    .chain(([dims, shape]) => {
      const dimCoord = (d: string, n: number): fc.Arbitrary<[string, Coord] | undefined> =>
        fc.option(
          fc
            .record({
              names,
              units,
              dtype: fc.constantFrom<NumericDtype>('float64', 'float32', 'int32'),
              bounds: fc.boolean(),
              circular: fc.boolean(),
              cs: fc.option(fc.constantFrom(...(systems.length ? systems : ['none'])), { nil: undefined }),
              attributes,
            })
            .chain((r) =>
              fc.tuple(fc.constant(r), monotonic(r.dtype, n), r.bounds ? inline(r.dtype, [n, 2]) : fc.constant(undefined)),
            )
            .map(([r, points, bounds]) => {
              const c: Coord = { ...r.names, units: r.units, dims: [d], points: { ...points, dtype: r.dtype === 'int32' ? 'int32' : r.dtype }, attributes: r.attributes };
              if (bounds) c.bounds = bounds;
              if (r.circular) c.circular = true;
              if (r.cs !== undefined && systems.length) c.coord_system = r.cs;
              return [d, c] as [string, Coord];
            }),
          { nil: undefined },
        );
      const auxCoord = fc
        .record({
          key: ident.map((k) => `aux_${k}`),
          names,
          units,
          dtype: fc.constantFrom<Dtype>('float64', 'float32', 'int64', 'string', 'uint8'),
          spanned: fc.subarray(dims),
          bounds: fc.boolean(),
          lazy: fc.boolean(),
          climatological: fc.boolean(),
          calendar: fc.boolean(),
          regular: fc.boolean(),
        })
        .chain((r) => {
          const shapeOf = r.spanned.length === 0 ? [1] : r.spanned.map((d) => shape[dims.indexOf(d)]!);
          const points: fc.Arbitrary<ArrayData> =
            r.lazy && nSources > 0 ? sourceRef(r.dtype, shapeOf, nSources) : inline(r.dtype, shapeOf, r.regular ? 'regular' : 'any');
          const bounds = r.bounds && r.dtype !== 'string' ? inline(r.dtype, [...shapeOf, 2], r.regular ? 'any' : 'any').map((b) => b as ArrayData) : fc.constant(undefined);
          return fc.tuple(fc.constant(r), points, bounds);
        })
        .map(([r, points, bounds]) => {
          const c: Coord = { ...r.names, units: r.calendar ? 'days since 2000-01-01' : r.units, dims: r.spanned, points, attributes: {} };
          if (r.calendar) c.calendar = '360_day';
          if (bounds) c.bounds = bounds;
          if (r.climatological) c.climatological = true;
          return [r.key, c] as [string, Coord];
        });
      return rec({
        names,
        units,
        dtype: fc.constantFrom<Dtype>('float32', 'float64', 'int16'),
        dimCoords: fc.tuple(...dims.map((d, i) => dimCoord(d, shape[i]!))),
        auxCoords: fc.uniqueArray(auxCoord, { maxLength: 3, selector: ([k]) => k }),
        cellMethods: fc.array(cellMethod, { maxLength: 2 }),
        attributes,
        globals: attributes,
        lazy: fc.boolean(),
        cellMeasure: fc.boolean(),
      }).chain((r) =>
        fc.tuple(fc.constant(r), r.lazy && nSources > 0 ? sourceRef(r.dtype, shape, nSources) : inline(r.dtype, shape)).map(([r, data]) => {
          const dim_coords: Record<string, Coord> = {};
          for (const e of r.dimCoords) if (e) dim_coords[e[0]] = e[1];
          const aux_coords: Record<string, Coord> = {};
          for (const [k, c] of r.auxCoords) aux_coords[k] = c;
          const c: CubeMeta = {
            ...r.names,
            units: r.units,
            dims,
            shape,
            dtype: r.dtype,
            attributes: r.attributes,
            global_attributes: r.globals,
            cell_methods: r.cellMethods,
            dim_coords,
            aux_coords,
            derived_coords: {},
            cell_measures: {},
            ancillary_variables: {},
            data,
          };
          if (r.cellMeasure && dims.length > 0) {
            c.cell_measures.cell_area = {
              standard_name: 'cell_area',
              measure: 'area',
              units: 'm2',
              dims: [dims[0]!],
              data: { kind: 'inline', dtype: 'float64', shape: [shape[0]!], values: Float64Array.from({ length: shape[0]! }, (_, i) => i * 1.5) },
              attributes: {},
            };
          }
          const auxKeys = Object.keys(aux_coords);
          if (auxKeys.length > 0) {
            c.derived_coords.derived_altitude = { standard_name: 'altitude', units: 'm', formula: 'hybrid_height', terms: { delta: auxKeys[0]! }, attributes: {} };
          }
          return c;
        }),
      );
    });
}

export const publicationArbitrary: fc.Arbitrary<Publication> = fc
  .record({
    version: fc.constantFrom(...FORMAT_VERSIONS),
    // Publication names: the rule's characters, less what it refuses ('..').
    name: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/).filter(isPublicationName),
    title: fc.option(text, { nil: undefined }),
    created: fc.option(fc.constantFrom('2017-05-15T04:12:09Z', '2026-11-29T05:43:17.123+01:00'), { nil: undefined }),
    provenance: fc.dictionary(key, text, { maxKeys: 2 }),
    sources: fc.array(
      rec(
        { uri: nonEmptyText, size: fc.nat({ max: Number.MAX_SAFE_INTEGER }), mtime: fc.constant('2017-05-15T04:02:11Z'), etag: fc.constant('"abc-1"') },
        { requiredKeys: ['uri'] },
      ),
      { maxLength: 2 },
    ),
    systems: fc.dictionary(ident, coordSystem, { maxKeys: 2 }),
  })
  .chain((r) =>
    fc.array(cube(r.sources.length, Object.keys(r.systems)), { maxLength: 3 }).map((cubes) => {
      const p: Publication = {
        cubemark: r.version,
        name: r.name,
        provenance: { ...r.provenance },
        sources: r.sources,
        coord_systems: { ...r.systems },
        cubes,
      };
      if (r.title !== undefined) p.title = r.title;
      if (r.created !== undefined) p.created = r.created;
      return p;
    }),
  );
