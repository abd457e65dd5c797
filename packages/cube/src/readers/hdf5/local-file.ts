import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { uriScheme } from '../../bytes/uri.js';
import { ByteSourceError } from '../../errors.js';
import { Hdf5FormatError } from './errors.js';
import { describeNonHdf5, hasSignatureAt, HDF5_SIGNATURE, signatureOffsets } from './sniff.js';

/**
 * The host path h5wasm should open for `uri`: a plain path (resolved against the working directory) or a `file:`
 * URI. Anything else is refused: h5wasm reads with synchronous POSIX calls, which no S3 or HTTP client offers.
 */
export function localPath(uri: string): string {
  const scheme = uriScheme(uri);
  if (scheme === 'file') {
    try {
      return fileURLToPath(uri);
    } catch (error) {
      throw new ByteSourceError('BAD_URI', uri, 'not a valid file: URI (use file:///absolute/path)', { cause: error });
    }
  }
  if (scheme !== undefined) {
    throw new Hdf5FormatError(
      'HDF5_REMOTE_UNSUPPORTED',
      uri,
      `reading NetCDF-4/HDF5 over ${scheme}:// is not supported yet (only local paths and file: URIs). ` +
        'Copy the file to local disk, or convert it to Zarr (e.g. xarray to_zarr) or to NetCDF classic ' +
        '(nccopy -k nc7 in.nc out.nc), which cubemark reads from S3 and HTTP by byte range',
    );
  }
  return resolve(uri);
}

/** What we learn from a file before handing it to libhdf5. */
export interface LocalFileCheck {
  /** Changes when the file is replaced or rewritten, so a stale handle is not reused. */
  identity: string;
  size: number;
  /** Our own reads (the signature search), to add to the file's byte counter. */
  requests: number;
  bytes: number;
}

/**
 * Check that `path` is a readable regular file carrying the HDF5 signature, so that libhdf5 is only ever handed
 * files it can open and the user gets NOT_FOUND / HDF5_BAD_MAGIC naming the path instead of an HDF5 error stack.
 */
export async function checkLocalHdf5File(path: string, uri: string): Promise<LocalFileCheck> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw openError(error, path, uri);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) {
      throw new Hdf5FormatError('HDF5_BAD_MAGIC', uri, `${path} is not a regular file (a directory?); a NetCDF-4/HDF5 file was expected`);
    }
    let requests = 0;
    let bytes = 0;
    let head = new Uint8Array(0);
    for (const at of signatureOffsets(st.size)) {
      const buf = new Uint8Array(HDF5_SIGNATURE.length);
      const { bytesRead } = await handle.read(buf, 0, buf.length, at);
      requests += 1;
      bytes += bytesRead;
      if (at === 0) head = buf.subarray(0, bytesRead);
      if (hasSignatureAt(buf, 0)) {
        return { identity: `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`, size: st.size, requests, bytes };
      }
    }
    throw new Hdf5FormatError(
      'HDF5_BAD_MAGIC',
      uri,
      `${path} has no HDF5 signature (\\x89HDF\\r\\n\\x1a\\n) at byte 0 or after a user block; ${describeNonHdf5(head)}`,
    );
  } finally {
    await handle.close();
  }
}

function openError(error: unknown, path: string, uri: string): ByteSourceError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new ByteSourceError('NOT_FOUND', uri, `no such file: ${path}; check the path (relative paths resolve against ${process.cwd()})`, { cause: error });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new ByteSourceError('ACCESS_DENIED', uri, `permission denied reading ${path}`, { cause: error });
  }
  return new ByteSourceError('READ_FAILED', uri, `could not open ${path} (${code ?? String(error)})`, { cause: error });
}
