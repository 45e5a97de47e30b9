#!/usr/bin/env python3
"""Reference GCJ-02 and BD-09 values from an independent implementation (PyPI `prcoords`,
public domain, Krasovsky ellipsoid as in the original formula; `eviltransform` uses the WGS84
radius instead and differs by about 1e-7 degrees, so it is not used).

Writes Tests/Fixtures/gcj02_reference.csv: WGS84 points across China with prcoords' forward
GCJ-02 and BD-09 results.
Run: pip install prcoords && python3 scripts/reference/gcj02_reference.py
"""
import csv, os, random
import prcoords

rng = random.Random(20261124)
points = [(120.2, 30.27), (116.397, 39.908), (121.4737, 31.2304), (113.2644, 23.1291), (104.0665, 30.5723)]
points += [(rng.uniform(75, 134), rng.uniform(18, 53)) for _ in range(200)]
points += [(rng.uniform(120.10, 120.35), rng.uniform(30.20, 30.40)) for _ in range(100)]
out = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Fixtures", "gcj02_reference.csv")
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["wgs_lon", "wgs_lat", "gcj_lon", "gcj_lat", "bd_lon", "bd_lat"])
    for lon, lat in points:
        g = prcoords.wgs_gcj(prcoords.Coords(lat, lon))   # prcoords takes (lat, lon)
        b = prcoords.gcj_bd(g)
        w.writerow([repr(lon), repr(lat), repr(g.lon), repr(g.lat), repr(b.lon), repr(b.lat)])
print("wrote", len(points), "points to", os.path.normpath(out))
