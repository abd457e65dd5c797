"""The publication model from a frontmatter value that passed the schema (spec §§4-14): defaults filled, arrays
decoded against the shapes the cubes give them, attributes typed; then the semantic checks of spec §17 step 8.
Plain dicts and lists, keyed as the format is; arrays are dicts with NumPy values."""

import numpy as np

from .arrays import ArrayProblem, decode_array, infer_attribute_dtype, regular_values, to_number
from .mesh import check_cube_mesh, check_meshes, compose_meshes
from .timeunits import is_calendar, time_reference_problem

FACTORY_TERMS = {
    "hybrid_height": (["delta"], ["sigma", "orography"]),
    "hybrid_pressure": (["delta", "sigma", "surface_air_pressure"], []),
    "atmosphere_sigma": (["pressure_at_top", "sigma", "surface_air_pressure"], []),
    "ocean_sigma_z": (["sigma", "eta", "depth", "depth_c", "nsigma", "zlev"], []),
    "ocean_sigma": (["sigma", "eta", "depth"], []),
    "ocean_s": (["s", "eta", "depth", "a", "b", "depth_c"], []),
    "ocean_s_g1": (["s", "c", "eta", "depth", "depth_c"], []),
    "ocean_s_g2": (["s", "c", "eta", "depth", "depth_c"], []),
}


def _esc(s):
    return str(s).replace("~", "~0").replace("/", "~1")


def _names(o, out=None):
    out = {} if out is None else out
    for k in ("standard_name", "long_name", "var_name"):
        if k in o:
            out[k] = o[k]
    return out


def _product(shape):
    n = 1
    for x in shape:
        n *= x
    return n


class Composer:
    def __init__(self, version=1):
        self.problems = []
        self.undecoded = set()
        # Format 1.1 types a plain attribute number by how it is written (`1.0` is float64); version 1 by its value.
        self.lexical = version != 1
        self.version = version

    def report(self, code, message, pointer, key=False):
        self.problems.append((code, message, pointer, key))

    # -- publication ---------------------------------------------------------------------------------------------
    def publication(self, raw):
        pub = {"cubemark": self.version, "name": raw["name"]}
        for k in ("title", "created", "modified"):
            if k in raw:
                pub[k] = raw[k]
        pub["provenance"] = dict(raw.get("provenance") or {})
        pub["sources"] = [{k: s[k] for k in ("uri", "size", "mtime", "etag") if k in s} for s in raw.get("sources") or []]
        pub["coord_systems"] = {k: v for k, v in (raw.get("coord_systems") or {}).items()}
        cubes = [self.cube(c, f"/cubes/{i}") for i, c in enumerate(raw.get("cubes") or [])]
        meshes = compose_meshes(raw.get("meshes"), self)
        if meshes is not None:
            pub["meshes"] = meshes
        pub["cubes"] = cubes
        return pub

    def cube(self, c, at):
        dims, shape, dtype = c["dims"], c["shape"], c["dtype"]
        length = {}
        for i, d in enumerate(dims):
            length[d] = shape[i] if i < len(shape) else 0

        def coords(section):
            out = {}
            for k, v in (c.get(section) or {}).items():
                p = f"{at}/{section}/{_esc(k)}"
                spanned = [k] if section == "dim_coords" else list(v.get("dims") or [])
                if not spanned:
                    point_shape = [1]
                elif all(d in length for d in spanned):
                    point_shape = [length[d] for d in spanned]
                else:
                    point_shape = [-1]
                cdtype = v.get("dtype", "float64")
                coord = _names(v)
                coord["units"] = v.get("units", "unknown")
                if "calendar" in v:
                    coord["calendar"] = v["calendar"]
                coord["dims"] = spanned

                def length_problem(n, k=k, spanned=spanned, point_shape=point_shape):
                    if len(spanned) == 1:
                        return ("COORD_LENGTH", f"coordinate '{k}' has {n} points but dimension '{spanned[0]}' has length {point_shape[0]}")
                    return ("COORD_LENGTH", f"coordinate '{k}' has {n} points but its dimensions [{', '.join(spanned)}] need {_product(point_shape)}")

                coord["points"] = self.array(v["points"], cdtype, point_shape, f"{p}/points", length_problem)
                coord["attributes"] = self.attributes(v.get("attributes"), f"{p}/attributes")
                if isinstance(v.get("bounds"), dict) and "edges" in v["bounds"]:
                    coord["bounds"] = self.edge_bounds(v["bounds"]["edges"], cdtype, point_shape, f"{p}/bounds", k)
                elif "bounds" in v:

                    def bounds_problem(n, k=k, point_shape=point_shape):
                        return ("BOUNDS_SHAPE", f"coordinate '{k}' has {n} bound values, not a whole number per each of its {_product(point_shape)} points")

                    coord["bounds"] = self.array(v["bounds"], cdtype, point_shape + [-1], f"{p}/bounds", bounds_problem)
                if "coord_system" in v:
                    coord["coord_system"] = v["coord_system"]
                if v.get("climatological") is True:
                    coord["climatological"] = True
                if v.get("circular") is True:
                    coord["circular"] = True
                out[k] = coord
            return out

        def with_data(section, measure=False):
            out = {}
            for k, v in (c.get(section) or {}).items():
                p = f"{at}/{section}/{_esc(k)}"
                spanned = list(v.get("dims") or [])
                d = v.get("dtype", "float64")
                item = _names(v)
                if measure:
                    item["measure"] = v["measure"]
                item["units"] = v.get("units", "unknown")
                item["dims"] = spanned
                item["data"] = self.array(v["data"], d, [1] if not spanned else [length.get(x, 0) for x in spanned], f"{p}/data")
                item["attributes"] = self.attributes(v.get("attributes"), f"{p}/attributes")
                out[k] = item
            return out

        cube = _names(c)
        cube["units"] = c.get("units", "unknown")
        if "calendar" in c:
            cube["calendar"] = c["calendar"]
        cube.update(
            dims=list(dims),
            shape=list(shape),
            dtype=dtype,
            attributes=self.attributes(c.get("attributes"), f"{at}/attributes"),
            global_attributes=self.attributes(c.get("global_attributes"), f"{at}/global_attributes"),
            cell_methods=[
                {"method": m["method"], "coords": list(m.get("coords") or []), "intervals": list(m.get("intervals") or []), "comments": list(m.get("comments") or [])}
                for m in c.get("cell_methods") or []
            ],
            dim_coords=coords("dim_coords"),
            aux_coords=coords("aux_coords"),
            derived_coords={
                k: {
                    **_names(v),
                    "formula": v["formula"],
                    "units": v.get("units", "unknown"),
                    "terms": dict(v["terms"]),
                    "attributes": self.attributes(v.get("attributes"), f"{at}/derived_coords/{_esc(k)}/attributes"),
                    **({"coord_system": v["coord_system"]} if "coord_system" in v else {}),
                }
                for k, v in (c.get("derived_coords") or {}).items()
            },
            cell_measures=with_data("cell_measures", measure=True),
            ancillary_variables=with_data("ancillary_variables"),
            data=self.array(c["data"], dtype, list(shape), f"{at}/data"),
        )
        if "mesh" in c:
            cube["mesh"] = {k: c["mesh"][k] for k in ("name", "location", "dim")}
        return cube

    # -- arrays --------------------------------------------------------------------------------------------------
    def array(self, raw, dtype, shape, at, length_problem=None):
        if isinstance(raw, dict) and "source" in raw:
            return self.source(raw, dtype, shape, at)
        if isinstance(raw, dict) and "combine" in raw:
            mode, axis = raw["combine"], raw["axis"]
            parts = []
            for i, p in enumerate(raw["parts"]):
                part_shape = [n for j, n in enumerate(shape) if j != axis]
                if mode == "concat":
                    if "shape" not in p:
                        self.report("REQUIRED", f"part {i} of a concatenation needs its 'shape'", f"{at}/parts/{i}")
                    part_shape = list(p["shape"]) if "shape" in p else shape
                part = self.source(p, dtype, part_shape, f"{at}/parts/{i}")
                if mode == "concat" and "shape" not in p:
                    # Reported (REQUIRED): neither the part nor the parts' sum can be checked against the array.
                    self.undecoded.add(id(part))
                parts.append(part)
            return {"kind": "combined", "dtype": dtype, "shape": [max(n, 0) for n in shape], "mode": mode, "axis": axis, "parts": parts}
        try:
            return decode_array(raw, dtype, shape)
        except ArrayProblem as p:
            special = length_problem(p.count) if p.code == "ARRAY_LENGTH" and length_problem and p.count is not None else None
            if special:
                self.report(special[0], special[1], at)
            else:
                where = "/".join(at.split("/")[-2:])
                self.report(p.code, f"'{where}' {p.message}", at + "".join(f"/{s}" for s in p.subpath))
            return self.placeholder(dtype, shape)

    def placeholder(self, dtype, shape):
        """An array standing for one whose problem is reported, so that later checks do not pile on."""
        fixed = [max(n, 0) for n in shape]
        a = {"kind": "inline", "dtype": dtype, "shape": fixed, "values": [""] * _product(fixed) if dtype == "string" else np.zeros(_product(fixed), dtype=dtype)}
        self.undecoded.add(id(a))
        return a

    def edge_bounds(self, raw, dtype, point_shape, at, key):
        """Bounds written as the n + 1 edges of touching cells (spec §8.4, format 1.1): cell i is [E[i], E[i + 1]]."""
        cells = point_shape[0] if point_shape else 0
        if not self.lexical:
            self.report("UNKNOWN_KEY", "bounds written as 'edges' are new in format 1.1: say 'cubemark: 1.1' (or write the bounds out)", f"{at}/edges")
            return self.placeholder(dtype, [cells, 2])
        if -1 in point_shape:
            return self.placeholder(dtype, [cells, 2])
        if len(point_shape) != 1 or dtype == "string":
            self.report("BOUNDS_SHAPE", f"coordinate '{key}' cannot have its bounds as edges: edges are for one-dimensional numeric coordinates", f"{at}/edges")
            return self.placeholder(dtype, [cells, 2])
        try:
            edges = decode_array(raw, dtype, [cells + 1])
        except ArrayProblem as p:
            if p.code == "ARRAY_LENGTH" and p.count is not None:
                self.report("BOUNDS_SHAPE", f"coordinate '{key}' has {p.count} edges but its {cells} points need {cells + 1}", f"{at}/edges")
            else:
                self.report(p.code, f"'bounds/edges' {p.message}", f"{at}/edges" + "".join(f"/{x}" for x in p.subpath))
            return self.placeholder(dtype, [cells, 2])
        e = regular_values(edges) if edges["kind"] == "regular" else np.asarray(edges["values"])
        return {"kind": "inline", "dtype": dtype, "shape": [cells, 2], "values": np.stack([e[:-1], e[1:]], axis=1).ravel()}

    def source(self, o, dtype, shape, at):
        stored = o.get("stored_dtype") or (dtype if dtype != "string" else "float64")

        def stored_number(key, v):
            try:
                return float(to_number(v, stored))
            except ArrayProblem as p:
                self.report(p.code, f"'{key}' {p.message}", f"{at}/{key}")
                return None

        ref_shape = list(o["shape"]) if "shape" in o else list(shape)
        if -1 in ref_shape:
            where = "/".join(at.split("/")[-2:])
            self.report("REQUIRED", f"'{where}' is a reference whose shape cannot be inferred: give its 'shape'", at)
        ref = {"kind": "source", "dtype": dtype, "shape": [max(n, 0) for n in ref_shape], "source": o["source"], "format": o["format"], "variable": o["variable"]}
        if "chunks" in o:
            ref["chunks"] = list(o["chunks"])
        for k in ("stored_dtype", "scale_factor", "add_offset"):
            if k in o:
                ref[k] = o[k]
        if "fill_value" in o:
            v = stored_number("fill_value", o["fill_value"])
            if v is not None:
                ref["fill_value"] = v
        if "missing_value" in o:
            ref["missing_value"] = [x if x is not None else float("nan") for x in (stored_number(f"missing_value/{i}", v) for i, v in enumerate(o["missing_value"]))]
        for k in ("valid_min", "valid_max"):
            if k in o:
                v = stored_number(k, o[k])
                if v is not None:
                    ref[k] = v
        if "options" in o:
            ref["options"] = o["options"]
        return ref

    # -- attributes ----------------------------------------------------------------------------------------------
    def attributes(self, raw, at):
        out = {}
        for k, v in (raw or {}).items():
            value = self.attribute(v, f"{at}/{_esc(k)}")
            if value is not None:
                out[k] = value
        return out

    def attribute(self, v, at):
        if isinstance(v, str):
            return v
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return self.numeric("float64" if self.lexical and isinstance(v, float) else infer_attribute_dtype([v]), [v], at)
        if isinstance(v, list):
            if v and all(isinstance(x, str) for x in v):
                return list(v)
            if all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v):
                written_float = self.lexical and any(isinstance(x, float) for x in v)
                return self.numeric("float64" if written_float else infer_attribute_dtype(v), v, at)
            self.report("TYPE", f"attribute '{at.split('/')[-1]}' mixes strings and numbers: use one type", at)
            return None
        values = v["value"] if isinstance(v["value"], list) else [v["value"]]
        return self.numeric(v["dtype"], values, f"{at}/value")

    def numeric(self, dtype, values, at):
        out = []
        for i, x in enumerate(values):
            try:
                out.append(to_number(x, dtype))
            except ArrayProblem as p:
                self.report(p.code, f"attribute value {p.message}", at if len(values) == 1 else f"{at}/{i}")
                return None
        return {"dtype": dtype, "values": np.array(out, dtype=object if dtype in ("int64", "uint64") else None).astype(dtype) if out else np.zeros(0, dtype=dtype)}


def _monotonic(values):
    v = list(values)
    if len(v) < 2:
        return len(v) == 0 or v[0] == v[0]
    up = v[1] > v[0]
    for a, b in zip(v, v[1:]):
        if not (b > a if up else b < a):
            return False
    return True


def check_inline_values(data, at, report):
    """Spec §14.4: ``options.values`` holds every stored value of the array, row-major, each of the stored dtype."""
    values = (data.get("options") or {}).get("values")
    n = _product(data["shape"])
    if not isinstance(values, list):
        report("REQUIRED", f"stored values held inline need 'options.values': a list of {n} stored values", f"{at}/options")
        return
    if len(values) != n:
        report("ARRAY_LENGTH", f"'options.values' has {len(values)} values but the shape {data['shape']} needs {n}", f"{at}/options/values")
    stored = data.get("stored_dtype") or data["dtype"]
    for i, v in enumerate(values):
        p = f"{at}/options/values/{i}"
        if stored == "string":
            if not isinstance(v, str):
                report("TYPE", f"'options.values/{i}' must be a string for dtype string", p)
                return
            continue
        try:
            to_number(v, stored)
        except ArrayProblem as e:
            report(e.code, f"'options.values/{i}' {e.message}", p)
            return


def check_semantics(pub, undecoded):
    """Spec §17 step 8: (code, message, pointer, key) for every problem."""
    problems = []
    report = lambda code, message, pointer, key=False: problems.append((code, message, pointer, key))
    nsources = len(pub["sources"])

    def check_data(data, at):
        if data["kind"] == "source":
            if data["source"] >= nsources:
                report("UNKNOWN_SOURCE", f"source {data['source']} does not exist: the publication lists {nsources} source{'' if nsources == 1 else 's'}", f"{at}/source")
            if data["format"] == "inline":
                check_inline_values(data, at, report)
            if "chunks" in data and len(data["chunks"]) != len(data["shape"]):
                report("SHAPE_MISMATCH", f"chunks have {len(data['chunks'])} axes but the array has {len(data['shape'])}", f"{at}/chunks")
        elif data["kind"] == "combined":
            axis, shape = data["axis"], data["shape"]
            if axis >= len(shape):
                report("SHAPE_MISMATCH", f"axis {axis} is beyond the array's {len(shape)} axes", f"{at}/axis")
            for i, p in enumerate(data["parts"]):
                check_data(p, f"{at}/parts/{i}")
            if data["mode"] == "concat":
                other = lambda s: [n for j, n in enumerate(s) if j != axis]
                # A part without its shape is already reported (REQUIRED): neither it nor the sum can be checked.
                unshaped = [id(p) in undecoded for p in data["parts"]]
                for i, p in enumerate(data["parts"]):
                    if not unshaped[i] and (len(p["shape"]) != len(shape) or other(p["shape"]) != other(shape)):
                        report("SHAPE_MISMATCH", f"part {i} does not fit off axis {axis}", f"{at}/parts/{i}")
                total = sum(p["shape"][axis] if axis < len(p["shape"]) else 0 for p in data["parts"])
                if not any(unshaped) and total != (shape[axis] if axis < len(shape) else None):
                    report("SHAPE_MISMATCH", f"parts add up to {total} along axis {axis} but the array has {shape[axis]}", at)
            elif len(data["parts"]) != (shape[axis] if axis < len(shape) else None):
                report("SHAPE_MISMATCH", f"{len(data['parts'])} stacked parts but the array has {shape[axis]} along axis {axis}", at)

    def check_calendar(units, calendar, at):
        if calendar is None:
            return
        if not is_calendar(calendar):
            report("INVALID_CALENDAR", f"calendar '{calendar}' is not a CF calendar", f"{at}/calendar")
            return
        problem = time_reference_problem(units, calendar)
        if problem:
            report("INVALID_TIME_UNITS", f"a calendar needs time units '<unit> since <date>' with a date of the calendar; '{units}': {problem}", f"{at}/units")

    for k, cs in pub["coord_systems"].items():
        # Spec §12: each fixes the projection's scale, so Iris refuses the two together.
        if "standard_parallel" in cs and "scale_factor_at_projection_origin" in cs:
            report("CONFLICTING_KEYS", f"coordinate system '{k}' ({cs.get('kind')}) gives both 'standard_parallel' and 'scale_factor_at_projection_origin': keep one", f"/coord_systems/{_esc(k)}/scale_factor_at_projection_origin", True)
    check_meshes(pub, report, check_data)
    for ci, cube in enumerate(pub["cubes"]):
        at = f"/cubes/{ci}"
        dims = set()
        for i, d in enumerate(cube["dims"]):
            if d in dims:
                report("DUPLICATE_DIM", f"dimension '{d}' is listed twice", f"{at}/dims/{i}")
            dims.add(d)
        if len(cube["dims"]) != len(cube["shape"]):
            report("SHAPE_MISMATCH", f"{len(cube['dims'])} dims but a shape of {len(cube['shape'])} axes", f"{at}/shape")
        check_calendar(cube["units"], cube.get("calendar"), at)
        if cube["data"]["kind"] != "inline" and cube["data"]["shape"] != cube["shape"]:
            report("SHAPE_MISMATCH", "data shape differs from the cube's", f"{at}/data")
        check_data(cube["data"], f"{at}/data")
        check_cube_mesh(pub, cube, at, report)
        keys = set()
        for k, c in cube["dim_coords"].items():
            p = f"{at}/dim_coords/{_esc(k)}"
            keys.add(k)
            if k not in dims:
                report("UNKNOWN_DIM", f"dimension coordinate '{k}' names no dimension of the cube", p, True)
                continue
            check_calendar(c["units"], c.get("calendar"), p)
            check_data(c["points"], f"{p}/points")
            if "bounds" in c:
                check_data(c["bounds"], f"{p}/bounds")
            pts = c["points"]
            if pts["kind"] == "regular" and len(pts["shape"]) != 1:
                report("SHAPE_MISMATCH", f"dimension coordinate '{k}' must be one-dimensional", f"{p}/points")
            elif pts["kind"] == "regular" and pts["step"] == 0 and pts["shape"][0] > 1:
                report("NOT_MONOTONIC", f"dimension coordinate '{k}' has step 0", f"{p}/points")
            if pts["kind"] == "inline" and id(pts) not in undecoded:
                if pts["dtype"] == "string":
                    report("TYPE", f"dimension coordinate '{k}' must be numeric: make it an auxiliary coordinate", f"{p}/points")
                elif not _monotonic(pts["values"]):
                    report("NOT_MONOTONIC", f"dimension coordinate '{k}' is not strictly monotonic: make it an auxiliary coordinate", f"{p}/points")
            if "coord_system" in c and c["coord_system"] not in pub["coord_systems"]:
                report("UNKNOWN_COORD_SYSTEM", f"coordinate system '{c['coord_system']}' is not defined in coord_systems", f"{p}/coord_system")
        for k, c in cube["aux_coords"].items():
            p = f"{at}/aux_coords/{_esc(k)}"
            if k in keys:
                report("DUPLICATE_COORD", f"'{k}' is both a dimension and an auxiliary coordinate key", p, True)
            keys.add(k)
            for j, d in enumerate(c["dims"]):
                if d not in dims:
                    report("UNKNOWN_DIM", f"coordinate '{k}' spans '{d}', which is not a dimension of the cube", f"{p}/dims/{j}")
                elif c["dims"].index(d) != j:
                    report("DUPLICATE_DIM", f"coordinate '{k}' spans '{d}' twice", f"{p}/dims/{j}")
            check_calendar(c["units"], c.get("calendar"), p)
            check_data(c["points"], f"{p}/points")
            if "bounds" in c:
                check_data(c["bounds"], f"{p}/bounds")
            if "coord_system" in c and c["coord_system"] not in pub["coord_systems"]:
                report("UNKNOWN_COORD_SYSTEM", f"coordinate system '{c['coord_system']}' is not defined in coord_systems", f"{p}/coord_system")
        for k, f in cube["derived_coords"].items():
            p = f"{at}/derived_coords/{_esc(k)}"
            if k in keys:
                report("DUPLICATE_COORD", f"'{k}' is already a coordinate key", p, True)
            required, optional = FACTORY_TERMS[f["formula"]]
            for term in required:
                if term not in f["terms"]:
                    report("MISSING_TERM", f"derived coordinate '{k}' ({f['formula']}) needs term '{term}'", f"{p}/terms")
            for term, ref in f["terms"].items():
                if term not in required and term not in optional:
                    report("UNKNOWN_TERM", f"{f['formula']} takes no term '{term}'", f"{p}/terms/{_esc(term)}", True)
                elif ref not in keys:
                    report("UNKNOWN_COORD", f"term '{term}' names coordinate '{ref}', which the cube does not have", f"{p}/terms/{_esc(term)}")
            if "coord_system" in f and f["coord_system"] not in pub["coord_systems"]:
                report("UNKNOWN_COORD_SYSTEM", f"coordinate system '{f['coord_system']}' is not defined in coord_systems", f"{p}/coord_system")
        for section in ("cell_measures", "ancillary_variables"):
            for k, m in cube[section].items():
                p = f"{at}/{section}/{_esc(k)}"
                for j, d in enumerate(m["dims"]):
                    if d not in dims:
                        report("UNKNOWN_DIM", f"'{k}' spans '{d}', which is not a dimension of the cube", f"{p}/dims/{j}")
                    elif m["dims"].index(d) != j:
                        report("DUPLICATE_DIM", f"'{k}' spans '{d}' twice", f"{p}/dims/{j}")
                check_data(m["data"], f"{p}/data")
    return problems
