#!/usr/bin/env python3
"""Kernel density reference for `gridwall bench kde`: numpy's binned FFT, as a user would write
it. Linear binning of the points onto the cell centres (np.bincount on the four corners), then
the quartic kernel sampled at the cell offsets, convolved by real FFTs of the zero-padded
grids; one thread, timed REPEATS times (default 3).

usage: kde_reference.py POINTS.f64 MINX MINY CELL COLUMNS ROWS BANDWIDTH OUT.f64 [REPEATS]
POINTS.f64: little-endian float64 x, y pairs (metres). Writes the raster (events per km², row
by row from the bottom) to OUT.f64 and prints {"seconds": best, "median": …, "numpy": version}.
Run: pip install numpy
"""
import json, sys, time
import numpy as np

pts = np.fromfile(sys.argv[1], dtype="<f8").reshape(-1, 2)
minx, miny, c = float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
cols, rows, h = int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7])


def kde():
    r = int(h // c)
    pad = r + 1
    W, H = cols + 2 * pad, rows + 2 * pad
    fx = (pts[:, 0] - (minx - pad * c)) / c - 0.5
    fy = (pts[:, 1] - (miny - pad * c)) / c - 0.5
    ok = (fx >= 0) & (fy >= 0) & (fx < W - 1) & (fy < H - 1)
    fx, fy = fx[ok], fy[ok]
    i, j = fx.astype(np.int64), fy.astype(np.int64)
    tx, ty = fx - i, fy - j
    k = j * W + i
    bins = (np.bincount(k, (1 - tx) * (1 - ty), W * H) + np.bincount(k + 1, tx * (1 - ty), W * H)
            + np.bincount(k + W, (1 - tx) * ty, W * H) + np.bincount(k + W + 1, tx * ty, W * H)).reshape(H, W)
    d = np.arange(-r, r + 1) * c
    d2 = d[None, :] ** 2 + d[:, None] ** 2
    kern = np.where(d2 < h * h, 3 / (np.pi * h * h) * (1 - d2 / (h * h)) ** 2, 0.0) * 1e6
    shape = (H + 2 * r, W + 2 * r)
    full = np.fft.irfft2(np.fft.rfft2(bins, shape) * np.fft.rfft2(kern, shape), shape)
    return full[r + pad:r + pad + rows, r + pad:r + pad + cols]


repeats = int(sys.argv[9]) if len(sys.argv) > 9 else 3
times, out = [], None
for _ in range(repeats):
    t = time.perf_counter()
    out = kde()
    times.append(time.perf_counter() - t)
np.ascontiguousarray(out, dtype="<f8").tofile(sys.argv[8])
times.sort()
print(json.dumps({"seconds": times[0], "median": times[len(times) // 2], "numpy": np.__version__}))
