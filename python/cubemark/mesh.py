"""Unstructured meshes (spec §6.5, UGRID 1.0 as Iris's ``MeshXY`` holds them): the publication's ``meshes`` composed
with their arrays shaped by the element counts, and the semantic checks of meshes and of the cubes that sit on them."""

LOCATIONS = ("node", "edge", "face")
AXES = ("x", "y")
# Every UGRID role the schema admits, in its order; a role outside a topology's list is MESH_TOPOLOGY.
ROLES = (
    "edge_node_connectivity",
    "face_node_connectivity",
    "face_edge_connectivity",
    "face_face_connectivity",
    "edge_face_connectivity",
    "boundary_node_connectivity",
    "volume_node_connectivity",
    "volume_edge_connectivity",
    "volume_face_connectivity",
    "volume_volume_connectivity",
)
# The roles a mesh of each topology dimension holds; the first one it MUST hold.
TOPOLOGY_ROLES = {
    1: ("edge_node_connectivity",),
    2: (
        "face_node_connectivity",
        "edge_node_connectivity",
        "face_edge_connectivity",
        "face_face_connectivity",
        "edge_face_connectivity",
        "boundary_node_connectivity",
    ),
}


def _esc(s):
    return str(s).replace("~", "~0").replace("/", "~1")


def _names(o):
    return {k: o[k] for k in ("standard_name", "long_name", "var_name") if k in o}


def compose_meshes(raw, composer):
    """The ``meshes`` of the model (None when the file has none); array problems go to ``composer``."""
    if raw is None:
        return None
    return {key: _mesh(key, m, f"/meshes/{_esc(key)}", composer) for key, m in raw.items()}


def _mesh(key, m, at, composer):
    mesh = {
        **_names(m),
        "units": m.get("units", "unknown"),
        "topology_dimension": m["topology_dimension"],
        "node": _elements(key, "node", m["node"], f"{at}/node", composer),
        "connectivities": {},
        "attributes": composer.attributes(m.get("attributes"), f"{at}/attributes"),
    }
    for location in ("edge", "face"):
        if location in m:
            mesh[location] = _elements(key, location, m[location], f"{at}/{location}", composer)
    raws = m.get("connectivities") or {}
    for role in ROLES:
        if role in raws:
            mesh["connectivities"][role] = _connectivity(mesh, role, raws[role], f"{at}/connectivities/{role}", composer)
    return mesh


def _elements(key, location, e, at, composer):
    count = e["count"]
    coords = {}
    for axis in AXES:
        c = (e.get("coords") or {}).get(axis)
        if c is None:
            continue
        p = f"{at}/coords/{axis}"

        def length_problem(n, axis=axis):
            return ("COORD_LENGTH", f"mesh '{key}' {location} coordinate {axis} has {n} points but the mesh has {count} {location}s")

        coords[axis] = {
            **_names(c),
            "units": c.get("units", "unknown"),
            "points": composer.array(c["points"], c.get("dtype", "float64"), [count], f"{p}/points", length_problem),
            "attributes": composer.attributes(c.get("attributes"), f"{p}/attributes"),
        }
    return {"dimension": e["dimension"], "count": count, "coords": coords}


def _connectivity(mesh, role, c, at, composer):
    axis = c.get("location_axis", 0)
    location = role.split("_")[0]
    # Indices run over the role's first element kind, whose count the mesh must give; volumes are no location of a
    # mesh of topology 1 or 2 (the semantic checks refuse their roles), so their count is unknown.
    count = None
    if location in LOCATIONS:
        if location in mesh:
            count = mesh[location]["count"]
        else:
            composer.report("REQUIRED", f"{role} needs the mesh's '{location}' elements: add '{location}' with its dimension and count", at)
    if role == "boundary_node_connectivity":
        # Boundary elements are not counted by the mesh: as many rows as the indices give, two nodes each.
        shape = [-1, 2] if axis == 0 else [2, -1]
    elif count is None:
        shape = [1, -1]
    else:
        shape = [count, -1] if axis == 0 else [-1, count]

    def length_problem(n):
        return ("BOUNDS_SHAPE", f"{role} has {n} indices, not a whole number for each of the mesh's {count} {location}s")

    return {
        **_names(c),
        "units": c.get("units", "unknown"),
        "indices": composer.array(c["indices"], c.get("dtype", "int32"), shape, f"{at}/indices", length_problem),
        "start_index": c.get("start_index", 0),
        "location_axis": axis,
        "attributes": composer.attributes(c.get("attributes"), f"{at}/attributes"),
    }


def check_meshes(pub, report, check_data):
    """Each mesh holds the connectivities its topology dimension allows and requires, distinct element dimensions,
    coordinates of ``count`` points and two-dimensional integer indices over its elements."""
    for key, mesh in (pub.get("meshes") or {}).items():
        at = f"/meshes/{_esc(key)}"
        td = mesh["topology_dimension"]
        allowed = TOPOLOGY_ROLES[td]
        if allowed[0] not in mesh["connectivities"]:
            report("MESH_TOPOLOGY", f"mesh '{key}' has topology dimension {td}, so it needs a {allowed[0]}", f"{at}/connectivities")
        if td == 1 and "face" in mesh:
            report("MESH_TOPOLOGY", f"mesh '{key}' has topology dimension 1 (edges), so it has no faces", f"{at}/face", True)
        seen = {}
        for location in LOCATIONS:
            if location not in mesh:
                continue
            elements = mesh[location]
            p = f"{at}/{location}"
            if elements["dimension"] in seen:
                report("DUPLICATE_DIM", f"mesh '{key}' uses dimension '{elements['dimension']}' for both {seen[elements['dimension']]}s and {location}s", f"{p}/dimension")
            seen[elements["dimension"]] = location
            for axis, coord in elements["coords"].items():
                cp = f"{p}/coords/{axis}/points"
                check_data(coord["points"], cp)
                # Inline points were counted when they were decoded; references and sequences by their shape.
                if coord["points"]["kind"] != "inline" and list(coord["points"]["shape"]) != [elements["count"]]:
                    report("COORD_LENGTH", f"mesh '{key}' {location} coordinate {axis} has shape {coord['points']['shape']} but the mesh has {elements['count']} {location}s", cp)
        for role, connectivity in mesh["connectivities"].items():
            p = f"{at}/connectivities/{role}"
            if role not in allowed:
                report("MESH_TOPOLOGY", f"a mesh of topology dimension {td} holds no {role} (it holds {', '.join(allowed)})", p, True)
                continue
            indices = connectivity["indices"]
            check_data(indices, f"{p}/indices")
            location = role.split("_")[0]
            count = mesh[location]["count"] if location in mesh else None
            shape, axis = list(indices["shape"]), connectivity["location_axis"]
            if len(shape) != 2:
                report("SHAPE_MISMATCH", f"{role} must be two-dimensional, not of shape {shape}", f"{p}/indices")
            elif role == "boundary_node_connectivity" and shape[1 - axis] != 2:
                report("SHAPE_MISMATCH", f"boundary_node_connectivity has shape {shape}: each boundary element joins 2 nodes", f"{p}/indices")
            elif count is not None and shape[axis] != count:
                report("SHAPE_MISMATCH", f"{role} has shape {shape}: axis {axis} must run over the mesh's {count} {location}s", f"{p}/indices")
            if indices["dtype"] == "string" or indices["dtype"].startswith("float"):
                report("TYPE", f"{role} indices must have an integer dtype, not {indices['dtype']}", f"{p}/dtype")


def check_cube_mesh(pub, cube, at, report):
    """A cube's ``mesh`` names a mesh of the publication, a location it has with x and y coordinates, and a cube
    dimension as long as the location's element count."""
    ref = cube.get("mesh")
    if ref is None:
        return
    p = f"{at}/mesh"
    meshes = pub.get("meshes") or {}
    if ref["name"] not in meshes:
        report("UNKNOWN_MESH", f"mesh '{ref['name']}' is not defined in meshes", f"{p}/name")
        return
    elements = meshes[ref["name"]].get(ref["location"])
    if elements is None:
        report("MESH_LOCATION", f"mesh '{ref['name']}' has no {ref['location']}s", f"{p}/location")
        return
    missing = [axis for axis in AXES if axis not in elements["coords"]]
    if missing:
        report("MESH_LOCATION", f"mesh '{ref['name']}' has no {' or '.join(missing)} coordinate for its {ref['location']}s, which a cube on them needs", f"{p}/location")
    if ref["dim"] not in cube["dims"]:
        report("UNKNOWN_DIM", f"mesh dimension '{ref['dim']}' is not a dimension of the cube (dims: {', '.join(cube['dims'])})", f"{p}/dim")
    else:
        n = cube["shape"][cube["dims"].index(ref["dim"])] if cube["dims"].index(ref["dim"]) < len(cube["shape"]) else None
        if n != elements["count"]:
            report("SHAPE_MISMATCH", f"dimension '{ref['dim']}' has length {n} but mesh '{ref['name']}' has {elements['count']} {ref['location']}s", f"{p}/dim")
