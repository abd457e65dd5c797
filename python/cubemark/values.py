"""The values of the arrays a publication holds itself: inline arrays and regular sequences (spec §13), and stored
values held inline (``format: inline``, §14.4) decoded by §14.2 — masked by their fill value, missing values and
valid range, compared as stored values, then unpacked by ``scale_factor`` and ``add_offset`` in the array's dtype.
Arrays in other sources are read through ``cubemark.open_dataset``."""
import numpy as np

from .arrays import is_float, numpy_dtype, regular_values, to_number


def values(array):
    """The values of a model array: a NumPy array for inline and regular arrays, a ``numpy.ma.MaskedArray`` for stored
    values held inline (and combinations of them). Raises ``ValueError`` for data in a source."""
    kind = array["kind"]
    if kind == "inline":
        return np.asarray(array["values"], dtype=numpy_dtype(array["dtype"])).reshape(array["shape"])
    if kind == "regular":
        return regular_values(array).reshape(array["shape"])
    if kind == "source" and array["format"] == "inline":
        return _stored_inline(array)
    if kind == "combined":
        parts = [values(p) for p in array["parts"]]
        if array["mode"] == "stack":
            return np.ma.stack([np.ma.asarray(p) for p in parts], axis=array["axis"])
        return np.ma.concatenate([np.ma.asarray(p) for p in parts], axis=array["axis"])
    raise ValueError(f"variable '{array['variable']}' is in a {array['format']} source: read it with cubemark.open_dataset")


def _stored_inline(ref):
    dtype, stored = ref["dtype"], ref.get("stored_dtype") or ref["dtype"]
    raw = (ref.get("options") or {}).get("values")
    if stored == "string" or dtype == "string":
        # Text has no fill value or packing: the values are as written.
        data = np.array([str(v) for v in raw], dtype=object).reshape(ref["shape"])
        return np.ma.masked_array(data, mask=np.zeros(data.shape, dtype=bool))
    # 1. Read: each written value as the stored dtype (a float32 is the float32 nearest to the number written).
    if is_float(stored):
        v = np.array([to_number(x, stored) for x in raw], dtype=np.float64).astype(stored)
    else:
        v = np.array([to_number(x, stored) for x in raw], dtype=object).astype(stored)
    v = v.reshape(ref["shape"])
    # 2. Mask, comparing stored values with the thresholds in the stored dtype (so float32's fill is the float32
    # nearest to it). Integer thresholds are whole numbers (the reader checked them); they are compared as float64,
    # as the model holds them.
    as_stored = (lambda t: np.float32(t)) if stored == "float32" else (lambda t: np.float64(t))
    x = v if is_float(stored) else v.astype(np.float64)
    mask = np.zeros(v.shape, dtype=bool)
    for t in ([ref["fill_value"]] if "fill_value" in ref else []) + list(ref.get("missing_value") or []):
        t = as_stored(t)
        mask |= np.isnan(x) if np.isnan(t) else x == t
    with np.errstate(invalid="ignore"):
        if "valid_min" in ref:
            mask |= x < as_stored(ref["valid_min"])
        if "valid_max" in ref:
            mask |= x > as_stored(ref["valid_max"])
    # 3. Unpack in the array's dtype, one step per attribute present.
    out = _unpack(v, ref, dtype)
    if is_float(dtype):
        out = np.where(mask, np.array(np.nan, dtype=dtype), out)
    return np.ma.masked_array(out, mask=mask)


def _unpack(v, ref, dtype):
    scale, offset = ref.get("scale_factor"), ref.get("add_offset")
    if scale is None and offset is None:
        return v.astype(dtype)
    if dtype == "float32":
        # NumPy's float32 arithmetic: operands rounded to float32, each step's result a float32.
        x = v.astype(np.float32)
        if scale is not None:
            x = x * np.float32(scale)
        if offset is not None:
            x = x + np.float32(offset)
        return x
    x = v.astype(np.float64)
    if scale is not None:
        x = x * np.float64(scale)
    if offset is not None:
        x = x + np.float64(offset)
    if dtype == "float64":
        return x
    # Integer arrays take the result truncated towards zero.
    return np.trunc(np.nan_to_num(x, nan=0.0, posinf=0.0, neginf=0.0)).astype(dtype)
