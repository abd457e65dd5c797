import type * as H5 from 'h5wasm/node';
import { countReads, type RawFs } from './io-counter.js';

export type H5Module = typeof H5.Module;
export type H5File = H5.File;
export type H5Metadata = H5.Metadata;

/** The parts of h5wasm this plugin uses. */
export interface H5wasm {
  readonly File: typeof H5.File;
  readonly Dataset: typeof H5.Dataset;
  readonly Attribute: typeof H5.Attribute;
  readonly Module: H5Module;
}

let loading: Promise<H5wasm> | undefined;

/**
 * h5wasm, imported on first use only: its import compiles a WebAssembly libhdf5 (~140 ms, ~80 MB under node), which
 * nobody opening Zarr or NetCDF classic should pay for.
 *
 * Two process-wide settings are made once: libhdf5 errors throw (h5wasm's default prints `HDF5-DIAG` to stderr
 * and carries on, so a failed chunk decode would hand back uninitialised memory), and every read h5wasm makes
 * from a host file is counted (see `hdf5ReadCounter`).
 */
export function loadH5wasm(): Promise<H5wasm> {
  loading ??= (async () => {
    const h5 = await import('h5wasm/node');
    const Module = await h5.ready;
    Module.activate_throwing_error_handler();
    countReads(Module.FS as unknown as RawFs);
    return { File: h5.File, Dataset: h5.Dataset, Attribute: h5.Attribute, Module };
  })().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
