/** The HDF5 format signature, `\x89HDF\r\n\x1a\n`. */
export const HDF5_SIGNATURE: readonly number[] = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Offsets the signature may sit at: 0, or after a user block of 512, 1024, 2048, ... bytes (the HDF5 spec's only
 * allowed superblock positions), up to `size`.
 */
export function* signatureOffsets(size: number): Generator<number> {
  for (let at = 0; at + HDF5_SIGNATURE.length <= size; at = at === 0 ? 512 : at * 2) yield at;
}

export function hasSignatureAt(bytes: Uint8Array, at: number): boolean {
  return at + HDF5_SIGNATURE.length <= bytes.length && HDF5_SIGNATURE.every((b, i) => bytes[at + i] === b);
}

/** Where the HDF5 signature is within `head`, or `undefined` (a user block longer than `head` is not seen). */
export function hdf5SignatureOffset(head: Uint8Array): number | undefined {
  for (const at of signatureOffsets(head.length)) if (hasSignatureAt(head, at)) return at;
  return undefined;
}

/** What a file that is not HDF5 looks like, to say so in an error. */
export function describeNonHdf5(head: Uint8Array): string {
  if (head[0] === 0x43 && head[1] === 0x44 && head[2] === 0x46 && [1, 2, 5].includes(head[3])) {
    return `it is a NetCDF classic file (CDF-${head[3]}): open it with the 'netcdf' plugin`;
  }
  if (head.length === 0) return 'it is empty';
  return 'it is not a NetCDF-4/HDF5 file';
}
