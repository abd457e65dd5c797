// How the writer's steps refuse a spec, and the netCDF name rule they all apply: a leaf header.ts and layout.ts share.
import type { NetcdfWriteErrorCode } from './spec.js';

/** How the writer's steps refuse a spec: throws a `NetcdfWriteError` for the file being written. */
export type Fail = (code: NetcdfWriteErrorCode, message: string) => never;

export function checkName(name: string, what: string, fail: Fail): void {
  // The netCDF library refuses empty names, '/', and control characters (names are NFC-normalised UTF-8).
  // eslint-disable-next-line no-control-regex
  if (typeof name !== 'string' || name === '' || name.includes('/') || /[\x00-\x1f\x7f]/.test(name) || /\s$/.test(name)) {
    fail('NETCDF_WRITE_INVALID_SPEC', `invalid ${what} name ${JSON.stringify(name)}`);
  }
}
