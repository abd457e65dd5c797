"""Test oracle: what netCDF4-python (Debian's python3-netcdf4) reads from each variable of a NetCDF file, as JSON:
{variable: {"dtype": ..., "values": [number or null (masked), ...]}}, values as Python floats' repr so float32 values
round-trip exactly (repr of the float32 value widened to float64). Usage: python3 netcdf4-oracle.py FILE."""
import json
import math
import sys
import warnings

import netCDF4

warnings.simplefilter("ignore")
out = {}
with netCDF4.Dataset(sys.argv[1]) as ds:
    for name, var in ds.variables.items():
        data = var[:]
        mask = data.mask if hasattr(data, "mask") and data.mask is not False else None
        values = []
        for i, v in enumerate(data.data.ravel() if hasattr(data, "data") else data.ravel()):
            masked = mask is not None and bool(mask.ravel()[i]) if mask is not None and mask.shape != () else bool(mask)
            if masked:
                values.append(None)
            else:
                f = float(v)
                values.append("NaN" if math.isnan(f) else f)
        out[name] = {"dtype": str(data.dtype), "values": values}
json.dump(out, sys.stdout)
