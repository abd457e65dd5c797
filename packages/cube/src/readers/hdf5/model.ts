import type { Attributes } from '@cubemark/format';
import { Hdf5Dataset as H5Dataset, Hdf5Group, type Hdf5Attribute, type Hdf5File } from '@cubemark/hdf5';
import type { DatasetDimension } from '../dataset.js';
import { fillValueAs, readAttributes, type Hdf5Skipped } from './attributes.js';
import { storedLayout, type StoredLayout } from './layout.js';

/**
 * The NetCDF-4 data model of an HDF5 file's root group, following netCDF-C's conventions:
 *
 * - a dimension is a dimension scale (`CLASS = "DIMENSION_SCALE"`) named like its dataset; its length is the
 *   scale's extent (for an unlimited one, the longest extent of any variable along it), and it is unlimited when
 *   the scale's maxshape is; dimensions are ordered by `_Netcdf4Dimid` where present, else by creation order;
 * - a scale whose `NAME` begins "This is a netCDF dimension but not a netCDF variable" is a dimension only;
 * - a variable is any other dataset (in creation order), `_nc4_non_coord_x` being variable `x`; its dimensions
 *   are the scales its `DIMENSION_LIST` references per axis (or, for a multi-dimensional coordinate variable,
 *   `_Netcdf4Coordinates`' dimension ids); an axis with none gets a phony dimension `phony_dim_N` shared with
 *   other such axes of the same length, as netCDF-C does for plain HDF5 files.
 */

const PHONY_SCALE_NAME = 'This is a netCDF dimension but not a netCDF variable';
const NON_COORD_PREFIX = '_nc4_non_coord_';

export interface VariableSpec {
  name: string;
  /** HDF5 dataset path. */
  path: string;
  dims: string[];
  /** A `char` array's folded last dimension. */
  stringDim?: string;
  layout: StoredLayout;
  attributes: Attributes;
  dataset: H5Dataset;
}

export interface Netcdf4Model {
  dimensions: DatasetDimension[];
  variables: VariableSpec[];
  attributes: Attributes;
  /** Objects and attributes left out (unsupported types, links), with why. */
  skipped: Hdf5Skipped[];
  /** Subgroups of the root group, which are not read. */
  groups: string[];
}

interface Entry {
  name: string;
  dataset: H5Dataset;
  attributes: Hdf5Attribute[];
  scale?: { phony: boolean; dimid?: number };
}

async function attributeValue(attributes: Hdf5Attribute[], name: string, signal?: AbortSignal): Promise<unknown> {
  const attr = attributes.find((a) => a.name === name);
  if (!attr || attr.shape === null) return undefined;
  const value = await attr.read(signal);
  if (Array.isArray(value)) return value.length === 1 ? value[0] : value;
  if (ArrayBuffer.isView(value)) return (value as unknown as ArrayLike<number | bigint>).length === 1 ? Number((value as unknown as ArrayLike<number | bigint>)[0]) : value;
  return value;
}

/** A netCDF dimension that is not a variable: a dimension scale netCDF-C writes only to carry the dimension. */
export async function isDimensionOnly(dataset: H5Dataset, signal?: AbortSignal): Promise<boolean> {
  const attributes = await dataset.attributes();
  if ((await attributeValue(attributes, 'CLASS', signal)) !== 'DIMENSION_SCALE') return false;
  const name = await attributeValue(attributes, 'NAME', signal);
  return typeof name === 'string' && name.startsWith(PHONY_SCALE_NAME);
}

/** Read the model: every root-group object header and attribute, no chunk index and no data. */
export async function readNetcdf4Model(file: Hdf5File, signal?: AbortSignal): Promise<Netcdf4Model> {
  const skipped: Hdf5Skipped[] = [];
  const groups: string[] = [];
  // Every object of the root group, fetched concurrently (their headers tend to share pages).
  const objects = await Promise.all(
    file.root.links.map(async (link) => ({ link, object: link.kind === 'hard' ? await file.get(link.name, signal) : undefined })),
  );
  const entries: Entry[] = [];
  await Promise.all(
    objects.map(async ({ link, object }, index) => {
      if (object instanceof Hdf5Group) {
        groups[index] = link.name;
        return;
      }
      if (!(object instanceof H5Dataset)) {
        skipped.push({ name: link.name, reason: object ? 'a named datatype, not a variable' : `a ${link.kind} link, not a variable` });
        return;
      }
      const attributes = await object.attributes();
      const entry: Entry = { name: link.name, dataset: object, attributes };
      if ((await attributeValue(attributes, 'CLASS', signal)) === 'DIMENSION_SCALE') {
        const scaleName = await attributeValue(attributes, 'NAME', signal);
        const dimid = await attributeValue(attributes, '_Netcdf4Dimid', signal);
        entry.scale = { phony: typeof scaleName === 'string' && scaleName.startsWith(PHONY_SCALE_NAME), dimid: typeof dimid === 'number' ? dimid : undefined };
      }
      entries[index] = entry;
    }),
  );
  const ordered = entries.filter((e) => e !== undefined);

  const scales = ordered.filter((e) => e.scale !== undefined);
  const order = (e: Entry) => e.scale?.dimid ?? Number.POSITIVE_INFINITY;
  const dimensions: DatasetDimension[] = scales
    .map((e, index) => ({ e, index }))
    .sort((a, b) => order(a.e) - order(b.e) || a.index - b.index)
    .map(({ e }) => ({ name: e.name, size: e.dataset.shape?.[0] ?? 0, unlimited: e.dataset.maxShape[0] === Infinity }));
  const byName = new Map(dimensions.map((d) => [d.name, d]));
  const byAddress = new Map(scales.map((e) => [e.dataset.address, e.name]));
  const byDimid = new Map(scales.filter((e) => e.scale?.dimid !== undefined).map((e) => [e.scale!.dimid!, e.name]));
  const phony: DatasetDimension[] = [];

  const attachedScales = async (e: Entry): Promise<(string | undefined)[]> => {
    const list = e.attributes.find((a) => a.name === 'DIMENSION_LIST');
    if (list) {
      const refs = (await list.read(signal)) as unknown as number[][];
      // Only root-group scales are root-group dimensions.
      return refs.map((r) => (Array.isArray(r) && r.length > 0 ? byAddress.get(r[0]) : undefined));
    }
    const coordinates = e.attributes.find((a) => a.name === '_Netcdf4Coordinates');
    if (coordinates) return Array.from((await coordinates.read(signal)) as ArrayLike<number>, (id) => byDimid.get(Number(id)));
    return [];
  };

  const variables: VariableSpec[] = [];
  const unlimitedAxes: { layout: StoredLayout; dims: string[] }[] = [];
  for (const e of ordered) {
    if (e.scale?.phony) continue;
    const name = e.name.startsWith(NON_COORD_PREFIX) && e.name.length > NON_COORD_PREFIX.length ? e.name.slice(NON_COORD_PREFIX.length) : e.name;
    const layout = storedLayout(e.dataset);
    if ('unsupported' in layout) {
      skipped.push({ name, reason: layout.unsupported });
      continue;
    }
    const attached = await attachedScales(e);
    const dims: string[] = [];
    for (let axis = 0; axis < layout.storedShape.length; axis++) {
      const named = e.scale && axis === 0 ? e.name : attached[axis];
      if (named !== undefined && byName.has(named)) {
        dims.push(named);
        continue;
      }
      const size = layout.storedShape[axis];
      let dim = phony.find((d) => d.size === size && !dims.includes(d.name));
      if (!dim) {
        dim = { name: `phony_dim_${dimensions.length}`, size, unlimited: false };
        dimensions.push(dim);
        byName.set(dim.name, dim);
        phony.push(dim);
      }
      dims.push(dim.name);
    }
    dims.forEach((d, axis) => {
      const dim = byName.get(d);
      if (dim?.unlimited) dim.size = Math.max(dim.size, layout.storedShape[axis]);
    });
    unlimitedAxes.push({ layout, dims });
    const attributes = await readAttributes(e.attributes, name, skipped, signal);
    const fill = attributes._FillValue;
    if (fill !== undefined && layout.dtype !== 'string') attributes._FillValue = fillValueAs(fill, layout.dtype);
    const stringDim = dims.length > layout.shape.length ? dims[layout.shape.length] : undefined;
    variables.push({ name, path: `/${e.name}`, dims: dims.slice(0, layout.shape.length), ...(stringDim !== undefined && { stringDim }), layout, attributes, dataset: e.dataset });
  }

  // As netCDF-C: along an unlimited dimension every variable has the dimension's length, records it never wrote
  // reading as its fill value.
  for (const { layout, dims } of unlimitedAxes) {
    layout.shape.forEach((_, axis) => {
      const dim = byName.get(dims[axis]);
      if (dim?.unlimited) layout.shape[axis] = dim.size;
    });
  }
  const globals = await readAttributes(await file.root.attributes(), '', skipped, signal);
  return { dimensions, variables, attributes: globals, skipped, groups: groups.filter((g) => g !== undefined) };
}
