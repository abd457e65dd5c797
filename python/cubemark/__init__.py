"""cubemark for Python: read ``.cube.md`` publications (a second implementation of the format's core, spec
``spec/cubemark-v1.md``), open their cubes lazily as xarray Datasets through kerchunk references, and keep Dask's
published datasets in a cubemark store (``cubemark.dask``).

    >>> import cubemark
    >>> pub = cubemark.read("run.cube.md")           # plain dicts and lists; arrays as NumPy
    >>> cubemark.values(pub["cubes"][0]["data"])     # an array held in the file, masked where it says
    >>> ds = cubemark.open_dataset("run.cube.md")    # lazy xarray.Dataset (needs xarray, zarr, fsspec)
"""
from .errors import CubemarkError, FormatError, InvalidDocumentError
from .reader import ParseResult, parse, read
from .values import values

__all__ = ["CubemarkError", "FormatError", "InvalidDocumentError", "ParseResult", "parse", "read", "values", "open_dataset", "open_iris"]


def open_dataset(*args, **kwargs):
    """A lazy ``xarray.Dataset`` of a publication's cubes (see ``cubemark.xarray.open_dataset``)."""
    from .xarray import open_dataset as _open

    return _open(*args, **kwargs)


def open_iris(*args, **kwargs):
    """The publication's cubes as Iris cubes, where Iris is installed (see ``cubemark.xarray.open_iris``)."""
    from .xarray import open_iris as _open

    return _open(*args, **kwargs)
