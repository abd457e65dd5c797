#!/usr/bin/env python3
"""Writes numpy-cases.json: how NumPy prints float scalars (str) and 1-D arrays (repr, whitespace squashed as Iris does).

Regenerate with `/usr/bin/python3 packages/format/test/summary/numpy-cases.py` (Debian: python3-numpy).
"""
import json
import os
import random
import re
import warnings

import numpy as np

warnings.simplefilter("ignore")  # overflow casting huge doubles to float32 gives inf, which is a case too
random.seed(20240602)


def squash(text):
    return re.sub("[ \t\n]+", " ", text)


def encode(values):
    # JSON has no NaN or infinities: spell them as strings.
    return [v if np.isfinite(v) else str(v) for v in values]


SPECIALS = [0.0, -0.0, 1.0, 0.1, 1e-4, 9.9999e-5, 1e16, 9999999999999998.0, 1e15, 123456789.123, 2.2e-44, 1.5e20, -3.25,
            1000.0, 6477.0, -28083.0, 1 / 3, 1e-5, 5e-324, 1.7976931348623157e308, float("nan"), float("inf"),
            -float("inf"), 100.0, 273.15, 1e22, 12345678.9, 199525.625, 0.001953125]
ARRAYS = [[1.0, 2.0], [0.5, 1.0], [1e-5, 1.5e20], [1e-5, 1e20], [-1.0, 2.5, float("nan")], [0.1, 0.2, 0.1 + 0.2],
          [1 / 3, 2 / 3], [float("inf"), 1.0], [0.0], [1e8, 1.0], [123456.789, 0.001], [-1e-9, 1.0], [float("nan")],
          [1.0, 1001.0], [1.0, 999.0], [0.001953125, 1.0], [0.125, 0.0078125, 3.814697265625e-06], [2.5, -0.0]]

cases = []
for dtype in ["float32", "float64"]:
    values = SPECIALS + [random.uniform(-1e6, 1e6) for _ in range(60)] + [10 ** random.uniform(-30, 30) for _ in range(60)]
    for v in values:
        x = np.dtype(dtype).type(v)
        cases.append({"kind": "scalar", "dtype": dtype, "values": encode([float(x)]), "text": str(x)})
    arrays = ARRAYS + [[random.uniform(-100, 100) for _ in range(random.randint(1, 6))] for _ in range(30)]
    arrays += [[10 ** random.uniform(-12, 12) for _ in range(3)] for _ in range(30)]
    for a in arrays:
        x = np.array(a, dtype=dtype)
        cases.append({"kind": "array", "dtype": dtype, "values": encode([float(t) for t in x]), "text": squash(repr(x))})
    x = np.array([], dtype=dtype)
    cases.append({"kind": "array", "dtype": dtype, "values": [], "text": squash(repr(x))})
for dtype in ["int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64"]:
    for a in ([1, 2, 3], [-1, 10, 100], [5], [0, 1], [-128, 127]):
        if dtype.startswith("u"):
            a = [abs(v) for v in a]
        x = np.array(a, dtype=dtype)
        cases.append({"kind": "array", "dtype": dtype, "values": [int(t) for t in x], "text": squash(repr(x))})
x = np.arange(1001, dtype="int32")
cases.append({"kind": "array", "dtype": "int32", "values": [int(t) for t in x], "text": squash(repr(x))})
x = np.linspace(0, 1, 1001)
cases.append({"kind": "array", "dtype": "float64", "values": [float(t) for t in x], "text": squash(repr(x))})

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "numpy-cases.json")
with open(out, "w") as f:
    f.write('{"numpy": "%s", "cases": [\n' % np.__version__ + ",\n".join(json.dumps(c) for c in cases) + "\n]}\n")
print(f"{len(cases)} cases -> {out}")
