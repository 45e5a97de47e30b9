#!/usr/bin/env python3
"""Coverage validation reference for `gridwall bench plan`: shapely's coverage_invalid_edges
(GEOS CoverageValidator, GEOS >= 3.12, as the shapely wheel bundles it).

usage: coverage_reference.py POLYGONS.wkt GAP_WIDTH
POLYGONS.wkt: one polygon per line, planar metres. GAP_WIDTH: metres (gaps narrower than this
are flagged too). Prints one JSON object: the best of 3 times for coverage_invalid_edges and
the indexes of the polygons with at least one invalid edge.
Run: pip install shapely
"""
import json, sys, time
import shapely

with open(sys.argv[1]) as f:
    geoms = shapely.from_wkt([line.strip() for line in f if line.strip()])
gap = float(sys.argv[2])

times, edges = [], None
for _ in range(3):
    t = time.perf_counter()
    edges = shapely.coverage_invalid_edges(geoms, gap_width=gap)
    times.append(time.perf_counter() - t)
invalid = [i for i, e in enumerate(edges) if not shapely.is_empty(e)]
print(json.dumps({"seconds": min(times), "invalid": invalid, "shapely": shapely.__version__,
                  "geos": ".".join(map(str, shapely.geos_version))}))
