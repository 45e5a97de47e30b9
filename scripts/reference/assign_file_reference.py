#!/usr/bin/env python3
"""The shapely + pandas side of `gridwall bench assign`'s file-to-file comparison.

  assign_file_reference.py GRIDS.geojson POINTS.csv OUT.csv

Reads the points with pandas, finds each point's grid with a shapely STRtree query (predicate
"intersects": a point on a shared edge gets one of the grids touching it), writes the input
columns plus grid_id with pandas, and prints {"seconds": …, "shapely": …, "pandas": …}: the time
from reading the CSV to the written file (the grids are read and indexed before the clock starts).
"""
import json, sys, time
import numpy as np
import pandas as pd
import shapely

grids_path, points_path, out_path = sys.argv[1:4]
with open(grids_path) as f:
    features = json.load(f)["features"]
ids = np.array([ft["properties"]["id"] for ft in features], dtype=object)
tree = shapely.STRtree([shapely.geometry.shape(ft["geometry"]) for ft in features])

started = time.perf_counter()
df = pd.read_csv(points_path, dtype={"id": str})
points = shapely.points(df["lon"].to_numpy(), df["lat"].to_numpy())
point_index, grid_index = tree.query(points, predicate="intersects")
grid = np.full(len(df), "", dtype=object)
grid[point_index] = ids[grid_index]
df["grid_id"] = grid
df.to_csv(out_path, index=False)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "shapely": shapely.__version__, "pandas": pd.__version__}))
