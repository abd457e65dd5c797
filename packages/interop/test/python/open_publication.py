"""usage: open_publication.py PUBLICATION.cube.md — cubemark.open_dataset (references made by the `cubemark`
command that CUBEMARK_CLI names), and cubemark.open_iris. Prints JSON: each numeric variable's values (NaN as
null), whether each is lazy before computing, and what open_iris said."""
import json
import math
import sys
import warnings

import numpy as np

import cubemark

warnings.simplefilter("ignore")


def main(path):
    ds = cubemark.open_dataset(path)
    lazy = {v: not ds[v].variable._in_memory for v in ds.data_vars}
    values = {}
    for v in ds.data_vars:
        if ds[v].dtype.kind in "iuf":
            values[v] = [None if isinstance(x, float) and math.isnan(x) else x for x in np.asarray(ds[v].values, dtype=float).ravel().tolist()]
    try:
        cubemark.open_iris(path)
        iris = "opened"
    except ImportError as e:
        iris = str(e)
    print(json.dumps({"name": ds.encoding["cubemark"]["name"], "lazy": lazy, "values": values, "iris": iris}))


if __name__ == "__main__":
    main(sys.argv[1])
