#!/usr/bin/env python3
"""Plan impact reference for `gridwall bench plan`: the same reassignment with shapely (GEOS)
STRtrees, as one would script it without Gridwall.

usage: impact_reference.py DIR
DIR holds old.wkt and new.wkt (one grid per line, WGS84) with their ids in old.ids and new.ids
(one per line), buildings.wkt (one footprint per
line), points.csv (kind,x,y for cameras and events) and homes.txt (the old grid index of each
responder's home, -1 for none). Buildings are placed by their centroid, or shapely's
point_on_surface where the centroid lies outside; points by the grid that covers them (the first
when several do); a home grid passes to the new grid sharing most of its area.
Prints one JSON object: the best of 3 times and how many of each kind move.
Run: pip install shapely
"""
import json, os, sys, time
import numpy as np
import shapely

d = sys.argv[1]
def wkt(name):
    with open(os.path.join(d, name)) as f:
        return shapely.from_wkt([line.strip() for line in f if line.strip()])
old, new, buildings = wkt("old.wkt"), wkt("new.wkt"), wkt("buildings.wkt")
def ids(name):
    with open(os.path.join(d, name)) as f:
        return np.array([line.strip() for line in f if line.strip()] + [""])   # [-1]: no grid
old_ids, new_ids = ids("old.ids"), ids("new.ids")
kinds, xs, ys = [], [], []
with open(os.path.join(d, "points.csv")) as f:
    for line in f:
        k, x, y = line.strip().split(",")
        kinds.append(k); xs.append(float(x)); ys.append(float(y))
kinds = np.array(kinds)
with open(os.path.join(d, "homes.txt")) as f:
    homes = np.array([int(line) for line in f if line.strip()])

def place(tree, points):
    """The index of the first grid covering each point, -1 where none does."""
    pairs = tree.query(points, predicate="covered_by")
    out = np.full(len(points), -1)
    # query returns (point, grid) pairs sorted by point; keep the first grid per point.
    first = np.unique(pairs[0], return_index=True)
    out[first[0]] = pairs[1][first[1]]
    return out

def run():
    old_tree, new_tree = shapely.STRtree(old), shapely.STRtree(new)
    reps = shapely.centroid(buildings)
    outside = ~shapely.contains(buildings, reps)
    reps[outside] = shapely.point_on_surface(buildings[outside])
    points = shapely.points(np.array(xs), np.array(ys))
    moved = {}
    for name, pts in (("buildings", reps), ("things", points)):
        a, b = old_ids[place(old_tree, pts)], new_ids[place(new_tree, pts)]
        if name == "buildings":
            moved["buildings"] = int(np.sum(a != b))
        else:
            for k in ("cameras", "events"):
                m = kinds == k
                moved[k] = int(np.sum(a[m] != b[m]))
    # Home grids: every old home grid against the new grids its box meets.
    wanted = np.unique(homes[homes >= 0])
    successor = {}
    pairs = new_tree.query(old[wanted], predicate="intersects")
    areas = shapely.area(shapely.intersection(old[wanted][pairs[0]], new[pairs[1]]))
    for i, j, a in zip(pairs[0], pairs[1], areas):
        o = wanted[i]
        if a > 0 and a > successor.get(o, (0, -1))[0]:
            successor[o] = (a, j)
    moved["responders"] = int(sum(1 for h in homes if h >= 0 and (h not in successor or new_ids[successor[h][1]] != old_ids[h])))
    return moved

times, moved = [], None
for _ in range(3):
    t = time.perf_counter()
    moved = run()
    times.append(time.perf_counter() - t)
print(json.dumps({"seconds": min(times), "moved": moved, "shapely": shapely.__version__,
                  "geos": ".".join(map(str, shapely.geos_version))}))
