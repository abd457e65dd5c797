#!/usr/bin/env python3
"""A deflated, chunked NetCDF-4 file for bench/hdf5 (netCDF4-python, Debian's python3-netcdf4): `tas(time, y, x)`,
37 x 810 x 621 float32 (the UKV grid), smooth fields plus a little seeded noise, zlib level 1 with shuffle,
chunks of 1 x 270 x 207 (9 per field). Run: big-field.py OUT.nc"""
import sys

import netCDF4
import numpy as np

nt, ny, nx = 37, 810, 621
rng = np.random.default_rng(20261207)
with netCDF4.Dataset(sys.argv[1], 'w', format='NETCDF4') as ds:
    ds.createDimension('time', None)
    ds.createDimension('y', ny)
    ds.createDimension('x', nx)
    t = ds.createVariable('time', 'f8', ('time',))
    t.units = 'hours since 2026-12-07 00:00:00'
    t.standard_name = 'time'
    t[:] = np.arange(nt, dtype='f8')
    y = ds.createVariable('y', 'f4', ('y',))
    y[:] = np.linspace(-4, 4, ny, dtype='f4')
    x = ds.createVariable('x', 'f4', ('x',))
    x[:] = np.linspace(-5, 3, nx, dtype='f4')
    tas = ds.createVariable('tas', 'f4', ('time', 'y', 'x'), zlib=True, complevel=1, shuffle=True, chunksizes=(1, 270, 207))
    tas.standard_name = 'air_temperature'
    tas.units = 'K'
    yy, xx = np.meshgrid(np.linspace(0, 6, ny), np.linspace(0, 5, nx), indexing='ij')
    for i in range(nt):
        field = 280 + 10 * np.sin(yy + i / 6) * np.cos(xx - i / 9) + rng.normal(0, 0.05, (ny, nx))
        tas[i] = np.round(field, 2).astype('f4')
