"""Open a kerchunk reference file with xarray, lazily, and write every numeric variable's values.

usage: read_references.py REFS.json OUT_DIR

Prints JSON: {"lazy": {name: bool}, "variables": {name: {"dtype", "shape", "file"}}, "strings": {name: [...]},
"decoded_times": [...]}.
Values are float64 little-endian, masked and unpacked as xarray decodes them (NaN where masked), with CF valid
ranges applied too (xarray leaves those to the user; netCDF4-python and Iris apply them).
"""
import json
import os
import sys

import numpy as np
import warnings

import xarray as xr

warnings.simplefilter("ignore")


def open_refs(path, **kwargs):
    return xr.open_dataset(
        "reference://",
        engine="zarr",
        backend_kwargs={"consolidated": False, "storage_options": {"fo": path}},
        chunks=None,
        **kwargs,
    )


def main(refs, out_dir):
    decoded = open_refs(refs, decode_times=False)
    # Index coordinates are loaded to build indexes, as xarray always does; everything else must stay lazy.
    lazy = {name: not var._in_memory for name, var in decoded.variables.items() if name not in decoded.indexes}
    raw = open_refs(refs, mask_and_scale=False, decode_times=False)
    result = {"lazy": lazy, "variables": {}, "strings": {}}
    for name, var in decoded.variables.items():
        if var.dtype.kind in "OSU":
            result["strings"][name] = [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in np.asarray(var.values).ravel()]
        if var.dtype.kind not in "iuf":
            continue
        values = np.asarray(var.values, dtype=np.float64)
        attrs = raw[name].attrs
        stored = np.asarray(raw[name].values)
        lo = attrs.get("valid_min")
        hi = attrs.get("valid_max")
        if "valid_range" in attrs:
            lo, hi = attrs["valid_range"]
        invalid = np.zeros(stored.shape, dtype=bool)
        if lo is not None:
            invalid |= stored < np.asarray(lo, dtype=stored.dtype)
        if hi is not None:
            invalid |= stored > np.asarray(hi, dtype=stored.dtype)
        values = np.where(invalid, np.nan, values)
        file = os.path.join(out_dir, name + ".f64")
        values.astype("<f8").tofile(file)
        result["variables"][name] = {"dtype": str(var.dtype), "shape": list(var.shape), "file": file}
    # Times decode too (CF units and calendar reached xarray).
    times = open_refs(refs)
    result["decoded_times"] = [name for name, var in times.variables.items() if var.dtype.kind == "M" or "cftime" in str(type(var.values.flat[0]) if var.size else "")]
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
