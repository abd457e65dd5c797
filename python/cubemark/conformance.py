"""Read files and print what the reader makes of them as JSON, for comparison with the TypeScript reader:

    python3 -m cubemark.conformance FILE...

One object per file: ``{"file", "errors": [{code, line, column, pointer}], "publication": <normal form> | null,
"stored_inline": {pointer: {dtype, shape, values, mask}}}``, the last the decoded values of every array whose stored
values are held inline (spec §14.4), by the JSON pointer of the array in the model. The normal form writes arrays'
values as JSON (NaN and infinities as strings, 64-bit integers as decimal strings)."""
import json
import math
import sys

import numpy as np

from .reader import parse
from .values import values


def _number(x, dtype):
    if dtype in ("int64", "uint64"):
        return str(int(x))
    if dtype.startswith("int") or dtype.startswith("uint"):
        return int(x)
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def normal(value, dtype=None):
    """The JSON normal form of a model value."""
    if isinstance(value, dict):
        if "dtype" in value and "values" in value and "kind" not in value:
            return {"dtype": value["dtype"], "values": [_number(x, value["dtype"]) for x in np.asarray(value["values"]).ravel()]}
        if value.get("kind") == "inline":
            d = value["dtype"]
            values = list(value["values"]) if d == "string" else [_number(x, d) for x in np.asarray(value["values"]).ravel()]
            return {"kind": "inline", "dtype": d, "shape": list(value["shape"]), "values": values}
        return {k: normal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normal(v) for v in value]
    if isinstance(value, float):
        return _number(value, "float64")
    return value


def stored_inline(value, at="", out=None):
    """The decoded values and mask (0/1) of every ``format: inline`` reference in a model, by pointer."""
    out = {} if out is None else out
    if isinstance(value, dict):
        if value.get("kind") == "source" and value.get("format") == "inline":
            v = values(value)
            d = value["dtype"]
            flat = np.ma.getdata(v).ravel()
            out[at] = {
                "dtype": d,
                "shape": list(v.shape),
                "values": list(flat) if d == "string" else [_number(x, d) for x in flat],
                "mask": [int(m) for m in np.ma.getmaskarray(v).ravel()],
            }
            return out
        for k, x in value.items():
            stored_inline(x, f"{at}/{str(k).replace('~', '~0').replace('/', '~1')}", out)
    elif isinstance(value, list):
        for i, x in enumerate(value):
            stored_inline(x, f"{at}/{i}", out)
    return out


def main(paths):
    out = []
    for path in paths:
        with open(path, "rb") as f:
            r = parse(f.read(), file=path)
        out.append({
            "file": path,
            "errors": [{"code": e.code, "line": e.line, "column": e.column, "pointer": e.pointer} for e in r.errors],
            "publication": normal(r.publication) if r.publication is not None else None,
            "stored_inline": stored_inline(r.publication) if r.publication is not None else {},
        })
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
