import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Real NetCDF files from iris-test-data, read as plain bytes. */
export const IRIS = '/work/shared/data/iris-test-data';
/** 6 KB. */
export const SMALL_REL = 'NetCDF/testing/units.nc';
/** 1.7 MB: big enough that reading all of it by mistake shows in the byte counts. */
export const BIG_REL = 'NetCDF/label_and_climate/small_FC_167_mon_19601101.nc';
export const SMALL = join(IRIS, SMALL_REL);
export const BIG = join(IRIS, BIG_REL);
export const SMALL_BYTES = new Uint8Array(readFileSync(SMALL));
export const BIG_BYTES = new Uint8Array(readFileSync(BIG));

/** Fast retries, so retry tests do not wait for production backoff. */
export const FAST_RETRY = { minTimeout: 5, maxTimeout: 20, randomize: false } as const;
