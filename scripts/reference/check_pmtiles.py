"""Reads a PMTiles archive with the PyPI `pmtiles` package (an independent reader) and checks it
holds exactly the tiles of an MBTiles file exported from the same store, byte for byte.

  python3 scripts/reference/check_pmtiles.py OUT.pmtiles OUT.mbtiles
Prints "N tiles identical" and exits 0, or names the first difference and exits 1.
Needs: pip install pmtiles (3.4.1 here).
"""
import sqlite3, sys
from pmtiles.reader import Reader, MmapSource, all_tiles

pm_path, mb_path = sys.argv[1], sys.argv[2]
db = sqlite3.connect(mb_path)
expected = {}
for z, x, row, data in db.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles"):
    expected[(z, x, (1 << z) - 1 - row)] = bytes(data)
with open(pm_path, "rb") as f:
    source = MmapSource(f)
    reader = Reader(source)
    header = reader.header()
    meta = reader.metadata()
    assert "vector_layers" in meta, "metadata without vector_layers"
    for (z, x, y), data in expected.items():
        got = reader.get(z, x, y)
        if got != data:
            print(f"tile {z}/{x}/{y}: {'missing' if got is None else 'differs'}")
            sys.exit(1)
    listed = sum(1 for _ in all_tiles(source))
    if listed != len(expected):
        print(f"the archive lists {listed} tiles, the MBTiles holds {len(expected)}")
        sys.exit(1)
    print(f"{len(expected)} tiles identical; zooms {header['min_zoom']}-{header['max_zoom']}")
