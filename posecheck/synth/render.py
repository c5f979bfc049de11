"""Renders a posed body in a room: numpy z-buffer, smooth shading, a shadow map. CPU only.

    image = render(posed, camera, Appearance(), Scene())   # (H, W, 3) uint8 BGR

The room (floor with the mat, walls, ceiling) is ray-cast per pixel; the body's triangles are
rasterised (raster.py) and shaded per pixel from interpolated normals (Phong-interpolated
normals, Lambert light plus a sky/ground ambient), with the directional light's shadow from a
shadow map of the body. Same inputs give the same bytes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

import cv2
import numpy as np

from posecheck.synth import rotations as rot
from posecheck.synth.camera import Camera
from posecheck.synth.raster import rasterize
from posecheck.synth.scene import Appearance, Scene, vertex_colors
from posecheck.synth.skeleton import Body, PosedBody


def vertex_normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Area-weighted unit vertex normals."""
    v0, v1, v2 = (vertices[faces[:, k]] for k in range(3))
    fn = np.cross(v1 - v0, v2 - v0)
    idx = faces.ravel()
    vals = np.repeat(fn, 3, axis=0)
    n = np.stack([np.bincount(idx, weights=vals[:, c], minlength=len(vertices)) for c in range(3)], axis=1)
    length = np.linalg.norm(n, axis=1, keepdims=True)
    return n / np.maximum(length, 1e-12)


@functools.lru_cache(maxsize=8)
def _colors(body: Body, appearance: Appearance) -> np.ndarray:
    return vertex_colors(body, appearance)


@dataclass
class ShadowMap:
    """Orthographic depth map of the body seen from the light."""

    basis: np.ndarray    # rows: u, v (map axes), w (direction the light travels)
    origin: np.ndarray   # (2,) map coordinates of texel (0, 0)'s corner
    texel: float         # metres per texel
    depth: np.ndarray    # (H, W) nearest depth along w, inf where empty

    @classmethod
    def build(cls, vertices: np.ndarray, faces: np.ndarray, light_dir, resolution: int) -> "ShadowMap":
        basis = light_basis(light_dir)
        p = vertices @ basis.T
        lo = p[:, :2].min(axis=0) - 0.05
        hi = p[:, :2].max(axis=0) + 0.05
        texel = float((hi - lo).max() / resolution)
        size = np.ceil((hi - lo) / texel).astype(int) + 1
        xy = (p[:, :2] - lo) / texel
        r = rasterize(xy, p[:, 2], faces, int(size[0]), int(size[1]), cull="back", perspective=False,
                      near=-np.inf)  # only the faces turned toward the light (a closed mesh)
        return cls(basis, lo, texel, r.depth.reshape(size[1], size[0]).astype(np.float64))

    def lit(self, points: np.ndarray, bias: float = 0.012) -> np.ndarray:
        """Share of light reaching each world point (0 shadowed .. 1 lit)."""
        return self.lit_light_space(points @ self.basis.T, bias)

    def lit_light_space(self, p: np.ndarray, bias: float = 0.012) -> np.ndarray:
        """As lit(), for points already in light space (p = points @ basis.T); 3x3 PCF."""
        xy = (p[:, :2] - self.origin) / self.texel - 0.5
        h, w = self.depth.shape
        result = np.ones(len(p))
        near = np.flatnonzero((xy[:, 0] > -2) & (xy[:, 0] < w + 1) & (xy[:, 1] > -2) & (xy[:, 1] < h + 1))
        if len(near) == 0:
            return result
        padded = np.pad(self.depth, 2, constant_values=np.inf)
        x0 = np.floor(xy[near, 0]).astype(int) + 2
        y0 = np.floor(xy[near, 1]).astype(int) + 2
        depth = p[near, 2] - bias
        total = np.zeros(len(near))
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                total += depth <= padded[y0 + dy, x0 + dx]
        result[near] = total / 9.0
        return result


def light_basis(light_dir) -> np.ndarray:
    """Rows u, v (shadow-map axes) and w (the direction the light travels), right-handed."""
    w = -rot.unit(np.asarray(light_dir, float))
    u = rot.unit(np.cross(w, [0.0, 1.0, 0.0]) if abs(w[1]) < 0.9 else np.cross(w, [1.0, 0.0, 0.0]))
    return np.stack([u, np.cross(w, u), w])


@functools.lru_cache(maxsize=4)
def _room(camera: Camera, scene: Scene, scale: int) -> dict[str, np.ndarray]:
    """Ray-casts the room for every pixel: depth, world point, normal, colour (cached: a clip
    from a fixed camera pays for it once)."""
    dirs = camera.rays(scale).reshape(-1, 3)
    origin = np.asarray(camera.position, float)
    hx, hy = scene.room_half
    planes = [  # (axis, value, inward normal, colour)
        (2, 0.0, (0, 0, 1), scene.floor_color),
        (2, scene.room_height, (0, 0, -1), scene.ceiling_color),
        (1, hy, (0, -1, 0), scene.wall_color),
        (1, -hy, (0, 1, 0), scene.wall_color),
        (0, hx, (-1, 0, 0), scene.side_wall_color),
        (0, -hx, (1, 0, 0), scene.side_wall_color),
    ]
    n = len(dirs)
    best_t = np.full(n, np.inf)
    best = np.zeros(n, int)
    with np.errstate(divide="ignore", invalid="ignore"):
        for k, (axis, value, _, _) in enumerate(planes):
            t = (value - origin[axis]) / dirs[:, axis]
            ok = (t > 1e-6) & (t < best_t)
            best_t[ok] = t[ok]
            best[ok] = k
    best_t[~np.isfinite(best_t)] = 1e3
    pos = origin + dirs * best_t[:, None]
    normal = np.array([p[2] for p in planes], float)[best]
    color = np.array([p[3] for p in planes], float)[best] / 255.0

    floor = best == 0
    fx, fy = pos[floor, 0], pos[floor, 1]
    plank = np.floor(fx / 0.14)
    shade = 0.94 + 0.06 * np.sin(plank * 12.9898) * np.cos(plank * 4.1414)
    seam = (np.abs(fx / 0.14 - np.round(fx / 0.14)) < 0.02) | (np.abs(((fy + 0.37 * plank) % 1.2) - 0.6) < 0.004)
    shade = np.where(seam, shade * 0.8, shade)
    color[floor] *= shade[:, None]
    # The mat: a rectangle on the floor in its own (turned) coordinates.
    yaw = np.radians(scene.mat_yaw_deg)
    mx, my = fx - scene.mat_center[0], fy - scene.mat_center[1]
    ax = np.cos(yaw) * mx + np.sin(yaw) * my
    ay = -np.sin(yaw) * mx + np.cos(yaw) * my
    half = np.asarray(scene.mat_size) / 2
    on_mat = (np.abs(ax) <= half[0]) & (np.abs(ay) <= half[1])
    edge = on_mat & ((half[0] - np.abs(ax) < 0.012) | (half[1] - np.abs(ay) < 0.012))
    mat_col = np.where(edge[:, None], np.asarray(scene.mat_color) / 255.0 * 0.82, np.asarray(scene.mat_color) / 255.0)
    fc = color[floor]
    fc[on_mat] = mat_col[on_mat]
    color[floor] = fc
    # Skirting boards where the walls meet the floor.
    wall = best >= 2
    skirting = wall & (pos[:, 2] < 0.09)
    color[skirting] = np.array([236, 234, 228]) / 255.0

    forward = camera.rotation[2]
    depth = best_t * (dirs @ forward)
    ambient = _shade(color, normal, np.zeros(n), scene.light_dir, scene, scene.room_fill)
    direct = _shade(color, normal, np.ones(n), scene.light_dir, scene, scene.room_fill) - ambient
    facing = np.flatnonzero(direct.sum(axis=1) > 0)  # only these can fall in the body's shadow
    out = {"depth": depth, "ambient": ambient.astype(np.float32), "direct": direct.astype(np.float32),
           "lit_image": (ambient + direct).astype(np.float32), "facing": facing,
           "facing_light_space": pos[facing] @ light_basis(scene.light_dir).T}
    for array in out.values():
        array.flags.writeable = False
    return out


def _shade(albedo, normal, lit, light_dir, scene: Scene, fill: float = 0.0) -> np.ndarray:
    ldir = rot.unit(np.asarray(light_dir, float))
    lambert = np.clip(normal @ ldir, 0.0, None) * lit
    sky = scene.ambient * (0.8 + 0.2 * normal[:, 2]) + fill
    return albedo * (sky + scene.light * lambert)[:, None]


def render(posed: PosedBody, camera: Camera, appearance: Appearance = Appearance(),
           scene: Scene = Scene(), supersample: int = 1) -> np.ndarray:
    """The posed body in the scene seen by the camera: (height, width, 3) uint8 BGR.

    supersample = 2 renders at twice the size and shrinks (anti-aliasing, ~4x slower).
    """
    s = int(supersample)
    if s < 1:
        raise ValueError(f"supersample must be >= 1, got {supersample}")
    cam = replace(camera, width=camera.width * s, height=camera.height * s)
    w, h = cam.width, cam.height
    body = posed.body
    faces = body.faces
    verts = posed.vertices

    room = _room(camera, scene, s)
    xy, z = cam.project(verts)
    raster = rasterize(xy, z, faces, w, h, cull="back")
    on_body = (raster.triangle >= 0) & (raster.depth < room["depth"])

    shadow = ShadowMap.build(verts, faces, scene.light_dir, scene.shadow_resolution) if scene.shadows else None

    # Room pixels: the cached lit room, darkened where the body's shadow falls.
    out = room["lit_image"].copy()
    if shadow is not None:
        lit = shadow.lit_light_space(room["facing_light_space"], bias=0.02)
        dark = lit < 1.0
        idx = room["facing"][dark]
        out[idx] = room["ambient"][idx] + room["direct"][idx] * lit[dark, None].astype(np.float32)

    # Body pixels: interpolate position, normal and colour over each triangle.
    if on_body.any():
        tri = faces[raster.triangle[on_body]]
        b = raster.bary[on_body].astype(np.float64)
        normals = vertex_normals(verts, faces)
        colors = _colors(body, appearance)

        def interp(attr: np.ndarray) -> np.ndarray:
            return (attr[tri[:, 0]] * b[:, :1] + attr[tri[:, 1]] * b[:, 1:2] + attr[tri[:, 2]] * b[:, 2:3])

        n = interp(normals)
        n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
        pos = interp(verts)
        lit = shadow.lit(pos + 0.01 * n, bias=0.015) if shadow is not None else 1.0
        out[on_body] = _shade(interp(colors), n, lit, scene.light_dir, scene)

    img = np.clip(out.reshape(h, w, 3) * 255.0 + 0.5, 0, 255).astype(np.uint8)
    if s > 1:
        img = cv2.resize(img, (camera.width, camera.height), interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(img[:, :, ::-1])
