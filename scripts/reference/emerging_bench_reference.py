#!/usr/bin/env python3
"""The reference side of `gridwall bench emerging`: the same emerging hot-spot analysis in Python.

Reads from the folder given: time.bin (int64 Unix seconds), x.bin, y.bin (float64, the analysis
CRS) of the window's events and meta.json (first step's start, step seconds, steps, lags, square
size). Bins the events with numpy (squares floor(x / size), every cell of the covering
rectangle), then runs `analyse` of emerging_reference.py: libpysal space-time weights, esda
G_Local, pymannkendall and the documented rules. Writes reference.json (timings, versions) and
locations.csv (col, row, total, marks, z_sum, pattern per cell, row by row from the lower left).
"""
import json, os, sys, time
import numpy as np
import esda, pymannkendall
from emerging_reference import analyse

folder = sys.argv[1]
meta = json.load(open(os.path.join(folder, "meta.json")))
t = np.fromfile(os.path.join(folder, "time.bin"), dtype=np.int64)
x = np.fromfile(os.path.join(folder, "x.bin"), dtype=np.float64)
y = np.fromfile(os.path.join(folder, "y.bin"), dtype=np.float64)
first, step, steps, lags, size = int(meta["first"]), int(meta["step"]), int(meta["steps"]), int(meta["lags"]), float(meta["size"])


def binning():
    cols, rows = np.floor(x / size).astype(np.int64), np.floor(y / size).astype(np.int64)
    c0, r0 = cols.min(), rows.min()
    ncols, nrows = int(cols.max() - c0 + 1), int(rows.max() - r0 + 1)
    cells = ncols * nrows
    index = ((t - first) // step) * cells + (rows - r0) * ncols + (cols - c0)
    return np.bincount(index, minlength=steps * cells).reshape(steps, cells), c0, r0, ncols, nrows


started = time.perf_counter()
counts, c0, r0, ncols, nrows = binning()
binning_seconds = time.perf_counter() - started

neighbours = []
for i in range(ncols * nrows):
    r, c = divmod(i, ncols)
    neighbours.append([(r + dr) * ncols + (c + dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1)
                       if (dr or dc) and 0 <= r + dr < nrows and 0 <= c + dc < ncols])
started = time.perf_counter()
rows = analyse(counts, neighbours, lags)
analysis_seconds = time.perf_counter() - started

with open(os.path.join(folder, "locations.csv"), "w") as f:
    f.write("col,row,total,marks,z_sum,pattern\n")
    for i, r in enumerate(rows):
        f.write(f"{c0 + i % ncols},{r0 + i // ncols},{r['total']},{r['marks']},{r['z_sum']},{r['pattern']}\n")
json.dump({"binning_seconds": binning_seconds, "analysis_seconds": analysis_seconds,
           "esda": esda.__version__, "pymannkendall": pymannkendall.__version__}, open(os.path.join(folder, "reference.json"), "w"))
