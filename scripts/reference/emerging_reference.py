#!/usr/bin/env python3
"""Emerging hot-spot reference values from PySAL and pymannkendall for the Swift tests.

The cube: events per location and time step (weeks from Monday 00:00 UTC). Every cell gets
Gi* from esda.G_Local(star=True, transform='B') over the whole cube, with space-time weights
built here as libpysal W: a cell's neighbours are its location's spatial neighbours and the
location itself, in its own step and the `lags` steps before (the cell itself left out; star=True
adds it). Each location's z series gets pymannkendall.original_test (alpha 0.05), and a pattern
by the rules in Docs/heatmaps.md ("Emerging hot spots"), implemented here on their own.

Writes, under Tests/Fixtures/emerging/:
  sample_grids_weekly.csv   the sample district's grids (queen contiguity from libpysal),
                            12 weekly steps ending with the newest event's week, lags 1.
  toronto_squares_weekly.csv  Toronto 2020 events in 500 m squares of EPSG:32617 (every cell
                            of the covering rectangle, queen lattice), the 53 weeks touching
                            2020, lags 1.
Per location: its total, the step-weighted total sum(t * count_t) (catches a count in the
wrong step), the steps' marks (H hot, C cold at 90 %, . neither), the sum, sum of squares and
last of its z-scores, the Mann-Kendall s, var_s, z, p and Tau, and the pattern.

Run from the repository root:  python3 scripts/reference/emerging_reference.py
Needs: pip install esda libpysal pymannkendall shapely pyproj numpy
(esda 2.9.0, libpysal 4.14.1, pymannkendall 1.4.3 here)
"""
import csv, json, os, warnings
from datetime import datetime, timezone
import numpy as np
import shapely
from shapely.geometry import shape
from pyproj import Transformer
from scipy.stats import norm
import libpysal
import pymannkendall
from esda.getisord import G_Local

warnings.filterwarnings("ignore")
root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
out_dir = os.path.join(root, "Tests", "Fixtures", "emerging")
realdata = os.path.join(root, "Tests", "Fixtures", "realdata")
WEEK, MONDAY = 604800, 4 * 86400


def seconds(text):
    return int(datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp())


def week_start(t):
    return (t - MONDAY) // WEEK * WEEK + MONDAY


def pattern(marks, trend):
    """The documented rules: marks +1 hot, -1 cold, 0 neither per step; trend +1, -1 or 0."""
    n, last = len(marks), marks[-1]
    most = lambda count: count >= 0.9 * n
    if last == 0:
        if most(marks.count(1)):
            return "historical_hot_spot"
        if most(marks.count(-1)):
            return "historical_cold_spot"
        return "no_pattern"
    kind = "hot_spot" if last == 1 else "cold_spot"
    same = marks.count(last)
    if most(same):
        if trend == last:
            return "intensifying_" + kind
        if trend == -last:
            return "diminishing_" + kind
        return "persistent_" + kind
    if -last in marks:
        return "oscillating_" + kind
    if same == 1:
        return "new_" + kind
    run = 0
    for m in reversed(marks):
        if m != last:
            break
        run += 1
    return ("consecutive_" if run == same else "sporadic_") + kind


def analyse(counts, neighbours, lags):
    """counts: steps x locations; neighbours: location -> spatial neighbour list."""
    steps, n = counts.shape
    cube = {}
    for t in range(steps):
        for i in range(n):
            ids = []
            for s in range(max(0, t - lags), t + 1):
                for j in sorted(set(neighbours[i]) | {i}):
                    if not (s == t and j == i):
                        ids.append(s * n + j)
            cube[t * n + i] = ids
    w = libpysal.weights.W(cube, silence_warnings=True)
    gi = G_Local(counts.reshape(-1).astype(float), w, transform="B", star=True, permutations=0)
    z = np.asarray(gi.Zs).reshape(steps, n)
    p = 2 * norm.sf(np.abs(z))
    rows = []
    for i in range(n):
        series = z[:, i]
        marks = [0 if not (p[t, i] <= 0.10) else (1 if series[t] > 0 else -1) for t in range(steps)]
        mk = pymannkendall.original_test(series, alpha=0.05)
        trend = 0 if not mk.h else (1 if mk.z > 0 else -1)
        rows.append({
            "total": int(counts[:, i].sum()), "weighted": int(sum(t * counts[t, i] for t in range(steps))),
            "marks": "".join({1: "H", -1: "C", 0: "."}[m] for m in marks),
            "z_sum": repr(float(series.sum())), "z_sumsq": repr(float((series ** 2).sum())), "z_last": repr(float(series[-1])),
            "mk_s": repr(float(mk.s)), "mk_var": repr(float(mk.var_s)), "mk_z": repr(float(mk.z)), "mk_p": repr(float(mk.p)),
            "tau": repr(float(mk.Tau)), "pattern": pattern(marks, trend),
        })
    return rows


def write(name, keys, key_columns, rows, note):
    with open(os.path.join(out_dir, name), "w", newline="") as f:
        w = csv.writer(f)
        columns = list(rows[0])
        w.writerow(key_columns + columns)
        for k, r in zip(keys, rows):
            w.writerow(list(k) + [r[c] for c in columns])
    tally = {}
    for r in rows:
        tally[r["pattern"]] = tally.get(r["pattern"], 0) + 1
    print(f"{name}: {note}; patterns {dict(sorted(tally.items()))}")


def sample_grids():
    with open(os.path.join(root, "geodata", "areas.geojson")) as f:
        features = [ft for ft in json.load(f)["features"] if ft["properties"]["level"] == "grid"]
    ids = [ft["properties"]["id"] for ft in features]
    polygons = [shape(ft["geometry"]) for ft in features]
    lon, lat, times = [], [], []
    with open(os.path.join(root, "geodata", "events.csv")) as f:
        for row in csv.DictReader(f):
            lon.append(float(row["lon"])); lat.append(float(row["lat"])); times.append(seconds(row["time"]))
    times = np.array(times)
    last = week_start(times.max()) + WEEK
    steps = 12
    first = last - steps * WEEK
    tree = shapely.STRtree(polygons)
    point_index, polygon_index = tree.query(shapely.points(np.array(lon), np.array(lat)), predicate="within")
    counts = np.zeros((steps, len(ids)), dtype=np.int64)
    for e, g in zip(point_index, polygon_index):
        if first <= times[e] < last:
            counts[(times[e] - first) // WEEK, g] += 1
    queen = libpysal.weights.Queen.from_iterable(polygons)
    rows = analyse(counts, [list(queen.neighbors[i]) for i in range(len(ids))], lags=1)
    write("sample_grids_weekly.csv", [(g,) for g in ids], ["grid_id"], rows,
          f"{len(ids)} grids x {steps} weeks from {datetime.fromtimestamp(first, timezone.utc):%Y-%m-%d}, {int(counts.sum())} events")


def toronto_squares():
    size = 500.0
    to_utm = Transformer.from_crs(4326, 32617, always_xy=True)
    cols, rows_, times = [], [], []
    with open(os.path.join(realdata, "toronto_mci_2020", "events_2020.csv")) as f:
        for row in csv.DictReader(f):
            x, y = to_utm.transform(float(row["lon"]), float(row["lat"]))
            cols.append(int(np.floor(x / size))); rows_.append(int(np.floor(y / size))); times.append(seconds(row["time"]))
    cols, rows_, times = np.array(cols), np.array(rows_), np.array(times)
    first = week_start(seconds("2020-01-01T00:00:00Z"))
    last = week_start(seconds("2020-12-31T23:59:59Z")) + WEEK
    steps = (last - first) // WEEK
    c0, r0 = cols.min(), rows_.min()
    ncols, nrows = cols.max() - c0 + 1, rows_.max() - r0 + 1
    cell = (rows_ - r0) * ncols + (cols - c0)
    counts = np.zeros((steps, ncols * nrows), dtype=np.int64)
    np.add.at(counts, ((times - first) // WEEK, cell), 1)
    lattice = libpysal.weights.lat2W(nrows, ncols, rook=False)
    rows = analyse(counts, [list(lattice.neighbors[i]) for i in range(ncols * nrows)], lags=1)
    keys = [(c0 + i % ncols, r0 + i // ncols) for i in range(ncols * nrows)]
    write("toronto_squares_weekly.csv", keys, ["col", "row"], rows,
          f"{ncols} x {nrows} cells x {steps} weeks from {datetime.fromtimestamp(first, timezone.utc):%Y-%m-%d}, {int(counts.sum())} events")


if __name__ == "__main__":
    os.makedirs(out_dir, exist_ok=True)
    sample_grids()
    toronto_squares()
