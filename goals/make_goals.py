"""Render the pictures of the goal: `python goals/make_goals.py` (about a minute).

For every built-in pose, side (left and right for a one-sided pose) and camera view the pose
can be seen from (its `best_views` and every check's `views`), one rendered body in the
pose's correct form (`posecheck.synth.scripts`, the sample clips' own), seen from where a
camera with that view stands, written to goals/<pose>[-<side>]-<view>.png: a BGRA PNG,
cropped to the body, HEIGHT pixels tall, transparent around it. `posecheck.report.goal`
reads them. Same inputs give the same bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.core.poses import load_all
from posecheck.core.views import VIEWS
from posecheck.synth import Appearance, Camera, Scene, load_body, pose_body, render
from posecheck.synth.raster import rasterize
from posecheck.synth.scripts import RECIPES

HEIGHT = 200  # pixels: the figure's height
RENDER = 900  # pixels: the square frame rendered, then shrunk to HEIGHT (anti-aliasing)
RIM = 2  # pixels: the light ring around the body
RIM_COLOUR = (245.0, 245.0, 245.0)
RIM_ALPHA = 0.8
BODY = "neutral"
LOOK = Appearance(top="tshirt", bottom="leggings", top_color=(40, 120, 170), bottom_color=(45, 45, 60))
#: Where the camera stands for each view: (azimuth degrees, height metres), azimuth as in
#: `Camera.orbit` (0: in front of an upright body, at the feet of one lying on its back
#: (head toward +Y); 90: on the body's left). A one-sided pose is seen from its working
#: side: the azimuth is mirrored for the right side.
PLACES = {
    "squat": {"front": (0.0, 0.95), "side": (90.0, 0.9), "three-quarter": (40.0, 0.95),
              "back": (180.0, 0.95)},
    "supine": {"side": (90.0, 0.7), "three-quarter": (50.0, 1.0), "feet": (0.0, 1.25),
               "head": (180.0, 1.25)},
    "pigeon": {"side": (90.0, 0.7), "three-quarter": (45.0, 0.8), "front": (0.0, 0.7),
               "back": (180.0, 0.8), "head": (0.0, 1.4)},
}


def views_of(pose) -> list[str]:
    """The views a pose can be seen from: its best views and every check's, in VIEWS order."""
    seen = set(pose.best_views).union(*(c.views for c in pose.checks))
    return [v for v in VIEWS if v in seen]


def camera_for(posed, kind: str, view: str, side: str | None) -> Camera:
    azimuth, height = PLACES[kind][view]
    if side == "right":
        azimuth = -azimuth
    return Camera.fit(posed.vertices, azimuth_deg=azimuth, camera_z=height, fill=0.9,
                      fov_deg=40.0, width=RENDER, height=RENDER)


def body_mask(posed, camera: Camera) -> np.ndarray:
    """(H, W) bool: the pixels the body covers, not hidden under the floor."""
    xy, z = camera.project(posed.vertices)
    r = rasterize(xy, z, posed.faces, camera.width, camera.height, cull="back")
    rays = camera.rays().reshape(-1, 3)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = -camera.position[2] / rays[:, 2]
    floor = np.where(t > 0, t * (rays @ camera.rotation[2]), np.inf)
    return ((r.triangle >= 0) & (r.depth < floor)).reshape(camera.height, camera.width)


def lit_from(camera: Camera) -> Scene:
    """Light from above, behind the camera and a little to its left: the side seen is lit."""
    sight = np.subtract(camera.target, camera.position)[:2]
    sight /= np.linalg.norm(sight)
    left = np.array([-sight[1], sight[0]])
    towards = -sight + 0.5 * left
    return Scene(light_dir=(float(towards[0]), float(towards[1]), 1.6))


def figure(posed, camera: Camera) -> np.ndarray:
    """The body alone, cropped, shrunk to HEIGHT and ringed: (HEIGHT, w, 4) uint8 BGRA."""
    colour = render(posed, camera, LOOK, lit_from(camera)).astype(np.float32)
    alpha = body_mask(posed, camera).astype(np.float32)
    ys, xs = np.nonzero(alpha)
    colour = colour[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    alpha = alpha[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    inner = HEIGHT - 2 * RIM
    size = (max(1, round(alpha.shape[1] * inner / alpha.shape[0])), inner)
    # shrink colour premultiplied by alpha, so no room colour bleeds into the edges
    small_a = cv2.resize(alpha, size, interpolation=cv2.INTER_AREA)
    small_c = cv2.resize(colour * alpha[..., None], size, interpolation=cv2.INTER_AREA)
    return _ringed(np.pad(small_c, ((RIM, RIM), (RIM, RIM), (0, 0))), np.pad(small_a, RIM))


def _ringed(premultiplied: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """BGRA with a light ring RIM pixels wide around the body (it shows on a dark picture)."""
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * RIM + 1, 2 * RIM + 1))
    ring = np.clip(cv2.dilate(alpha, disc) - alpha, 0.0, 1.0) * RIM_ALPHA
    total = alpha + ring
    colour = (premultiplied + ring[..., None] * RIM_COLOUR) / np.maximum(total, 1e-6)[..., None]
    out = np.dstack([colour, total * 255.0])
    out[total < 1 / 255] = 0
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


def make(pose, side: str | None, view: str) -> np.ndarray:
    recipe, form = RECIPES[pose.name]
    body = load_body(BODY)
    posed = pose_body(body, recipe.build(body, form(), side))
    return figure(posed, camera_for(posed, recipe.kind, view, side))


def file_name(pose: str, side: str | None, view: str) -> str:
    return f"{pose}-{side}-{view}.png" if side else f"{pose}-{view}.png"


def main() -> None:
    out = ROOT / "goals"
    total = 0
    for pose in load_all():
        sides = ("left", "right") if pose.asymmetric else (None,)
        for side in sides:
            for view in views_of(pose):
                path = out / file_name(pose.name, side, view)
                cv2.imwrite(str(path), make(pose, side, view), [cv2.IMWRITE_PNG_COMPRESSION, 9])
                total += path.stat().st_size
                print(f"{path.name}: {path.stat().st_size / 1e3:.0f} kB", flush=True)
    print(f"{total / 1e6:.2f} MB in all")


if __name__ == "__main__":
    main()
