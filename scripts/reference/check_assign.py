#!/usr/bin/env python3
"""Checks `gridwall assign` output against shapely (GEOS through an independent binding).

usage: check_assign.py AREAS.geojson OUTPUT.csv
Every row whose point is not within 1e-9 degrees of a grid boundary must carry the grid that
shapely says contains it (or none, with placement "outside"). Prints a one-line verdict and
exits non-zero on any disagreement.
"""
import csv, json, sys
import numpy as np
import shapely

areas, output = sys.argv[1], sys.argv[2]
grids = [f for f in json.load(open(areas))["features"] if f["properties"]["level"] == "grid"]
ids = np.array([g["properties"]["id"] for g in grids])
geoms = np.array([shapely.geometry.shape(g["geometry"]) for g in grids])
rows = list(csv.DictReader(open(output)))
xs = np.array([float(r["lon"]) for r in rows]); ys = np.array([float(r["lat"]) for r in rows])
points = shapely.points(xs, ys)
tree = shapely.STRtree(geoms)
pi, gi = tree.query(points, predicate="within")
expected = np.full(len(rows), "", dtype=object)
expected[pi] = ids[gi]
got = np.array([r["grid_id"] for r in rows], dtype=object)
differ = np.nonzero(expected != got)[0]
near = 0
boundaries = shapely.boundary(geoms)
for i in differ:
    involved = [j for j, v in enumerate(ids) if v in (expected[i], got[i])]
    if min(shapely.distance(boundaries[j], points[i]) for j in involved) <= 1e-9:
        near += 1
bad = len(differ) - near
outside_ok = all((r["placement"] == "outside") == (r["grid_id"] == "") for r in rows)
print(f"{len(rows)} rows: {len(rows) - len(differ)} identical to shapely, {near} on a boundary, {bad} wrong; placement {'consistent' if outside_ok else 'INCONSISTENT'}")
sys.exit(1 if bad or not outside_ok else 0)
