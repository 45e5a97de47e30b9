#!/usr/bin/env python3
"""Fisher-Jenks natural breaks (k = 5) from PySAL's mapclassify, for the Swift tests.

Writes Tests/Fixtures/classification/jenks.csv: name, the four upper class limits (the fifth is
the maximum), and the values they were computed from, for
  sample_grids    events per grid of the sample district (Tests/Fixtures/gistar/sample_grids.csv)
  boston_crim     the Boston tracts' crime rate (Tests/Fixtures/realdata/boston_tracts)
  toronto_hoods   Toronto 2020 events per neighbourhood (Tests/Fixtures/realdata/toronto_mci_2020)

Run from the repository root: python3 scripts/reference/classification_reference.py
Needs: pip install mapclassify numpy  (mapclassify 2.10.0 here)
"""
import collections, csv, json, os
import numpy as np
import mapclassify

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
realdata = os.path.join(root, "Tests", "Fixtures", "realdata")
sets = {}
with open(os.path.join(root, "Tests", "Fixtures", "gistar", "sample_grids.csv")) as f:
    sets["sample_grids"] = [float(r["count"]) for r in csv.DictReader(f)]
with open(os.path.join(realdata, "boston_tracts", "boston_tracts.geojson")) as f:
    sets["boston_crim"] = [float(ft["properties"]["CRIM"]) for ft in json.load(f)["features"]]
with open(os.path.join(realdata, "toronto_mci_2020", "events_2020.csv")) as f:
    sets["toronto_hoods"] = [float(n) for n in sorted(collections.Counter(r["neighbourhood"] for r in csv.DictReader(f)).values())]
with open(os.path.join(root, "Tests", "Fixtures", "classification", "jenks.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["name", "b1", "b2", "b3", "b4", "values"])
    for name, values in sets.items():
        bins = mapclassify.FisherJenks(np.array(values), k=5).bins
        w.writerow([name] + [repr(float(b)) for b in bins[:4]] + [" ".join(repr(v) for v in values)])
        print(name, len(values), bins)
