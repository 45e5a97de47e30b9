#!/usr/bin/env python3
"""Reference geodesic distances and azimuths on WGS84 from GeographicLib's own Python
implementation (PyPI `geographiclib`, independent of PROJ's C code).

Writes Tests/Fixtures/geodesic_reference.csv.
Run: pip install geographiclib && python3 scripts/reference/geodesic_reference.py
"""
import csv, os, random
from geographiclib.geodesic import Geodesic

rng = random.Random(7)
pairs = [((120.2, 30.27), (120.21, 30.27)), ((120.1, 30.2), (120.35, 30.4)), ((0, 0), (179.5, 0.5)), ((-70, -33), (151, -34))]
for _ in range(100):
    lon, lat = rng.uniform(120.1, 120.35), rng.uniform(30.2, 30.4)
    pairs.append(((lon, lat), (lon + rng.uniform(-0.05, 0.05), lat + rng.uniform(-0.05, 0.05))))
for _ in range(50):
    pairs.append(((rng.uniform(-180, 180), rng.uniform(-85, 85)), (rng.uniform(-180, 180), rng.uniform(-85, 85))))
out = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Fixtures", "geodesic_reference.csv")
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["lon1", "lat1", "lon2", "lat2", "distance_m", "azimuth1", "azimuth2"])
    for (lon1, lat1), (lon2, lat2) in pairs:
        g = Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)
        w.writerow([repr(lon1), repr(lat1), repr(lon2), repr(lat2), repr(g["s12"]), repr(g["azi1"] % 360), repr(g["azi2"] % 360)])
print("wrote", len(pairs), "pairs to", os.path.normpath(out))
