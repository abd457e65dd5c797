"""Arrays in the file (spec §13): scalars, nested lists, regular sequences and base64/zlib bytes, decoded against the
dtype and shape the metadata gives them. Values become NumPy arrays; 64-bit integers stay exact."""
import base64
import math
import re
import zlib

import numpy as np

NUMERIC = ("int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float32", "float64")
INT_RANGE = {
    "int8": (-(2**7), 2**7 - 1),
    "uint8": (0, 2**8 - 1),
    "int16": (-(2**15), 2**15 - 1),
    "uint16": (0, 2**16 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "uint32": (0, 2**32 - 1),
    "int64": (-(2**63), 2**63 - 1),
    "uint64": (0, 2**64 - 1),
}
MAX_SAFE = 2**53 - 1
_DECIMAL = re.compile(r"^[-+]?[0-9]+$")
MAX_INFLATED = 1 << 30


class ArrayProblem(Exception):
    def __init__(self, code, message, subpath=(), count=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.subpath = list(subpath)
        self.count = count


def is_float(dtype):
    return dtype in ("float32", "float64")


def to_number(v, dtype):
    """One stored value of a numeric dtype: floats take any number; integers must be integral and fit."""
    if is_float(dtype):
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return float(v)
        raise ArrayProblem("TYPE", f"must be a number for dtype {dtype}")
    if isinstance(v, bool):
        raise ArrayProblem("TYPE", f"must be an integer for dtype {dtype}")
    if isinstance(v, float):
        if not v.is_integer():
            raise ArrayProblem("TYPE", f"must be an integer for dtype {dtype}, got {_js(v)}")
        if abs(v) > MAX_SAFE:
            raise ArrayProblem("VALUE_RANGE", f"{_js(v)} is beyond 2^53: write integers this large as quoted strings")
        big = int(v)
    elif isinstance(v, int):
        if abs(v) > MAX_SAFE:
            raise ArrayProblem("VALUE_RANGE", f"{v} is beyond 2^53: write integers this large as quoted strings")
        big = v
    elif isinstance(v, str) and _DECIMAL.match(v):
        big = int(v)
    else:
        raise ArrayProblem("TYPE", f"must be an integer for dtype {dtype}")
    lo, hi = INT_RANGE[dtype]
    if big < lo or big > hi:
        raise ArrayProblem("VALUE_RANGE", f"{big} does not fit {dtype}")
    return big


def _js(v):
    """A number as JavaScript prints it (for messages)."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e21:
        return str(int(v))
    return repr(v)


def _flatten(items, out):
    for item in items:
        if isinstance(item, list):
            _flatten(item, out)
        else:
            out.append(item)


def _resolver(shape):
    unknown = shape.index(-1) if -1 in shape else -1
    known = int(np.prod([n for i, n in enumerate(shape) if i != unknown])) if shape else 1

    def resolve(count):
        if unknown < 0:
            if count != known:
                raise ArrayProblem("ARRAY_LENGTH", f"has {count} values but its shape [{', '.join(map(str, shape))}] needs {known}", count=count)
            return list(shape)
        if known == 0 or count % known != 0:
            raise ArrayProblem("ARRAY_LENGTH", f"has {count} values, not a multiple of {known}", count=count)
        s = list(shape)
        s[unknown] = count // known
        return s

    return resolve


def numpy_dtype(dtype):
    return np.dtype(dtype) if dtype != "string" else np.dtype(object)


def _convert(flat, dtype, shape):
    if dtype == "string":
        for i, v in enumerate(flat):
            if not isinstance(v, str):
                raise ArrayProblem("TYPE", f"value {i} must be a string for dtype string", [i])
        return {"kind": "inline", "dtype": dtype, "shape": shape, "values": list(flat)}
    values = []
    for i, v in enumerate(flat):
        try:
            values.append(to_number(v, dtype))
        except ArrayProblem as p:
            raise ArrayProblem(p.code, f"value {i} {p.message}", [i])
    arr = np.array(values, dtype=np.float64 if is_float(dtype) else object).astype(dtype) if values else np.zeros(0, dtype=dtype)
    return {"kind": "inline", "dtype": dtype, "shape": shape, "values": arr}


def _regular(o, dtype, shape, resolve):
    if dtype == "string":
        raise ArrayProblem("TYPE", "a regular sequence needs a numeric dtype")
    start, step, count = o.get("start"), o.get("step"), o.get("count")
    starts = start if isinstance(start, list) else [start]
    num = lambda x: isinstance(x, (int, float)) and not isinstance(x, bool)
    if not num(step) or not isinstance(count, int) or isinstance(count, bool) or count < 1 or not all(num(s) for s in starts):
        raise ArrayProblem("TYPE", "needs numeric start and step and an integer count")
    if not math.isfinite(step) or not all(math.isfinite(s) for s in starts):
        raise ArrayProblem("VALUE_RANGE", "start and step must be finite")
    s = resolve(count * len(starts))
    if (len(shape) != 2 or s[1] != len(starts)) if isinstance(start, list) else (len(s) > 1 and s[1] != 1):
        raise ArrayProblem("ARRAY_LENGTH", f"a start of {len(starts)} value(s) does not fit the shape [{', '.join(map(str, s))}]", ["start"])
    if not is_float(dtype):
        if not float(step).is_integer() or not all(float(x).is_integer() for x in starts):
            raise ArrayProblem("TYPE", f"an integer ({dtype}) sequence needs an integer start and step")
        for x in starts + [x + (count - 1) * step for x in starts]:
            try:
                to_number(x, dtype)
            except ArrayProblem as p:
                raise ArrayProblem(p.code, f"generates a value that {p.message}")
    return {"kind": "regular", "dtype": dtype, "shape": s if isinstance(start, list) else [count], "start": [float(x) for x in starts], "step": float(step)}


def regular_values(r):
    """The values of a regular sequence (spec §13.3): s[j] + i × d in float64, then rounded to the dtype."""
    count = r["shape"][0]
    i = np.arange(count, dtype=np.float64)[:, None]
    x = np.asarray(r["start"], dtype=np.float64)[None, :] + i * np.float64(r["step"])
    if len(r["shape"]) == 1:
        x = x[:, 0]
    dtype = r["dtype"]
    if is_float(dtype):
        return x.astype(dtype)
    # Halves towards +∞, as JavaScript's Math.round.
    return np.floor(x + 0.5).astype(dtype)


def _encoded(o, dtype, resolve):
    if dtype == "string":
        raise ArrayProblem("TYPE", "base64 encoding needs a numeric dtype")
    data = o.get("data")
    if not isinstance(data, str):
        raise ArrayProblem("TYPE", "data must be a base64 string", ["data"])
    raw = base64.b64decode(data)
    if o.get("encoding") == "zlib+base64":
        try:
            d = zlib.decompressobj()
            raw = d.decompress(raw, MAX_INFLATED)
            if d.unconsumed_tail:
                raise ArrayProblem("ARRAY_DECODE", "zlib data inflates beyond 1 GiB", ["data"])
        except zlib.error as e:
            raise ArrayProblem("ARRAY_DECODE", f"zlib data is corrupt ({e})", ["data"])
    size = np.dtype(dtype).itemsize
    if len(raw) % size != 0:
        raise ArrayProblem("ARRAY_DECODE", f"{len(raw)} bytes is not a whole number of {dtype} values", ["data"])
    s = resolve(len(raw) // size)
    return {"kind": "inline", "dtype": dtype, "shape": s, "values": np.frombuffer(raw, dtype=np.dtype(dtype).newbyteorder("<")).astype(dtype)}


def decode_array(raw, dtype, shape):
    """An inline array from its YAML form: {kind, dtype, shape, values} or a regular {kind, dtype, shape, start, step}."""
    resolve = _resolver(shape)
    if isinstance(raw, list):
        flat = []
        _flatten(raw, flat)
        return _convert(flat, dtype, resolve(len(flat)))
    if isinstance(raw, dict):
        if "encoding" in raw:
            return _encoded(raw, dtype, resolve)
        if "start" in raw:
            return _regular(raw, dtype, shape, resolve)
        raise ArrayProblem("TYPE", "is an object that is neither {start, step, count} nor {encoding, data}")
    return _convert([raw], dtype, resolve(1))


def infer_attribute_dtype(values):
    """The typed-attribute rule (spec §7): int32, int64 or float64 by the values."""
    if any(isinstance(v, float) and (not math.isfinite(v) or not v.is_integer()) for v in values):
        return "float64"
    if all(-(2**31) <= v <= 2**31 - 1 for v in values):
        return "int32"
    return "int64"
