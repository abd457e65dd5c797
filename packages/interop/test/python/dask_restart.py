"""Dask keeps its published datasets across a kill -9 of its scheduler, with the cubemark plugin.

usage: dask_restart.py MANIFEST.json STORE DATA_DIR

MANIFEST lists {name, publication, references}. The script starts a real `dask-scheduler --preload cubemark.dask`
and a worker (child processes, free ports), publishes every dataset (opened with cubemark.open_dataset), computes
them, kills the scheduler and worker with SIGKILL, moves DATA_DIR away (so that reading any value would fail),
starts the scheduler again and checks every dataset is back and lazy, moves the data back, starts a worker and
computes every dataset again. Prints a JSON report.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time

import dask.array
import numpy as np
from distributed import Client

import cubemark
from cubemark.dask import publish


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def spawn(args, log):
    return subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def main(manifest_path, store, data_dir):
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = open(os.path.join(os.path.dirname(store), "dask.log"), "ab")
    scheduler_cmd = ["dask-scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard", "--preload", "cubemark.dask", "--cubemark-store", store]
    worker_cmd = ["dask-worker", address, "--nthreads", "1", "--no-dashboard", "--memory-limit", "0"]
    procs = []
    report = {}
    try:
        scheduler = spawn(scheduler_cmd, logs)
        procs.append(scheduler)
        worker = spawn(worker_cmd, logs)
        procs.append(worker)
        client = Client(address, timeout=60)
        client.wait_for_workers(1, timeout=60)
        expected = {}
        for entry in manifest:
            ds = cubemark.open_dataset(entry["publication"], references=entry["references"])
            publish(client, ds, entry["name"])
            expected[entry["name"]] = {v: np.asarray(ds[v].values) for v in ds.data_vars}
        report["published"] = sorted(client.list_datasets())
        report["stored"] = sorted(f[: -len(".cube.md")] for f in os.listdir(store) if f.endswith(".cube.md"))

        # kill -9, and take the data away: anything that reads a value from now until it is back fails.
        for p in (scheduler, worker):
            os.kill(p.pid, signal.SIGKILL)
            p.wait()
        try:
            client.close(timeout=5)  # its scheduler is gone: closing may time out
        except Exception:
            pass
        os.rename(data_dir, data_dir + ".away")

        started = time.monotonic()
        scheduler = spawn(scheduler_cmd, logs)
        procs.append(scheduler)
        client = Client(address, timeout=60)
        names = sorted(client.list_datasets())
        report["restart_seconds"] = round(time.monotonic() - started, 2)
        report["restored"] = names
        datasets = {name: client.get_dataset(name) for name in names}
        # Lazy: every variable a dask array, but for what xarray always reads on opening — index coordinates (to build
        # indexes) and 0-d scalars — which cubemark's references hold inline. (The data files are away: a value read
        # from one would have failed the republish.)
        report["not_lazy"] = {
            name: [v for v in ds.variables if not isinstance(ds[v].data, dask.array.Array) and v not in ds.indexes and ds[v].ndim > 0]
            for name, ds in datasets.items()
        }

        os.rename(data_dir + ".away", data_dir)
        worker = spawn(worker_cmd, logs)
        procs.append(worker)
        client.wait_for_workers(1, timeout=60)
        equal = {}
        for name, ds in datasets.items():
            computed = ds.compute()
            want = expected.get(name, {})
            equal[name] = bool(want) and all(
                v in computed and np.array_equal(np.asarray(computed[v].values), values, equal_nan=values.dtype.kind in "fc")
                for v, values in want.items()
            )
        report["equal"] = equal
        # Unpublishing moves the files to the store's trash.
        client.unpublish_dataset(names[0])
        report["unpublished"] = names[0]
        report["stored_after_unpublish"] = sorted(f[: -len(".cube.md")] for f in os.listdir(store) if f.endswith(".cube.md"))
        report["trashed"] = sorted(f for _, _, files in os.walk(os.path.join(store, ".trash")) for f in files)
        client.close(timeout=5)
    finally:
        if os.path.exists(data_dir + ".away") and not os.path.exists(data_dir):
            os.rename(data_dir + ".away", data_dir)
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        logs.close()
    print(json.dumps(report))


if __name__ == "__main__":
    main(*sys.argv[1:4])
