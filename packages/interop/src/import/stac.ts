import { ImportError } from '../errors.js';
import { DATACUBE_EXTENSION } from '../stac/export.js';
import { validateStac } from '../stac/validate.js';
import type { PositionedJson } from './json.js';

/** What importing a STAC Item means: its data assets, loaded as sources, named and titled as the Item. */
export interface StacImport {
  name: string;
  title?: string;
  /** The data assets' hrefs, relative ones resolved against the Item's location. */
  sources: string[];
  /** The datacube extension's data variables, to check the loaded cubes against. */
  variables: string[];
}

const DATA_TYPES = /netcdf|x-hdf5?|zarr|^application\/json/i;

/**
 * Check a STAC Item (STAC 1.0.0 and, as it declares it, the datacube extension) with positions, and say what to
 * load: the assets with role `data` (or a NetCDF, HDF5, Zarr or reference-file media type).
 */
export function checkStacItem(json: PositionedJson, file: string | undefined, location: string): { errors: ImportError[]; plan?: StacImport } {
  const item = json.value as { id?: unknown; properties?: Record<string, unknown>; assets?: Record<string, { href?: unknown; type?: unknown; roles?: unknown }>; stac_extensions?: unknown };
  const errors = validateStac(item).map((p) => new ImportError(`${p.schema === 'datacube' ? 'datacube extension: ' : ''}${p.message}`, { file, ...json.at(p.pointer), pointer: p.pointer }));
  if (!Array.isArray(item.stac_extensions) || !item.stac_extensions.includes(DATACUBE_EXTENSION)) {
    errors.push(new ImportError(`the Item does not declare the datacube extension (${DATACUBE_EXTENSION})`, { file, ...json.at('/stac_extensions'), pointer: '/stac_extensions' }));
  }
  const assets = Object.entries(item.assets ?? {}).filter(
    ([, a]) => typeof a?.href === 'string' && ((Array.isArray(a.roles) && a.roles.includes('data')) || (typeof a.type === 'string' && DATA_TYPES.test(a.type))),
  );
  if (errors.length === 0 && assets.length === 0) {
    errors.push(new ImportError('the Item has no data asset (role "data", or a NetCDF, HDF5 or Zarr media type) to import', { file, ...json.at('/assets'), pointer: '/assets' }));
  }
  if (errors.length) return { errors };
  const base = /^[A-Za-z][A-Za-z0-9+.-]+:\/\//.test(location) ? location : undefined;
  const sources = assets.map(([, a]) => {
    const href = a.href as string;
    if (/^[A-Za-z][A-Za-z0-9+.-]+:/.test(href) || href.startsWith('/')) return href.replace(/^file:\/\//, '');
    return base ? new URL(href, base).href : `${location.replace(/[^/]*$/, '')}${href}`;
  });
  const cube = (item.properties?.['cube:variables'] ?? {}) as Record<string, { variable_type?: string }>;
  const id = String(item.id);
  return {
    errors,
    plan: {
      name: /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id) ? id : id.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[._-]+/, '').slice(0, 128) || 'stac-item',
      ...(typeof item.properties?.title === 'string' && { title: item.properties.title }),
      sources,
      variables: Object.entries(cube).filter(([, v]) => v.variable_type !== 'auxiliary').map(([k]) => k),
    },
  };
}
