#!/usr/bin/env python3
"""k-nearest-neighbour references for `gridwall bench nearest`: scipy's cKDTree and pykdtree.

usage: knn_reference.py RESPONDERS.csv QUERIES.csv K OUT_PREFIX
RESPONDERS.csv: x,y,available (local metres; 1 = available). QUERIES.csv: x,y.
The trees hold the available responders only (a kd-tree cannot filter), which favours them.
Prints one JSON object with build and query times (best of 3), one core; writes
OUT_PREFIX.<lib>.txt with the K neighbour row numbers (into RESPONDERS.csv) per query.
Run: pip install scipy pykdtree
"""
import json, os, sys, time
os.environ.setdefault("OMP_NUM_THREADS", "1")   # pykdtree uses OpenMP: one core, like ours
import numpy as np
from scipy.spatial import cKDTree
from pykdtree.kdtree import KDTree

responders = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
queries = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1)
k, prefix = int(sys.argv[3]), sys.argv[4]
rows = np.nonzero(responders[:, 2] == 1)[0]
points = np.ascontiguousarray(responders[rows, :2])
q = np.ascontiguousarray(queries[:, :2])

def best(f, n=3):
    times, result = [], None
    for _ in range(n):
        t = time.perf_counter(); result = f(); times.append(time.perf_counter() - t)
    return min(times), result

out = {"available": int(len(rows)), "queries": int(len(q))}
build, tree = best(lambda: cKDTree(points))
query, (_, idx) = best(lambda: tree.query(q, k=k, workers=1))
out["ckdtree"] = {"build_s": build, "query_s": query}
np.savetxt(prefix + ".ckdtree.txt", rows[idx], fmt="%d")
build, tree = best(lambda: KDTree(points))
query, (_, idx) = best(lambda: tree.query(q, k=k))
out["pykdtree"] = {"build_s": build, "query_s": query}
np.savetxt(prefix + ".pykdtree.txt", rows[idx.astype(np.int64)], fmt="%d")
print(json.dumps(out))
