"""Dask datasets that survive the scheduler: a ``distributed.SchedulerPlugin`` that writes every dataset published
from a cubemark publication to a cubemark store, durably, before the publish returns, and republishes every
stored one — lazily — when the scheduler starts again.

    dask-scheduler --preload cubemark.dask --cubemark-store /data/store

    >>> ds = cubemark.open_dataset("run.cube.md")        # lazy; carries its publication
    >>> client.publish_dataset(ds, name="run-0300")        # written to /data/store/run-0300.cube.md
    ... the scheduler is killed, and started again ...
    >>> client.get_dataset("run-0300")                     # back, still lazy

The store holds ``<name>.cube.md`` files — the same store ``cubemark serve --store`` serves — and, in ``.kerchunk/``,
each one's kerchunk references, from which the scheduler reopens it without reading any data. Relative source
URIs in a stored publication resolve against the store, as ``cubemark serve`` resolves them.
"""
import json
import logging
import os
import re
import shutil
import time

import click
from distributed.diagnostics.plugin import SchedulerPlugin
from distributed.protocol import to_serialize
from distributed.protocol.compression import decompress
from distributed.protocol.serialize import Serialize, Serialized, ToPickle, merge_and_deserialize

from .reader import parse

logger = logging.getLogger("cubemark.dask")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def _write_durably(path, text):
    """Write, flush to disk, then rename into place and flush the folder: a crash leaves the old file or the new."""
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fd = os.open(os.path.dirname(path) or ".", os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _renamed(text, name):
    """The publication's text with its ``name`` set to the published name (the store's file names are the names)."""
    out, n = re.subn(r"(?m)^name:[^\n]*$", f"name: {name}", text, count=1)
    if n == 0:
        raise ValueError("the publication's frontmatter has no top-level 'name:' line to rename (run `cubemark fmt` on it)")
    return out


def _unwrap(data):
    """The published object, from what the scheduler holds (serialized frames, or a wrapped object)."""
    if isinstance(data, Serialized):
        # As distributed's own protocol does: frames may be compressed and split.
        frames = decompress(data.header, data.frames) if "compression" in data.header else data.frames
        return merge_and_deserialize(data.header, frames)
    if isinstance(data, (Serialize, ToPickle)):
        return data.data
    return data


def description(obj):
    """The cubemark description a published object carries (``ds.encoding["cubemark"]``), or None."""
    encoding = getattr(obj, "encoding", None)
    if isinstance(encoding, dict) and isinstance(encoding.get("cubemark"), dict):
        return encoding["cubemark"]
    return None


class CubemarkPlugin(SchedulerPlugin):
    """Keeps the scheduler's published datasets in a cubemark store (see the module's doc)."""

    name = "cubemark"

    def __init__(self, store):
        self.store = os.path.abspath(store)
        self.refs_dir = os.path.join(self.store, ".kerchunk")
        self.restored = []
        self.failed = {}

    async def start(self, scheduler):
        os.makedirs(self.refs_dir, exist_ok=True)
        extension = scheduler.extensions["publish"]
        self._wrap(scheduler, extension)
        started = time.monotonic()
        for file in sorted(os.listdir(self.store)):
            if not file.endswith(".cube.md"):
                continue
            name = file[: -len(".cube.md")]
            try:
                extension.datasets[name] = {"data": to_serialize(self._reopen(name)), "keys": []}
                # As a publish does: the scheduler knows the dataset's pseudo-client, so an unpublish can release it.
                scheduler.client_desires_keys(keys=[], client=f"published-{name}")
                self.restored.append(name)
            except Exception as e:  # one bad file must not stop the others
                self.failed[name] = str(e)
                logger.error("cubemark: could not republish %s: %s", name, e)
        logger.info("cubemark: republished %d dataset(s) from %s in %.2f s", len(self.restored), self.store, time.monotonic() - started)

    def _reopen(self, name):
        import xarray as xr

        path = os.path.join(self.store, f"{name}.cube.md")
        with open(path, "rb") as f:
            raw = f.read()
        result = parse(raw, file=path)
        if not result.valid:
            raise ValueError("; ".join(e.format() for e in result.errors))
        with open(os.path.join(self.refs_dir, f"{name}.json"), encoding="utf-8") as f:
            refs = json.load(f)
        ds = xr.open_dataset(
            "reference://", engine="zarr", chunks={}, backend_kwargs={"consolidated": False, "storage_options": {"fo": refs}}
        )
        ds.encoding["cubemark"] = {"name": name, "text": raw.decode("utf-8"), "references": refs}
        return ds

    def _wrap(self, scheduler, extension):
        put, delete = extension.put, extension.delete

        def put_durably(keys=None, data=None, name=None, override=False, client=None):
            if not override and name in extension.datasets:
                raise KeyError("Dataset %s already exists" % name)
            described = description(_unwrap(data)) if data is not None else None
            if described is not None:
                self.persist(str(name), described)
            return put(keys=keys, data=data, name=name, override=override, client=client)

        def delete_and_trash(name=None):
            self.trash(str(name))
            return delete(name=name)

        extension.put = put_durably
        extension.delete = delete_and_trash
        scheduler.handlers["publish_put"] = put_durably
        scheduler.handlers["publish_delete"] = delete_and_trash

    def persist(self, name, described):
        """Write a described dataset as ``<name>.cube.md`` and its references; raises when it cannot be kept."""
        if not NAME.match(name):
            raise ValueError(f"cannot keep dataset {name!r}: names of kept datasets are 1-128 letters, digits, '.', '_', '-'")
        text = _renamed(described["text"], name)
        check = parse(text.encode("utf-8"))
        if not check.valid:
            raise ValueError("; ".join(e.format() for e in check.errors))
        # References first: a publication file is only ever there with what reopens it.
        _write_durably(os.path.join(self.refs_dir, f"{name}.json"), json.dumps(described["references"]))
        _write_durably(os.path.join(self.store, f"{name}.cube.md"), text)

    def trash(self, name):
        """Move an unpublished dataset's files to the store's ``.trash/`` (as ``cubemark unpublish`` does)."""
        trash = os.path.join(self.store, ".trash", time.strftime("%Y%m%dT%H%M%S"))
        for path in (os.path.join(self.store, f"{name}.cube.md"), os.path.join(self.refs_dir, f"{name}.json")):
            if os.path.exists(path):
                os.makedirs(trash, exist_ok=True)
                shutil.move(path, os.path.join(trash, os.path.basename(path)))


def publish(client, ds, name, override=False):
    """``client.publish_dataset(ds, name=name)`` for a dataset that may not carry its publication yet: raises when
    the scheduler has no cubemark plugin, so a caller who needs durability learns it at once."""
    has_plugin = client.run_on_scheduler(lambda dask_scheduler: "cubemark" in dask_scheduler.plugins)
    if not has_plugin:
        raise RuntimeError("the scheduler runs without the cubemark plugin: start it with --preload cubemark.dask --cubemark-store DIR")
    if description(ds) is None:
        raise ValueError("the dataset carries no cubemark publication: open it with cubemark.open_dataset")
    return client.publish_dataset(ds, name=name, override=override)


@click.command()
@click.option("--cubemark-store", type=str, default=None, help="The cubemark store published datasets are kept in")
def dask_setup(scheduler, cubemark_store):
    """The ``--preload cubemark.dask`` hook: registers the plugin on the scheduler."""
    store = cubemark_store or os.environ.get("CUBEMARK_DASK_STORE")
    if not store:
        raise click.UsageError("cubemark.dask needs --cubemark-store DIR (or CUBEMARK_DASK_STORE)")
    scheduler.add_plugin(CubemarkPlugin(store))
