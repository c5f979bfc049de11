"""A vectorised numpy z-buffer triangle rasteriser.

Every triangle is expanded into the pixel centres of its bounding box at once (no Python loop
over triangles), the centres inside it are kept, and the nearest one per pixel wins. Ties are
broken by triangle order, so the result depends only on the inputs (bit-identical reruns).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Raster:
    """Per-pixel result, flat arrays of length height * width (row-major)."""

    width: int
    height: int
    triangle: np.ndarray   # int32, -1 where nothing was drawn
    bary: np.ndarray       # (N, 3) float32 barycentric weights (perspective-correct)
    depth: np.ndarray      # float32, inf where nothing was drawn


def rasterize(xy: np.ndarray, z: np.ndarray, faces: np.ndarray, width: int, height: int,
              cull: str | None = "back", perspective: bool = True, near: float = 1e-3) -> Raster:
    """Draws triangles given projected vertices.

    xy: (V, 2) pixel coordinates (pixel centres at i + 0.5); z: (V,) depth, smaller is nearer.
    faces: (F, 3) vertex indices, counter-clockwise seen from outside (y up).
    cull: "back" drops triangles facing away from the viewer, None keeps all.
    perspective: interpolate attributes perspective-correctly (False for orthographic views).
    """
    xy = np.asarray(xy, np.float64)
    z = np.asarray(z, np.float64)
    faces = np.asarray(faces)
    p0, p1, p2 = xy[faces[:, 0]], xy[faces[:, 1]], xy[faces[:, 2]]
    z0, z1, z2 = z[faces[:, 0]], z[faces[:, 1]], z[faces[:, 2]]
    e1 = p1 - p0
    e2 = p2 - p0
    det = e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0]
    keep = np.isfinite(det) & (np.abs(det) > 1e-12) & (np.minimum(np.minimum(z0, z1), z2) > near)
    if cull == "back":
        keep &= det < 0  # y points down in the image: front faces turn clockwise there
    elif cull == "front":
        keep &= det > 0
    pts = np.stack([p0, p1, p2], axis=1)
    lo = np.ceil(pts.min(axis=1) - 0.5)
    hi = np.floor(pts.max(axis=1) - 0.5)
    lo = np.maximum(lo, 0)
    hi = np.minimum(hi, [width - 1, height - 1])
    keep &= (hi >= lo).all(axis=1)
    tri = np.flatnonzero(keep)
    n_pix = width * height
    empty = Raster(width, height, np.full(n_pix, -1, np.int32), np.zeros((n_pix, 3), np.float32),
                   np.full(n_pix, np.inf, np.float32))
    if len(tri) == 0:
        return empty
    lo_t = lo[tri].astype(np.int64)
    size = (hi[tri] - lo[tri]).astype(np.int64) + 1
    count = size[:, 0] * size[:, 1]
    total = int(count.sum())
    owner = np.repeat(np.arange(len(tri)), count)
    start = np.cumsum(count) - count
    k = np.arange(total, dtype=np.int64) - start[owner]
    w = size[owner, 0]
    px = lo_t[owner, 0] + k % w
    py = lo_t[owner, 1] + k // w

    t = tri[owner]
    inv = 1.0 / det[t]
    dx = px + 0.5 - p0[t, 0]
    dy = py + 0.5 - p0[t, 1]
    l1 = (dx * e2[t, 1] - dy * e2[t, 0]) * inv
    l2 = (e1[t, 0] * dy - e1[t, 1] * dx) * inv
    l0 = 1.0 - l1 - l2
    eps = -1e-7
    inside = (l0 >= eps) & (l1 >= eps) & (l2 >= eps)
    t, l0, l1, l2, px, py = t[inside], l0[inside], l1[inside], l2[inside], px[inside], py[inside]
    if perspective:
        w0, w1, w2 = l0 / z0[t], l1 / z1[t], l2 / z2[t]
        s = w0 + w1 + w2
        depth = 1.0 / s
        b = np.stack([w0 / s, w1 / s, w2 / s], axis=1)
    else:
        depth = l0 * z0[t] + l1 * z1[t] + l2 * z2[t]
        b = np.stack([l0, l1, l2], axis=1)
    pix = py * width + px
    depth32 = depth.astype(np.float32)
    # Sort by (pixel, depth, triangle): positive float32 bits sort like the numbers.
    positive = (depth - depth.min() + 1.0).astype(np.float32)
    key = (pix.astype(np.uint64) << np.uint64(32)) | positive.view(np.uint32).astype(np.uint64)
    order = np.lexsort((t, key))
    pix_sorted = pix[order]
    first = np.ones(len(order), bool)
    first[1:] = pix_sorted[1:] != pix_sorted[:-1]
    win = order[first]
    empty.triangle[pix[win]] = t[win]
    empty.bary[pix[win]] = b[win]
    empty.depth[pix[win]] = depth32[win]
    return empty
