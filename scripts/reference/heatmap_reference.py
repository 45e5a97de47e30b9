#!/usr/bin/env python3
"""The references for `gridwall bench heatmap`: the same events and windows through the tools a
user would otherwise reach for, one core each, timed, with their answers written back so the
benchmark can check they equal Gridwall's.

  numpy    a boolean mask over the time and category columns and np.bincount over the grid column
  DuckDB   SELECT grid, count(*) … WHERE time … AND category IN … GROUP BY grid (threads = 1,
           table sorted by time so its zone maps can skip row groups)
  h3ronpy  H3 cells at resolution 9 (edge ≈ 174 m; a different hexagon than our 250 m one, the same
           job) and a count per cell (RAYON_NUM_THREADS=1)
  esda     G_Local(star=True, permutations=0) over 500 m squares (numpy binning, libpysal lat2W)

Usage: heatmap_reference.py DIR   (DIR holds the raw little-endian columns and queries.json
written by the benchmark; results go to DIR/reference.json and DIR/*.out files)
Needs: pip install numpy pandas duckdb h3ronpy esda libpysal
"""
import json, os, sys, time, warnings
os.environ.setdefault("RAYON_NUM_THREADS", "1")
import numpy as np

warnings.filterwarnings("ignore")
d = sys.argv[1]
q = json.load(open(os.path.join(d, "queries.json")))
col = lambda name, dtype: np.fromfile(os.path.join(d, name), dtype=dtype)
t = col("time.bin", "<i8"); cat = col("category.bin", "<u2"); grid = col("grid.bin", "<i4")
G = q["grid_slots"]
out = {"numpy": {}, "duckdb": {}}


def best(f, n=3):
    times, result = [], None
    for _ in range(n):
        s = time.perf_counter(); result = f(); times.append(time.perf_counter() - s)
    return min(times), result


for w in q["windows"]:
    lo, hi, cats = w["from"], w["to"], w["categories"]

    def with_numpy():
        mask = np.ones(len(t), dtype=bool) if lo is None else (t >= lo) & (t < hi)
        if cats is not None:
            mask &= np.isin(cat, np.array(cats, dtype=np.uint16))
        return np.bincount(grid[mask], minlength=G)
    s, counts = best(with_numpy)
    counts.astype("<i8").tofile(os.path.join(d, f"numpy_{w['name']}.out"))
    out["numpy"][w["name"]] = s

try:
    import duckdb, pandas as pd
    con = duckdb.connect()
    con.execute("SET threads = 1")
    frame = pd.DataFrame({"time": t, "category": cat.astype(np.int32), "grid": grid})
    con.register("frame", frame)
    con.execute("CREATE TABLE events AS SELECT * FROM frame ORDER BY time")
    for w in q["windows"]:
        where = ["1 = 1"]
        if w["from"] is not None:
            where.append(f"time >= {w['from']} AND time < {w['to']}")
        if w["categories"] is not None:
            where.append("category IN (" + ",".join(str(c) for c in w["categories"]) + ")")
        sql = "SELECT grid, count(*) FROM events WHERE " + " AND ".join(where) + " GROUP BY grid"
        s, rows = best(lambda: con.execute(sql).fetchall())
        counts = np.zeros(G, dtype="<i8")
        for g, n in rows:
            counts[g] = n
        counts.tofile(os.path.join(d, f"duckdb_{w['name']}.out"))
        out["duckdb"][w["name"]] = s
    out["duckdb_version"] = duckdb.__version__
except ImportError as e:
    out["duckdb_error"] = str(e)

try:
    import h3ronpy.vector as h3v
    lon = col("lon.bin", "<f8"); lat = col("lat.bin", "<f8")

    def with_h3():
        cells = np.asarray(h3v.coordinates_to_cells(lat, lon, 9))
        return np.unique(cells, return_counts=True)
    s, (cells, counts) = best(with_h3, 2)
    out["h3ronpy"] = {"seconds": s, "cells": int(len(cells)), "events": int(counts.sum())}
except ImportError as e:
    out["h3ronpy_error"] = str(e)

try:
    import libpysal
    from esda.getisord import G_Local
    g = q["gistar"]
    x = col("x.bin", "<f8"); y = col("y.bin", "<f8")
    sel = slice(g["first"], g["last"])
    size = g["cell"]

    def binning():
        c = np.floor(x[sel] / size).astype(np.int64); r = np.floor(y[sel] / size).astype(np.int64)
        c0, r0 = c.min(), r.min()
        ncols, nrows = int(c.max() - c0 + 1), int(r.max() - r0 + 1)
        return np.bincount((r - r0) * ncols + (c - c0), minlength=ncols * nrows), int(c0), int(r0), ncols, nrows
    s_bin, (counts, c0, r0, ncols, nrows) = best(binning)
    s_w, w = best(lambda: libpysal.weights.lat2W(nrows, ncols, rook=False), 1)
    s_g, result = best(lambda: G_Local(counts.astype(float), w, transform="B", star=True, permutations=0))
    result.Zs.astype("<f8").tofile(os.path.join(d, "esda_z.out"))
    out["esda"] = {"seconds": s_g, "binning_seconds": s_bin, "weights_seconds": s_w, "first_column": c0, "first_row": r0,
                   "columns": ncols, "rows": nrows}
except ImportError as e:
    out["esda_error"] = str(e)

json.dump(out, open(os.path.join(d, "reference.json"), "w"), indent=1)
