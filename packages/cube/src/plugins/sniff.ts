/**
 * Magic-number tests for the built-in formats, kept apart from the plugins so detecting a format never imports
 * a backend (the HDF5 plugin pulls in a WebAssembly build of libhdf5).
 */

function startsWith(head: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (head.length < at + magic.length) return false;
  return magic.every((b, i) => head[at + i] === b);
}

/** NetCDF classic (`CDF\x01`), 64-bit offset (`CDF\x02`) and CDF-5 (`CDF\x05`). */
export function sniffNetcdfClassic(head: Uint8Array): boolean {
  return startsWith(head, [0x43, 0x44, 0x46]) && [1, 2, 5].includes(head[3]);
}

const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** HDF5 (so NetCDF-4): the signature sits at 0 or, after a user block, at 512, 1024, 2048, ... */
export function sniffHdf5(head: Uint8Array): boolean {
  for (let at = 0; at + HDF5_MAGIC.length <= head.length; at = at === 0 ? 512 : at * 2) {
    if (startsWith(head, HDF5_MAGIC, at)) return true;
  }
  return false;
}

/**
 * Zarr stores are directories, so the URI decides (`….zarr`, `….zarr/`, or a path inside one); a head holding
 * Zarr metadata JSON (`.zarray`, `.zgroup`, `zarr.json`) also counts.
 */
export function sniffZarr(head: Uint8Array, uri: string): boolean {
  if (/\.zarr(\/|$)/i.test(uri) || /(^|\/)(\.zarray|\.zgroup|\.zattrs|zarr\.json)$/.test(uri)) return true;
  if (head[0] !== 0x7b) return false;
  const text = new TextDecoder().decode(head.subarray(0, 512));
  return /"(zarr_format|node_type)"\s*:/.test(text);
}
