import { FORMAT_VERSION, cubeSummary, type CubeMeta, type Publication, type SourceArray } from '@cubemark/format';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MEAN } from '../../src/model/collapse.js';
import { Cube } from '../../src/model/cube.js';
import { CubeList } from '../../src/model/cube-list.js';
import { DescribedArray } from '../../src/model/described-array.js';
import { NotRepresentableError } from '../../src/model/errors.js';
import { cubesFromPublication, publicationFromCubes } from '../../src/model/publication.js';
import { noBytes, registryWith } from '../lazy/memory-plugin.js';
import { publicationArbitrary } from '../../../format/test/helpers/arbitrary.js';
import { inline, iota, memoryPublication, tasCube, tasMeta } from './helpers.js';

const lazyFor = (pub: Publication) => ({ sources: pub.sources, pool: noBytes, plugins: registryWith() });

describe('CubeMeta ⇄ Cube', () => {
  it('round-trips every generated publication cube exactly (property)', () => {
    fc.assert(
      fc.property(publicationArbitrary, (pub) => {
        for (const meta of pub.cubes) {
          const cube = Cube.fromMeta(meta, { publication: pub, lazy: lazyFor(pub) });
          expect(cube.toMeta()).toStrictEqual(meta);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips a whole publication through cubesFromPublication and publicationFromCubes (property)', () => {
    fc.assert(
      fc.property(publicationArbitrary, (pub) => {
        const cubes = cubesFromPublication(pub, { lazy: lazyFor(pub) });
        const back = publicationFromCubes(cubes, { name: pub.name, title: pub.title, created: pub.created, provenance: pub.provenance });
        // Coordinate systems no coordinate uses are not part of any cube, so they do not come back.
        const used = new Set(
          pub.cubes.flatMap((c) =>
            [...Object.values(c.dim_coords), ...Object.values(c.aux_coords), ...Object.values(c.derived_coords)].flatMap((x) => x.coord_system ?? []),
          ),
        );
        // A publication made from cubes is made in the current format version, whichever the original said.
        const expected = { ...pub, cubemark: FORMAT_VERSION, coord_systems: Object.fromEntries(Object.entries(pub.coord_systems).filter(([k]) => used.has(k))) };
        // Sources come with the arrays that use them: a publication whose cubes use none keeps none.
        const usesSources = JSON.stringify(pub.cubes, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)).includes('"kind":"source"');
        if (!usesSources) expected.sources = [];
        expect(back).toStrictEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps the coordinate system object, names, units, calendar and the split of attributes', () => {
    const { cube, publication } = tasCube();
    expect(cube.name()).toBe('air_temperature');
    expect(cube.varName).toBe('tas');
    expect(cube.coord('latitude').coordSystem).toBe(publication.coord_systems.crs);
    expect(cube.coord('time').calendar).toBe('standard');
    expect(cube.attributes.get('source')).toBe('model run 7');
    expect(cube.attributes.locals).toEqual({ source: 'model run 7' });
    expect(cube.attributes.globals).toEqual({ Conventions: 'CF-1.7', history: 'made for a test' });
    cube.attributes.set('title', 'T');
    cube.attributes.set('comment', 'c');
    expect(cube.attributes.globals.title).toBe('T');
    expect(cube.attributes.locals.comment).toBe('c');
    expect(cube.coord('longitude').circular).toBe(true);
  });

  it('writes cubes from two publications into one: sources re-indexed, clashing coordinate-system keys renamed', () => {
    const a = memoryPublication([tasMeta()], {});
    const b = memoryPublication([{ ...tasMeta(), var_name: 'tas_b' }], {});
    b.publication.sources = [{ uri: 'mem://store/other.nc' }, { uri: 'mem://store/b.nc' }];
    b.publication.cubes[0].data = { ...(b.publication.cubes[0].data as SourceArray), source: 1 };
    b.publication.coord_systems = { crs: { kind: 'rotated_latitude_longitude', grid_north_pole_latitude: 37.5, grid_north_pole_longitude: 177.5 } };
    const cubes = [a, b].map(({ publication }) => Cube.fromMeta(publication.cubes[0], { publication, lazy: lazyFor(publication) }));
    const pub = publicationFromCubes(cubes, { name: 'both' });
    expect(pub.sources).toEqual([{ uri: 'mem://store/a.nc' }, { uri: 'mem://store/other.nc' }, { uri: 'mem://store/b.nc' }]);
    expect(pub.cubes.map((c) => (c.data as SourceArray).source)).toEqual([0, 2]);
    expect(Object.keys(pub.coord_systems)).toEqual(['crs', 'crs_1']);
    expect(pub.cubes[1].dim_coords.latitude.coord_system).toBe('crs_1');
    expect(pub.coord_systems.crs_1).toBe(b.publication.coord_systems.crs);
    // Reading it back gives the same cubes.
    const again = cubesFromPublication(pub, { lazy: lazyFor(pub) });
    expect(again.at(1)!.coord('latitude').coordSystem).toEqual(b.publication.coord_systems.crs);
  });

  it('names fall back from standard to long to var name, then unknown', () => {
    const meta = (names: Partial<CubeMeta>): CubeMeta => ({ ...tasMeta(), standard_name: undefined, var_name: undefined, ...names });
    const { publication, lazy } = memoryPublication([], {});
    const named = (m: CubeMeta) => Cube.fromMeta(m, { publication, lazy }).name();
    expect(named(meta({ long_name: 'Air', var_name: 'v' }))).toBe('Air');
    expect(named(meta({ var_name: 'v' }))).toBe('v');
    expect(named(meta({}))).toBe('unknown');
  });

  it('round-trips combined (stack of sources) data and a derived coordinate by hand', () => {
    const meta = tasMeta();
    meta.data = {
      kind: 'combined',
      dtype: 'float32',
      shape: [4, 3, 5],
      mode: 'stack',
      axis: 0,
      parts: [0, 1, 2, 3].map((t) => ({ kind: 'source' as const, dtype: 'float32' as const, shape: [3, 5], source: 0, format: 'memory', variable: `tas${t}` })),
    };
    meta.derived_coords.altitude = { standard_name: 'altitude', units: 'm', formula: 'hybrid_height', terms: { delta: 'height', orography: 'surface_altitude' }, attributes: {} };
    const { publication, lazy } = memoryPublication([meta], {});
    expect(Cube.fromMeta(meta, { publication, lazy }).toMeta()).toStrictEqual(meta);
  });

  it('prints the summary with the format package\'s cubeSummary, reading nothing', () => {
    const { cube, plugin } = tasCube();
    expect(cube.summary()).toBe(cubeSummary(cube.toMeta()));
    expect(cube.summary().split('\n')[0]).toBe('air_temperature / (K)               (time: 4; latitude: 3; longitude: 5)');
    // A collapsed cube prints too: its data is a reduction nobody ran, and it shows the new cell method.
    const mean = cube.collapsed('time', MEAN).summary();
    expect(mean).toContain('time: mean');
    expect(mean).toMatch(/time {20,}1970-01-01 09:00:00, bound=\(1970-01-01 00:00:00, 1970-01-01 18:00:00\)/);
    expect(new CubeList([cube]).summary()).toBe(`0: ${cube.summary().split('\n')[0]}`);
    expect(plugin.elements()).toBe(0);
  });

  it('refuses to write what the format cannot describe, naming it', () => {
    const { cube } = tasCube();
    const view = cube.index([{ start: 1, stop: 3 }]);
    expect(() => view.toMeta()).toThrow(NotRepresentableError);
    expect(() => view.toMeta()).toThrow(/the data of cube 'air_temperature'.*part of 'tas'/);
    const inlineCube = new Cube(DescribedArray.fromValues(iota(6), [2, 3]), { dims: ['y', 'x'], standardName: 'a' });
    expect(inlineCube.index([1]).toMeta().data).toEqual(inline(Float64Array.from([3, 4, 5]), [3]));
  });
});
