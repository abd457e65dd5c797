import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHdf5Dataset } from '../../src/readers/hdf5/dataset.js';
import { hdf5ReadCounter } from '../../src/readers/hdf5/io-counter.js';

/**
 * Laziness, asserted by counting bytes read. h5wasm reads host files itself (Emscripten NODERAWFS → node's
 * fs.readSync), so the byte sources' counters never see it: the plugin wraps Emscripten's `FS.read` and counts
 * per path (`Hdf5Dataset.bytesRead`). The kernel's `rchar` (/proc/self/io) is the independent check.
 */

const DATA = '/work/shared/data/iris-test-data/NetCDF';
const COLPEX = join(DATA, 'testing/small_theta_colpex.nc');
const POLAR = join(DATA, 'polar/toa_brightness_temperature.nc');

const hasProcIo = existsSync('/proc/self/io');
/** Bytes this process has read through read(2)-like calls, all files and pipes. */
function rchar(): number {
  return Number(/^rchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))![1]);
}
/** Reading /proc/self/io itself shows up in the next sample (~100 bytes). */
const PROC_IO_SLACK = 1024;

/** `read` runs libhdf5 synchronously before returning its promise: sampling around the call sees only its I/O. */
async function measure<T>(path: string, run: () => Promise<T>): Promise<{ value: T; counted: number; kernel: number }> {
  const counter = hdf5ReadCounter(path);
  const counted0 = counter.bytes;
  const kernel0 = hasProcIo ? rchar() : 0;
  const pending = run();
  const kernel1 = hasProcIo ? rchar() : 0;
  const value = await pending;
  return { value, counted: counter.bytes - counted0, kernel: kernel1 - kernel0 };
}

describe('bytes read from a NetCDF-4 file', () => {
  it('opening it and listing every variable and attribute reads a small fraction of it', async () => {
    const size = statSync(COLPEX).size;
    const counter = hdf5ReadCounter(COLPEX);
    const before = counter.bytes;
    const kernelBefore = hasProcIo ? rchar() : 0;
    const dataset = await openHdf5Dataset(COLPEX);
    const opened = counter.bytes - before;
    const kernel = hasProcIo ? rchar() - kernelBefore : opened;
    expect(dataset.variables.size).toBe(14);
    expect(Object.keys(dataset.variables.get('air_potential_temperature')!.attributes)).toHaveLength(6);
    // 19.7 KB of 1.71 MB: superblock, object headers, attributes; no data.
    expect(opened).toBeGreaterThan(1000);
    expect(opened).toBeLessThan(size / 50);
    expect(kernel).toBeGreaterThanOrEqual(opened);
    expect(dataset.bytesRead.bytes - before).toBe(opened);
    await dataset.close();
  });

  it('reading one 2-D field of a 4-D chunked variable reads one chunk', async () => {
    const dataset = await openHdf5Dataset(COLPEX);
    const v = dataset.variables.get('air_potential_temperature')!;
    const fieldBytes = 83 * 83 * 4;
    const chunkBytes = v.chunks!.reduce((a, b) => a * b, 4);
    const first = await measure(COLPEX, () => v.read({ start: [2, 3, 0, 0], count: [1, 1, 83, 83] }));
    expect(first.value).toHaveLength(83 * 83);
    // libhdf5 reads whole chunks (1×10×83×83 here, uncompressed), plus the chunk index the first time.
    expect(first.counted).toBeGreaterThanOrEqual(fieldBytes);
    expect(first.counted).toBeLessThanOrEqual(chunkBytes + 8192);
    expect(first.counted).toBeLessThan((6 * chunkBytes) / 5);
    if (hasProcIo) {
      expect(first.kernel).toBeGreaterThanOrEqual(first.counted);
      expect(first.kernel).toBeLessThanOrEqual(first.counted + PROC_IO_SLACK);
    }
    const second = await measure(COLPEX, () => v.read({ start: [4, 0, 0, 0], count: [1, 2, 10, 10] }));
    expect(second.counted).toBe(chunkBytes);
    await dataset.close();
  });

  it('reading rows of a contiguous 2-D variable reads those rows, or libhdf5’s 64 KiB sieve buffer', async () => {
    const dataset = await openHdf5Dataset(POLAR);
    const v = dataset.variables.get('data')!;
    expect(v.chunks).toBeUndefined();
    const rows = await measure(POLAR, () => v.read({ start: [10, 0], count: [20, 256] }));
    expect(rows.counted).toBeGreaterThanOrEqual(20 * 256 * 4);
    expect(rows.counted).toBeLessThanOrEqual(64 * 1024);
    const all = await measure(POLAR, () => v.read({ start: [0, 0], count: [160, 256] }));
    expect(all.counted).toBe(160 * 256 * 4);
    if (hasProcIo) {
      expect(all.kernel).toBeGreaterThanOrEqual(all.counted);
      expect(all.kernel).toBeLessThanOrEqual(all.counted + PROC_IO_SLACK);
    }
    await dataset.close();
  });
});
