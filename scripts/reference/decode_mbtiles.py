"""Decodes every tile of an MBTiles file with PyPI's mapbox-vector-tile (an independent MVT
decoder) and prints, per tile and layer, the sorted `id` attributes of its features, as JSON:
{"z/x/y": {"layer": ["id", ...]}}. Rings are checked as the MVT 2.1 specification says: each
polygon's first ring has positive area in tile coordinates (y down), later rings negative.

  python3 scripts/reference/decode_mbtiles.py FILE.mbtiles > ids.json
Needs: pip install mapbox-vector-tile (2.1.0 here). Exits 1 naming the first bad ring.
"""
import gzip, json, sqlite3, sys
import mapbox_vector_tile

def area(ring):
    return sum(ring[i][0] * ring[(i + 1) % len(ring)][1] - ring[(i + 1) % len(ring)][0] * ring[i][1] for i in range(len(ring)))

out = {}
for z, x, row, data in sqlite3.connect(sys.argv[1]).execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles"):
    y = (1 << z) - 1 - row
    raw = bytes(data)
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    # y_coord_down: coordinates exactly as stored (the decoder flips y by default).
    tile = mapbox_vector_tile.decode(raw, default_options={"y_coord_down": True})
    key = f"{z}/{x}/{y}"
    out[key] = {}
    for name, layer in tile.items():
        ids = []
        for f in layer["features"]:
            ids.append(str(f["properties"].get("id", "")))
            g = f["geometry"]
            polygons = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"] if g["type"] == "MultiPolygon" else []
            for polygon in polygons:
                for k, ring in enumerate(polygon):
                    a = area(ring[:-1] if ring[0] == ring[-1] else ring)
                    if (k == 0) != (a > 0):
                        print(f"{key} {name} {ids[-1]}: ring {k} has area {a}", file=sys.stderr)
                        sys.exit(1)
        out[key][name] = sorted(ids)
json.dump(out, sys.stdout)
