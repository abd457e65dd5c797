#!/usr/bin/env python3
"""Seeded NetCDF-4/HDF5 files for the kerchunk tests (Debian's python3-netcdf4 and python3-h5py).

usage: make_hdf5.py OUT_DIR

- netcdf4.nc (netCDF4-python, netCDF-C's v1 B-tree index; what cube's test/hdf5/fixtures/netcdf4.py `write_common`
  writes, then more): an unlimited time axis with a record never written (fill), deflate+shuffle int16 with
  _FillValue and packing, deflate float32, a big-endian deflated float64, contiguous variables (netCDF-C's default
  without filters), int64, uint8, variable-length strings, char.
- indexes.h5 (h5py, libver latest): every chunk index (single, implicit, fixed array paged or not, extensible
  array, v2 B-tree) with and without filters, a sparse dataset (fill), partial edge chunks, compact, contiguous,
  scalar, fixed-length strings, big-endian shuffled data.
- fletcher32.h5: a deflated dataset with Fletcher-32 checksums (numcodecs 0.11 has no codec for them).
"""
import os
import sys

import h5py
import netCDF4
import numpy as np

# The variables cube's netCDF4-python fixture writes too (time, y, x, temp, rain, station, code, flags).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../cube/test/hdf5/fixtures'))
from netcdf4 import write_common  # noqa: E402

rng = np.random.default_rng(20261207)


def netcdf4_file(path):
    with netCDF4.Dataset(path, 'w', format='NETCDF4') as ds:
        write_common(ds, rng, 'kerchunk of NetCDF-4')
        ds['time'].calendar = 'gregorian'
        big = ds.createVariable('pressure', '>f8', ('time', 'y', 'x'), zlib=True, shuffle=True, endian='big', chunksizes=(2, 5, 7))
        big.units = 'Pa'
        big.standard_name = 'air_pressure'
        big[:] = 1e5 + rng.normal(0, 300, (4, 5, 7))
        orog = ds.createVariable('orog', 'f4', ('y', 'x'))  # contiguous
        orog.units = 'm'
        orog.standard_name = 'surface_altitude'
        orog[:] = rng.uniform(0, 900, (5, 7)).astype('f4')
        count = ds.createVariable('count', 'i8', ('x',))
        count.units = '1'
        count[:] = np.array([-(2**62), 0, 2**62 + 1, 5, 6, 7, 8], dtype='i8')
        ds['flags'].units = '1'


def numeric(dtype, shape):
    dt = np.dtype(dtype)
    if dt.kind == 'f':
        return (rng.standard_normal(shape) * 100).astype(dt)
    return rng.integers(-30000, 30000, size=shape).astype(dt)


def indexes_file(path):
    with h5py.File(path, 'w', libver=('latest', 'latest')) as f:
        data = numeric('<f4', (40, 50))
        f.create_dataset('single', data=data, chunks=(40, 50))
        f.create_dataset('single_filtered', data=data, chunks=(40, 50), compression='gzip')
        f.create_dataset('fixed_array', data=data, chunks=(8, 10))
        f.create_dataset('fixed_array_filtered', data=data, chunks=(8, 10), compression='gzip', shuffle=True)
        big = numeric('<i2', (200, 300))
        f.create_dataset('fixed_array_paged', data=big, chunks=(4, 5), compression='gzip')
        f.create_dataset('extensible_array', data=data, chunks=(8, 10), maxshape=(None, 50))
        f.create_dataset('extensible_array_filtered', data=data, chunks=(8, 10), maxshape=(None, 50), compression='gzip', shuffle=True)
        f.create_dataset('extensible_array_long', data=numeric('<i4', (1500, 4)), chunks=(1, 4), maxshape=(None, 4), compression='gzip')
        f.create_dataset('btree_v2', data=data, chunks=(8, 10), maxshape=(None, None))
        f.create_dataset('btree_v2_filtered', data=big, chunks=(4, 5), maxshape=(None, None), compression='gzip')
        sparse = f.create_dataset('sparse', shape=(100, 10), dtype='<i4', chunks=(2, 10), maxshape=(None, 10), fillvalue=99)
        sparse[50:52] = 1
        f.create_dataset('edges', data=numeric('<i4', (17, 23)), chunks=(5, 7), compression='gzip')
        f.create_dataset('big_endian', data=numeric('>f8', (20, 30)), chunks=(6, 7), compression='gzip', shuffle=True)
        f.create_dataset('contiguous', data=numeric('<f8', (30, 20)))
        f.create_dataset('unwritten', shape=(6,), dtype='<f8', fillvalue=2.5)
        f.create_dataset('scalar', data=np.float64(3.25))
        f.create_dataset('labels', data=np.array([b'one', b'two', b'three', b''], dtype='S5'))
        # Implicit index: fixed shape, no filter, space allocated early (low-level API).
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_chunk((4, 5))
        dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)
        ds = h5py.Dataset(h5py.h5d.create(f.id, b'implicit', h5py.h5t.STD_I32LE, h5py.h5s.create_simple((12, 10)), dcpl=dcpl))
        ds[...] = numeric('<i4', (12, 10))
        # Compact: the values inside the object header.
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_layout(h5py.h5d.COMPACT)
        ds = h5py.Dataset(h5py.h5d.create(f.id, b'compact', h5py.h5t.STD_I16BE, h5py.h5s.create_simple((4, 5)), dcpl=dcpl))
        ds[...] = numeric('>i2', (4, 5))


def fletcher32_file(path):
    with h5py.File(path, 'w') as f:
        f.create_dataset('checked', data=numeric('<f4', (10, 12)), chunks=(5, 6), compression='gzip', fletcher32=True)


def main(out):
    os.makedirs(out, exist_ok=True)
    netcdf4_file(os.path.join(out, 'netcdf4.nc'))
    indexes_file(os.path.join(out, 'indexes.h5'))
    fletcher32_file(os.path.join(out, 'fletcher32.h5'))


if __name__ == '__main__':
    main(sys.argv[1])
