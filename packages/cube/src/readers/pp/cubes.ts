import type { CoordSystem, CubeMeta } from '@cubemark/format';
import type { CfWarning } from '../../cf/warnings.js';
import { HybridHeightFactory, HybridPressureFactory } from '../../model/aux-factory.js';
import { AuxCoord, type Coord } from '../../model/coords.js';
import type { Cube } from '../../model/cube.js';
import { sameResults } from '../../model/equality.js';
import { MergeError } from '../../model/errors.js';
import { mergeCubes } from '../../model/merge.js';
import { publicationFromCubes } from '../../model/publication.js';
import { describeCube, fieldKeys, firstField, type FieldTable } from './describe.js';
import { PpError } from './errors.js';
import type { PPField } from './field.js';
import { convertField, type FieldCube } from './rules/convert.js';
import type { FactorySpec } from './rules/vertical.js';
import { isSupportedPacking } from './unpack/index.js';

export interface PpCubes {
  cubes: CubeMeta[];
  coordSystems: Record<string, CoordSystem>;
  warnings: CfWarning[];
}

/** The field number a merged cube starts from (its data's first field). */
function firstOf(cube: Cube): number {
  const d = cube.data.description();
  return 'data' in d ? firstField(d.data) : Infinity;
}

/** Iris's merge order: by standard name (none first), then by the first field of each merged cube. */
function irisOrder(a: Cube, b: Cube): number {
  const na = a.standardName;
  const nb = b.standardName;
  if (na !== nb) {
    if (na === undefined) return -1;
    if (nb === undefined) return 1;
    return na < nb ? -1 : 1;
  }
  return firstOf(a) - firstOf(b);
}

/**
 * What Iris's merge compares before it looks at scalar coordinates: cubes that differ here never merge, so each
 * group is merged on its own (merging is quadratic in the number of cubes that do not match).
 */
function signature(cube: Cube): string {
  const coords = cube
    .coordEntries()
    .map((e) => [e.role, e.key, e.dims.join(','), e.coord.name(), e.coord.units, e.coord.dtype, e.coord.nbounds, e.dims.length === 0 ? '' : e.coord.shape.join('x')]);
  return JSON.stringify([
    cube.standardName,
    cube.longName,
    cube.units,
    cube.attributes.toRecord(),
    cube.cellMethods.map((m) => m.toMeta()),
    cube.dims,
    cube.shape,
    cube.dtype,
    coords,
  ]);
}

async function merge(cubes: readonly Cube[], unique: boolean, warn: (message: string, group: readonly Cube[]) => void): Promise<Cube[]> {
  const groups = new Map<string, Cube[]>();
  for (const cube of cubes) {
    const key = signature(cube);
    const group = groups.get(key);
    if (group) group.push(cube);
    else groups.set(key, [cube]);
  }
  const out: Cube[] = [];
  for (const group of groups.values()) {
    try {
      out.push(...(await mergeCubes(group, { unique })));
    } catch (error) {
      // Fields that fill no complete grid of their scalar coordinates stay apart rather than being lost.
      if (!(error instanceof MergeError)) throw error;
      warn(`${group.length} '${group[0].name()}' fields do not merge (${error.message}); they are kept as separate cubes`, group);
      out.push(...group);
    }
  }
  return out;
}

/** The reference cube for a name: every field that provides it, merged; the last if they do not merge (Iris). */
async function referenceCube(fieldCubes: readonly FieldCube[], name: string, warn: (message: string) => void): Promise<Cube | undefined> {
  const sources = fieldCubes.filter((f) => f.reference === name).map((f) => f.cube);
  if (sources.length === 0) return undefined;
  const merged = sources.length > 1 ? await mergeCubes(sources, { unique: false }) : sources;
  if (merged.length > 1) warn(`Multiple reference cubes for ${name}`);
  return merged[merged.length - 1];
}

/**
 * The target's coordinate with `coord`'s metadata (Iris's `cube.coord(coord)`) and the same points: Iris would
 * then interpolate the reference onto them, which changes nothing (bounds may differ).
 */
async function matching(target: Cube, coord: Coord): Promise<{ key: string; dims: readonly string[] } | undefined> {
  for (const e of target.coordEntries()) {
    if (e.role === 'derived' || !e.coord.metadataEquals(coord) || e.coord.shape.join() !== coord.shape.join()) continue;
    if (sameResults(await e.coord.points.values(), await coord.points.values())) return { key: e.key, dims: e.dims };
  }
  return undefined;
}

/**
 * Iris's `_resolve_factory_references` after merging: the reference field's data become an auxiliary
 * coordinate on the target's horizontal dimensions (Iris requires the grids to match; it regrids when only the
 * values differ, which this reader reports instead), and the derived coordinate is added.
 */
async function addFactory(target: Cube, spec: FactorySpec, reference: Cube | undefined, warn: (message: string) => void): Promise<void> {
  const factoryName = spec.kind === 'hybrid_height' ? 'HybridHeightFactory' : 'HybridPressureFactory';
  const fail = (why: string) => warn(`Unable to create instance of ${factoryName}. ${why}`);
  if (!reference) return fail(`The source data contains no field(s) for '${spec.reference}'.`);
  const dims: string[] = [];
  for (const dim of reference.dims) {
    const coord = reference.dimCoord(dim);
    const found = coord && (await matching(target, coord));
    if (!found || found.dims.length !== 1) return fail(`Unable to regrid reference for '${spec.reference}'`);
    dims.push(found.dims[0]);
  }
  const delta = target.coords().find((c) => c.longName === spec.delta);
  const sigma = target.coords().find((c) => c.longName === spec.sigma);
  if (!delta || !sigma) return fail(`The cube has no '${spec.delta}' or '${spec.sigma}' coordinate.`);
  const surface = new AuxCoord({
    ...(reference.standardName !== undefined && { standardName: reference.standardName }),
    ...(reference.longName !== undefined && { longName: reference.longName }),
    ...(reference.varName !== undefined && { varName: reference.varName }),
    units: reference.units,
    attributes: reference.attributes.toRecord(),
    points: reference.data,
  });
  const key = target.addAuxCoord(surface, dims);
  const terms = { delta: target.coordEntry(delta).key, sigma: target.coordEntry(sigma).key };
  if (spec.kind === 'hybrid_height') {
    target.addAuxFactory(new HybridHeightFactory({ standardName: 'altitude', units: delta.units, terms: { ...terms, orography: key } }));
  } else {
    target.addAuxFactory(new HybridPressureFactory({ standardName: 'air_pressure', units: delta.units, terms: { ...terms, surface_air_pressure: key } }));
  }
}

/** A file's indexed fields and problems, and its index in the publication's sources. */
export interface IndexedFile {
  uri: string;
  source: number;
  fields: readonly PPField[];
  problems: readonly PpError[];
}

/** A cube's field keys, when its data are merged fields. */
function keysOf(cube: Cube): number[] | undefined {
  const d = cube.data.description();
  return 'data' in d ? fieldKeys(d.data) : undefined;
}

/** A field's word size and byte order, which a `format: pp` reference gives once for all its fields (spec §14.5). */
function layoutOf(field: PPField): string {
  return `${field.layout.wordBytes * 8}-bit ${field.layout.littleEndian ? 'little' : 'big'}-endian`;
}

/**
 * Cubes from PP files' or fieldsfiles' fields as Iris loads them (`iris.load` of all the files at once): each
 * field converted by the load rules, merged with the fields alike in everything but their scalar coordinates —
 * across files, as a model run written one file per time or stream is one cube per parameter — derived
 * coordinates resolved from reference fields (orography, surface pressure) of any of the files, in Iris's order
 * (files in the order given, then fields in file order). Warnings name the file (`source`) they concern.
 */
export async function cubesFromFiles(files: readonly IndexedFile[]): Promise<PpCubes> {
  const warnings: CfWarning[] = [];
  // Every field of the load by its key: files in order, then their fields in order (the order Iris reads them).
  const all = files.flatMap((file) => file.fields.map((field) => ({ field, file })));
  const table: FieldTable = { field: (k) => all[k].field, source: (k) => all[k].file.source };
  /** A warning about the fields of `cube` (or the field of key `key`): in the file of its first field. */
  const warn = (message: string, about?: Cube | number) => {
    const key = typeof about === 'number' ? about : about && firstOf(about);
    const w: CfWarning = { code: 'PP_LOAD', message };
    if (key !== undefined && all[key]) w.source = all[key].file.source;
    warnings.push(w);
  };
  for (const file of files) for (const p of file.problems) warnings.push({ code: 'PP_FIELD_SKIPPED', message: p.message, source: file.source });

  const converted: FieldCube[] = [];
  for (const [key, { field, file }] of all.entries()) {
    const skip = (error: PpError) => warnings.push({ code: 'PP_FIELD_SKIPPED', message: error.message, source: file.source });
    const place = { field: field.index };
    if (!isSupportedPacking(field.header.lbpack)) {
      skip(new PpError('PP_UNSUPPORTED', file.uri, { ...place, word: 'lbpack' }, `LBPACK ${field.header.lbpack} is not supported (0, 1, 2 and 4 are, without land/sea compression); the field is skipped`));
      continue;
    }
    try {
      const fc = convertField(field, file.uri, key);
      for (const note of fc.notes) warn(new PpError('PP_UNSUPPORTED', file.uri, { ...place, word: note.word }, note.message).message, key);
      converted.push(fc);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      skip(new PpError('PP_UNSUPPORTED', file.uri, place, `Iris's load rules fail on this field (${why}); the field is skipped`, { cause: error }));
    }
  }
  // Iris yields the cubes that need a reference after all the others (of all the files).
  const plain = converted.filter((f) => f.factories.length === 0);
  const needing = converted.filter((f) => f.factories.length > 0);
  const specs = new Map(needing.map((f) => [f.key, f.factories]));
  // Loading merges with `unique=False` (Iris's load combine options): duplicate fields give duplicate cubes.
  const merged: Cube[] = [];
  const byKey = new Map(converted.map((f) => [f.key, f]));
  for (const cube of await merge([...plain, ...needing].map((f) => f.cube), false, (m, group) => warn(m, group[0]))) {
    const keys = keysOf(cube) ?? [];
    const first = keys.length > 0 ? layoutOf(table.field(keys[0])) : '';
    if (keys.every((k) => layoutOf(table.field(k)) === first)) {
      merged.push(cube);
      continue;
    }
    const layouts = new Map<string, Cube[]>();
    for (const k of keys) {
      const layout = layoutOf(table.field(k));
      const group = layouts.get(layout);
      if (group) group.push(byKey.get(k)!.cube);
      else layouts.set(layout, [byKey.get(k)!.cube]);
    }
    // Files of different word sizes or byte orders (as one file's fields never are): one data reference cannot
    // hold them, so the fields of each layout are merged on their own (in Iris they would be one cube).
    warn(`the '${cube.name()}' fields merge into one cube in Iris, but they lie in files of different word sizes or byte orders (${[...layouts.keys()].join(', ')}), which one data reference cannot describe; the fields of each are merged on their own`, cube);
    for (const group of layouts.values()) merged.push(...(await merge(group, false, (m) => warn(m, group[0]))));
  }
  merged.sort(irisOrder);

  const references = new Map<string, Promise<Cube | undefined>>();
  for (const cube of merged) {
    const spec = specs.get(firstOf(cube));
    for (const s of spec ?? []) {
      if (!references.has(s.reference)) references.set(s.reference, referenceCube(converted, s.reference, (m) => warn(m, cube)));
      const reference = await references.get(s.reference);
      const mixed = reference && new Set((keysOf(reference) ?? []).map((k) => layoutOf(table.field(k)))).size > 1;
      if (mixed) warn(`the '${s.reference}' fields lie in files of different word sizes or byte orders; no derived coordinate is made from them`, cube);
      else await addFactory(cube, s, reference, (m) => warn(m, cube));
    }
  }

  const publication = publicationFromCubes(merged, { name: 'pp' });
  return {
    cubes: publication.cubes.map((c) => describeCube(c, table)),
    coordSystems: publication.coord_systems,
    warnings,
  };
}

/** Cubes from one file's fields (`cubesFromFiles` of that file alone); `source` is its index in the publication's sources. */
export function cubesFromFields(fields: readonly PPField[], problems: readonly PpError[], uri: string, source: number): Promise<PpCubes> {
  return cubesFromFiles([{ uri, source, fields, problems }]);
}
