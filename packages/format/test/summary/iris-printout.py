#!/usr/bin/env python3
"""Writes synthetic-printouts.json: what Iris's own printout code prints for the cubes in synthetic-cubes.json.

    /usr/bin/python3 packages/format/test/summary/iris-printout.py /path/to/iris/lib

It runs Iris's real `iris/_representation/cube_summary.py` and `cube_printout.py` (and `clip_string` from
`iris/util.py`), taken from an Iris source tree, on stand-in cube objects built from the cubemark-model JSON, so it
needs only numpy and cftime (Debian: python3-numpy python3-cftime), not an Iris installation. The stand-ins give
what those two modules ask of a cube: names, units, coordinates with their dimensions, points as NumPy values
(time points through cftime, as cf_units does), lazy arrays as opaque objects, attributes as netCDF4 returns them.
"""
import ast
import json
import os
import sys
import types

import cftime
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------------------------------------------------------
# Iris's modules, loaded from source with their heavy imports stubbed.


def load_iris(lib):
    util_src = open(os.path.join(lib, "iris", "util.py")).read()
    clip = next(n for n in ast.parse(util_src).body if isinstance(n, ast.FunctionDef) and n.name == "clip_string")
    iris = types.ModuleType("iris")
    iris.__path__ = []
    util = types.ModuleType("iris.util")
    exec(compile(ast.Module(body=[clip], type_ignores=[]), "iris/util.py", "exec"), util.__dict__)
    lazy = types.ModuleType("iris._lazy_data")
    lazy.is_lazy_data = lambda x: isinstance(x, Lazy)
    common = types.ModuleType("iris.common")
    common.__path__ = []
    metadata = types.ModuleType("iris.common.metadata")
    metadata.hexdigest = lambda v: repr(v.tolist() if hasattr(v, "tolist") else v)
    representation = types.ModuleType("iris._representation")
    representation.__path__ = [os.path.join(lib, "iris", "_representation")]
    iris.util, iris._lazy_data, iris.common, iris._representation = util, lazy, common, representation
    common.metadata = metadata
    for name, module in {
        "iris": iris,
        "iris.util": util,
        "iris._lazy_data": lazy,
        "iris.common": common,
        "iris.common.metadata": metadata,
        "iris._representation": representation,
    }.items():
        sys.modules[name] = module
    from iris._representation import cube_printout  # noqa: E402 - after the stubs exist

    return cube_printout


# ---------------------------------------------------------------------------------------------------------------
# Stand-ins for what cube_summary.py reads.


class Lazy:
    def __init__(self, spec):
        self.shape = tuple(spec["shape"])
        self.dtype = np.dtype(np.str_ if spec["dtype"] == "string" else spec["dtype"])


def array(spec):
    if spec is None:
        return None
    if spec["kind"] != "inline":
        return Lazy(spec)
    dtype = np.str_ if spec["dtype"] == "string" else spec["dtype"]
    return np.array(spec["values"], dtype=dtype).reshape(spec["shape"])


UNKNOWN = {"unknown", "?", "???", ""}
NO_UNIT = {"no_unit", "no-unit", "no unit", "nounit"}


class Unit:
    """cf_units.Unit as far as printing goes."""

    def __init__(self, text, calendar=None):
        text = (text or "").strip()
        self.text = "unknown" if text.lower() in UNKNOWN else "no_unit" if text.lower() in NO_UNIT else text
        self.calendar = calendar or "standard"

    def __str__(self):
        return self.text

    def __eq__(self, other):
        return self.text == str(other)

    def is_time_reference(self):
        return " since " in self.text

    def num2date(self, values):
        return cftime.num2date(np.asarray(values), self.text, self.calendar)


class Cell:
    def __init__(self, point, bound):
        if isinstance(point, np.ndarray):
            point = tuple(point.flatten())
        self.point = point[0]
        self.bound = None if bound is None else tuple(np.asarray(bound).flatten())


def attribute(value):
    """An attribute value as netCDF4 hands it to Iris (numeric scalars as NumPy scalars)."""
    if isinstance(value, dict):
        values = np.array(value["values"], dtype=value["dtype"])
        return values[0] if values.size == 1 else values
    if isinstance(value, list):
        return value[0] if len(value) == 1 else value
    return value


class Stash:
    def __init__(self, text):
        self.text = text

    def __str__(self):
        return self.text

    def __repr__(self):
        return f"STASH.from_msi({self.text!r})"


def attributes(spec):
    result = {k: attribute(v) for k, v in spec.items()}
    if "STASH" in result:
        result["STASH"] = Stash(result["STASH"])
    return result


class Item:
    """A coordinate, cell measure or ancillary variable."""

    def __init__(self, spec, dims, values, bounds=None):
        self.standard_name = spec.get("standard_name")
        self.long_name = spec.get("long_name")
        self.var_name = spec.get("var_name")
        self.units = Unit(spec.get("units"), spec.get("calendar"))
        self.attributes = attributes(spec.get("attributes", {}))
        self.dims = dims
        self._points = values
        self._bounds = bounds
        self.shape = values.shape
        self.dtype = values.dtype

    def name(self):
        return self.standard_name or self.long_name or self.var_name or "unknown"

    def cube_dims(self, cube):
        return self.dims

    def core_points(self):
        return self._points

    def has_bounds(self):
        return self._bounds is not None

    def has_lazy_points(self):
        return isinstance(self._points, Lazy)

    def has_lazy_bounds(self):
        return isinstance(self._bounds, Lazy)

    def cell(self, index):
        point = tuple(np.asanyarray(self._points[index]).flatten())
        bound = None if self._bounds is None else tuple(np.atleast_1d(np.asanyarray(self._bounds[index])).flatten())
        if self.units.is_time_reference():
            point = self.units.num2date(point)
            if bound is not None:
                bound = self.units.num2date(bound)
        return Cell(point, bound)


class CellMethod:
    def __init__(self, text):
        self.text = text

    def __str__(self):
        return self.text


class Factory:
    def __init__(self, standard_name, dependencies):
        self.standard_name = standard_name
        self.dependencies = dependencies


class Cube:
    def __init__(self, spec, cell_method_texts):
        self.shape = tuple(spec["shape"])
        self.standard_name = spec.get("standard_name")
        self.long_name = spec.get("long_name")
        self.var_name = spec.get("var_name")
        self.units = Unit(spec.get("units"))
        self.mesh = None
        dims = spec["dims"]
        index = lambda names: tuple(dims.index(n) for n in names)  # noqa: E731
        coord = lambda c: Item(c, index(c["dims"]), array(c["points"]), array(c.get("bounds")))  # noqa: E731
        self.dim_coords = [coord(c) for c in spec.get("dim_coords", {}).values()]
        aux = {key: coord(c) for key, c in spec.get("aux_coords", {}).items()}
        dim_by_key = dict(zip(spec.get("dim_coords", {}).keys(), self.dim_coords))
        self.aux_coords = list(aux.values())
        self._aux_factories = []
        self.derived_coords = []
        for d in spec.get("derived_coords", {}).values():
            deps = {term: aux.get(key) or dim_by_key.get(key) for term, key in d["terms"].items()}
            derived_dims = tuple(sorted({i for dep in deps.values() for i in dep.dims}))
            shape = tuple(self.shape[i] for i in derived_dims) or (1,)
            points = Lazy({"shape": shape, "dtype": "float64"})
            bounds = Lazy({"shape": shape + (2,), "dtype": "float64"}) if any(dep.has_bounds() for dep in deps.values()) else None
            item = Item(d, derived_dims, points, bounds)
            item.shape = shape
            self.derived_coords.append(item)
            self._aux_factories.append(Factory(d.get("standard_name"), deps))
        item = lambda x, values: Item(x, index(x["dims"]), values)  # noqa: E731
        self._cell_measures_and_dims = [
            (m, m.dims) for m in (item(x, array(x["data"])) for x in spec.get("cell_measures", {}).values())
        ]
        self._ancillary_variables_and_dims = [
            (a, a.dims) for a in (item(x, array(x["data"])) for x in spec.get("ancillary_variables", {}).values())
        ]
        self.cell_methods = [CellMethod(t) for t in cell_method_texts]
        self.attributes = {**attributes(spec.get("global_attributes", {})), **attributes(spec.get("attributes", {}))}

    def name(self):
        return self.standard_name or self.long_name or self.var_name or "unknown"

    def coords(self, name=None, contains_dimension=None, dim_coords=None):
        pool = self.dim_coords if dim_coords else self.dim_coords + self.aux_coords + self.derived_coords
        if contains_dimension is not None:
            pool = [c for c in pool if contains_dimension in c.dims]
        if name is not None:
            pool = [c for c in pool if c.name() == name]
        return pool

    def coord_dims(self, coord):
        return coord.dims


def cell_method_text(cm):
    """Iris's CellMethod.__str__, from its definition (the golden IRIS-READING.md checks it independently)."""
    coords = " ".join(f"{c}:" for c in cm["coords"])
    intervals = " ".join(f"interval: {i}" for i in cm["intervals"])
    comments = " ".join(cm["comments"])
    if intervals and comments:
        comments = "".join(f" comment: {c}" for c in cm["comments"])
    text = f"{coords} {cm['method']}"
    return text + f" ({intervals}{comments})" if intervals or comments else text


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    cube_printout = load_iris(sys.argv[1])
    specs = json.load(open(os.path.join(HERE, "synthetic-cubes.json")))
    result = {}
    for name, spec in specs.items():
        cube = Cube(spec, [cell_method_text(cm) for cm in spec.get("cell_methods", [])])
        printer = cube_printout.CubePrinter(cube)
        result[name] = {"summary": printer.to_string(), "short": printer.to_string(oneline=True)}
    out = os.path.join(HERE, "synthetic-printouts.json")
    with open(out, "w") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"{len(result)} printouts -> {out}")


if __name__ == "__main__":
    main()
