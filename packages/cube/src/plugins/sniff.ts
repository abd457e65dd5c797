/**
 * Magic-number tests for built-in formats whose plugins are expensive to import, so detecting a format does not
 * import them (the HDF5 plugin pulls in a WebAssembly build of libhdf5).
 */

function startsWith(head: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (head.length < at + magic.length) return false;
  return magic.every((b, i) => head[at + i] === b);
}

const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** HDF5 (so NetCDF-4): the signature sits at 0 or, after a user block, at 512, 1024, 2048, ... */
export function sniffHdf5(head: Uint8Array): boolean {
  for (let at = 0; at + HDF5_MAGIC.length <= head.length; at = at === 0 ? 512 : at * 2) {
    if (startsWith(head, HDF5_MAGIC, at)) return true;
  }
  return false;
}
