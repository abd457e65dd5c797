import type { Attributes } from '@cubemark/format';
import type { DatasetDimension } from '../dataset.js';
import { attributeValue, fillValueAs, readAttributes, type Hdf5Skipped } from './attributes.js';
import { isUnlimited, storedLayout, type StoredLayout } from './layout.js';
import type { H5File, H5Metadata, H5wasm } from './load.js';

/**
 * The NetCDF-4 data model of an HDF5 file's root group, following netCDF-C's conventions:
 *
 * - a dimension is a dimension scale (`CLASS = "DIMENSION_SCALE"`) named like its dataset; its length is the
 *   scale's extent (for an unlimited one, the longest extent of any variable along it), and it is unlimited when
 *   the scale's maxshape is; dimensions are ordered by `_Netcdf4Dimid` where present, else by creation order;
 * - a scale whose `NAME` begins "This is a netCDF dimension but not a netCDF variable" is a dimension only;
 * - a variable is any other dataset (in creation order), `_nc4_non_coord_x` being variable `x` where a dimension
 *   `x` exists that it is not the coordinate of; its dimensions are the scales attached to each axis
 *   (`DIMENSION_LIST`); an axis with none gets a phony dimension `phony_dim_N` shared with other such axes of the
 *   same length, as netCDF-C does for plain HDF5 files.
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
  path: string;
  meta: H5Metadata;
  attributeNames: string[];
  scale?: { phony: boolean; dimid?: number };
}

/** A netCDF dimension that is not a variable: a dimension scale netCDF-C writes only to carry the dimension. */
export function isDimensionOnly(h5: H5wasm, fileId: bigint, path: string): boolean {
  const names = h5.Module.get_attribute_names(fileId, path);
  if (!names.includes('CLASS') || !names.includes('NAME')) return false;
  const name = attributeValue(h5, fileId, path, 'NAME');
  return attributeValue(h5, fileId, path, 'CLASS') === 'DIMENSION_SCALE' && typeof name === 'string' && name.startsWith(PHONY_SCALE_NAME);
}

export function readNetcdf4Model(h5: H5wasm, file: H5File): Netcdf4Model {
  const { Module } = h5;
  const fileId = file.file_id;
  const skipped: Hdf5Skipped[] = [];
  const groups: string[] = [];
  const attribute = (path: string, name: string): unknown => attributeValue(h5, fileId, path, name);

  const entries: Entry[] = [];
  for (const name of file.keys()) {
    const path = `/${name}`;
    const type = Module.get_type(fileId, path);
    if (type === Module.H5G_GROUP) {
      groups.push(name);
      continue;
    }
    if (type !== Module.H5G_DATASET) {
      skipped.push({ name, reason: 'not a dataset (a link or a named datatype)' });
      continue;
    }
    const attributeNames = Module.get_attribute_names(fileId, path);
    const entry: Entry = { name, path, meta: Module.get_dataset_metadata(fileId, path), attributeNames };
    if (attributeNames.includes('CLASS') && attribute(path, 'CLASS') === 'DIMENSION_SCALE') {
      const scaleName = attributeNames.includes('NAME') ? attribute(path, 'NAME') : undefined;
      const dimid = attributeNames.includes('_Netcdf4Dimid') ? Number(attribute(path, '_Netcdf4Dimid')) : undefined;
      entry.scale = { phony: typeof scaleName === 'string' && scaleName.startsWith(PHONY_SCALE_NAME), dimid };
    }
    entries.push(entry);
  }

  const scales = entries.filter((e) => e.scale !== undefined);
  const order = (e: Entry) => e.scale?.dimid ?? Number.POSITIVE_INFINITY;
  const dimensions: DatasetDimension[] = scales
    .map((e, index) => ({ e, index }))
    .sort((a, b) => order(a.e) - order(b.e) || a.index - b.index)
    .map(({ e }) => ({ name: e.name, size: e.meta.shape?.[0] ?? 0, unlimited: isUnlimited(e.meta.maxshape?.[0]) }));
  const byName = new Map(dimensions.map((d) => [d.name, d]));
  const phony: DatasetDimension[] = [];

  const dimensionOf = (e: Entry, axis: number, used: string[]): string => {
    if (e.scale && axis === 0) return e.name;
    if (e.attributeNames.includes('DIMENSION_LIST')) {
      const attached = Module.get_attached_scales(fileId, e.path, axis)[0];
      // Only root-group scales are root-group dimensions; `/a/b` would be a dimension of group `a`.
      const name = attached?.replace(/^\//, '');
      if (name !== undefined && byName.has(name)) return name;
    }
    const size = e.meta.shape?.[axis] ?? 0;
    let dim = phony.find((d) => d.size === size && !used.includes(d.name));
    if (!dim) {
      dim = { name: `phony_dim_${dimensions.length}`, size, unlimited: false };
      dimensions.push(dim);
      byName.set(dim.name, dim);
      phony.push(dim);
    }
    return dim.name;
  };

  const variables: VariableSpec[] = [];
  for (const e of entries) {
    if (e.scale?.phony) continue;
    const name = e.name.startsWith(NON_COORD_PREFIX) && e.name.length > NON_COORD_PREFIX.length ? e.name.slice(NON_COORD_PREFIX.length) : e.name;
    const layout = storedLayout(e.meta);
    if ('unsupported' in layout) {
      skipped.push({ name, reason: layout.unsupported });
      continue;
    }
    const dims: string[] = [];
    for (let axis = 0; axis < layout.storedShape.length; axis++) dims.push(dimensionOf(e, axis, dims));
    dims.forEach((d, axis) => {
      const dim = byName.get(d);
      if (dim?.unlimited) dim.size = Math.max(dim.size, layout.storedShape[axis]);
    });
    const attributes = readAttributes(h5, fileId, e.path, name, skipped);
    const fill = attributes._FillValue;
    if (fill !== undefined && layout.dtype !== 'string') attributes._FillValue = fillValueAs(fill, layout.dtype);
    const stringDim = dims.length > layout.shape.length ? dims[layout.shape.length] : undefined;
    variables.push({ name, path: e.path, dims: dims.slice(0, layout.shape.length), ...(stringDim !== undefined && { stringDim }), layout, attributes });
  }

  return { dimensions, variables, attributes: readAttributes(h5, fileId, '/', '', skipped), skipped, groups };
}
