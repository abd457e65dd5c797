import { loadPublication } from '@cubemark/cube';
import type { SourceLoader } from './loader.js';

/**
 * The default loader: @cubemark/cube's CF loader (Iris's NetCDF load rules, for NetCDF, NetCDF-4/HDF5 and Zarr;
 * Iris's PP load rules for UM PP files and fieldsfiles; local or remote). Reads headers and coordinate values
 * only; data stays lazy. Its warnings (Iris's load warnings) are kept with the publication as
 * `CODE (variable): message`.
 */
export const cfLoader: SourceLoader = async (request) => {
  const { publication, warnings } = await loadPublication([...request.uris], {
    name: request.name,
    base: request.base,
    pool: request.pool,
    signal: request.signal,
  });
  if (request.title !== undefined) publication.title = request.title;
  return { publication, warnings: warnings.map((w) => `${w.code}${w.variable ? ` (${w.variable})` : ''}: ${w.message}`) };
};
