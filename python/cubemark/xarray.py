"""Open a publication's cubes lazily with xarray, through its kerchunk references (`cubemark export --to kerchunk`,
or `GET /publications/<name>/export/kerchunk` on a cubemark server): xarray reads the values straight from the
sources the publication points at, only when they are computed."""
import json
import os
import shlex
import subprocess
import urllib.request

from .reader import read


def _references(path, name, references, server, cubemark):
    if references is not None:
        if isinstance(references, dict):
            return references
        with open(references, encoding="utf-8") as f:
            return json.load(f)
    if server is not None:
        with urllib.request.urlopen(f"{server.rstrip('/')}/publications/{name}/export/kerchunk") as r:
            return json.load(r)
    command = shlex.split(cubemark or os.environ.get("CUBEMARK_CLI", "cubemark"))
    out = subprocess.run([*command, "export", "--to", "kerchunk", str(path)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def open_dataset(path, references=None, *, server=None, cubemark=None, chunks=None, **kwargs):
    """A lazy ``xarray.Dataset`` of the publication at ``path`` (a ``.cube.md`` file).

    references: its kerchunk references (a path or a dict); default: made by the ``cubemark`` command (``cubemark``
        or ``CUBEMARK_CLI`` names it, e.g. ``"node /opt/cubemark/bin/cubemark.js"``), or fetched from ``server``.
    chunks: passed to xarray (default ``{}``: dask arrays in the storage chunks, so nothing is read until computed).

    The publication travels with the dataset, in ``ds.encoding["cubemark"]`` (its text and references), so that
    ``cubemark.dask`` can keep it when the dataset is published on a Dask scheduler.
    """
    import xarray as xr

    publication = read(path)
    refs = _references(path, publication["name"], references, server, cubemark)
    ds = xr.open_dataset(
        "reference://",
        engine="zarr",
        backend_kwargs={"consolidated": False, "storage_options": {"fo": refs}},
        chunks={} if chunks is None else chunks,
        **kwargs,
    )
    with open(path, encoding="utf-8") as f:
        text = f.read()
    ds.encoding["cubemark"] = {"name": publication["name"], "text": text, "references": refs}
    return ds


def open_iris(path, references=None, **kwargs):
    """The publication's cubes as an Iris ``CubeList`` (needs Iris, which is optional)."""
    try:
        import iris  # noqa: F401
        import iris.cube
    except ImportError as e:
        raise ImportError("open_iris needs Iris (scitools-iris), which is not installed: use cubemark.open_dataset for xarray") from e
    ds = open_dataset(path, references, **kwargs)
    cubes = [ds[name].to_iris() for name in ds.data_vars if ds[name].attrs.get("grid_mapping_name") is None]
    return iris.cube.CubeList(cubes)
