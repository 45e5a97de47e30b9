#!/usr/bin/env python3
"""Gi* reference values from PySAL (esda.G_Local(star=True)) for the Swift tests.

Writes, under Tests/Fixtures/gistar/:
  sample_grids.csv   the sample district's grids: events per grid (counted here with shapely),
                     the grid centroid in EPSG:4549 metres, queen/rook neighbour counts from
                     libpysal, and Gi* z-scores for queen (B, R), rook (B), 6 nearest
                     neighbours (B) and a 1,200 m distance band (B, R).
  toronto_squares.csv  Toronto 2020 events (Tests/Fixtures/realdata/toronto_mci_2020) in 500 m squares
                     of EPSG:32617 aligned to multiples of 500 m, every cell of the rectangle
                     covering the events (empty ones too), queen lattice (libpysal lat2W), Gi*
                     z-scores (B, R) for all events and for category Assault (B).
  boston_crim_queen.csv  the Boston tracts' crime rate (Tests/Fixtures/realdata/boston_tracts), queen
                     contiguity from libpysal, Gi* z (B, R) at full precision (the dataset's own
                     reference/ file prints ten significant digits).

Run from the repository root:  python3 scripts/reference/gistar_reference.py
Needs: pip install esda libpysal shapely pyproj numpy  (esda 2.9.0, libpysal 4.14.1 here)
"""
import csv, json, os, sys, warnings
import numpy as np
import shapely
from shapely.geometry import shape
from pyproj import Transformer
import libpysal
from esda.getisord import G_Local

warnings.filterwarnings("ignore")
root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
out_dir = os.path.join(root, "Tests", "Fixtures", "gistar")
realdata = os.path.join(root, "Tests", "Fixtures", "realdata")


def gistar(values, w, transform):
    return G_Local(np.asarray(values, dtype=float), w, transform=transform, star=True, permutations=0).Zs


def sample_grids():
    with open(os.path.join(root, "geodata", "areas.geojson")) as f:
        features = [ft for ft in json.load(f)["features"] if ft["properties"]["level"] == "grid"]
    ids = [ft["properties"]["id"] for ft in features]
    polygons = [shape(ft["geometry"]) for ft in features]
    lon, lat = [], []
    with open(os.path.join(root, "geodata", "events.csv")) as f:
        for row in csv.DictReader(f):
            lon.append(float(row["lon"])); lat.append(float(row["lat"]))
    points = shapely.points(np.array(lon), np.array(lat))
    tree = shapely.STRtree(polygons)
    point_index, polygon_index = tree.query(points, predicate="within")
    counts = np.bincount(polygon_index, minlength=len(polygons))
    to_metres = Transformer.from_crs(4326, 4549, always_xy=True)
    centroids = [to_metres.transform(p.centroid.x, p.centroid.y) for p in polygons]
    xy = np.array(centroids)
    queen = libpysal.weights.Queen.from_iterable(polygons)
    rook = libpysal.weights.Rook.from_iterable(polygons)
    knn = libpysal.weights.KNN(xy, k=6)
    band = libpysal.weights.DistanceBand(xy, threshold=1200.0, binary=True, silence_warnings=True)
    columns = {
        "z_queen_b": gistar(counts, queen, "B"), "z_queen_r": gistar(counts, queen, "R"),
        "z_rook_b": gistar(counts, rook, "B"), "z_knn6_b": gistar(counts, knn, "B"),
        "z_band1200_b": gistar(counts, band, "B"), "z_band1200_r": gistar(counts, band, "R"),
    }
    with open(os.path.join(out_dir, "sample_grids.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["grid_id", "count", "x", "y", "n_queen", "n_rook"] + list(columns))
        for i, gid in enumerate(ids):
            w.writerow([gid, int(counts[i]), repr(float(xy[i, 0])), repr(float(xy[i, 1])),
                        queen.cardinalities[i], rook.cardinalities[i]] + [repr(float(columns[c][i])) for c in columns])
    print(f"sample_grids.csv: {len(ids)} grids, {int(counts.sum())} events inside")


def toronto_squares():
    size = 500.0
    to_utm = Transformer.from_crs(4326, 32617, always_xy=True)
    cols, rows, assault = [], [], []
    with open(os.path.join(realdata, "toronto_mci_2020", "events_2020.csv")) as f:
        for row in csv.DictReader(f):
            x, y = to_utm.transform(float(row["lon"]), float(row["lat"]))
            cols.append(int(np.floor(x / size))); rows.append(int(np.floor(y / size)))
            assault.append(row["category"] == "Assault")
    cols, rows, assault = np.array(cols), np.array(rows), np.array(assault)
    c0, r0 = cols.min(), rows.min()
    ncols, nrows = cols.max() - c0 + 1, rows.max() - r0 + 1
    cell = (rows - r0) * ncols + (cols - c0)
    counts = np.bincount(cell, minlength=ncols * nrows)
    assault_counts = np.bincount(cell[assault], minlength=ncols * nrows)
    w = libpysal.weights.lat2W(nrows, ncols, rook=False)
    zb, zr, za = gistar(counts, w, "B"), gistar(counts, w, "R"), gistar(assault_counts, w, "B")
    with open(os.path.join(out_dir, "toronto_squares.csv"), "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["col", "row", "count", "assault", "z_all_b", "z_all_r", "z_assault_b"])
        for i in range(ncols * nrows):
            out.writerow([c0 + i % ncols, r0 + i // ncols, int(counts[i]), int(assault_counts[i]),
                          repr(float(zb[i])), repr(float(zr[i])), repr(float(za[i]))])
    print(f"toronto_squares.csv: {ncols} x {nrows} cells, {len(cols)} events")


def boston_tracts():
    with open(os.path.join(realdata, "boston_tracts", "boston_tracts.geojson")) as f:
        features = json.load(f)["features"]
    polygons = [shape(ft["geometry"]) for ft in features]
    crime = np.array([ft["properties"]["CRIM"] for ft in features], dtype=float)
    queen = libpysal.weights.Queen.from_iterable(polygons)
    zb, zr = gistar(crime, queen, "B"), gistar(crime, queen, "R")
    with open(os.path.join(out_dir, "boston_crim_queen.csv"), "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["feature_index", "poltract", "n_queen", "z_b", "z_r"])
        for i, ft in enumerate(features):
            out.writerow([i, ft["properties"]["poltract"], queen.cardinalities[i], repr(float(zb[i])), repr(float(zr[i]))])
    print(f"boston_crim_queen.csv: {len(features)} tracts")


if __name__ == "__main__":
    os.makedirs(out_dir, exist_ok=True)
    sample_grids()
    toronto_squares()
    boston_tracts()
