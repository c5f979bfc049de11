"""The picture of the goal: a small figure of a built-in pose's correct form, for its side,
seen from where the camera stands, to lay over the live picture or put in the HTML page.

    figure = goal_figure("pigeon", "right", "side")        # (h, w, 4) uint8 BGRA, or None
    overlay_figure(frame, figure, x=10, y=10, height=160)   # draws it on frame, returns frame

The figures are made ahead of time by goals/make_goals.py (rendered bodies, `posecheck.synth`)
and ship as package data (`posecheck.goals`); each is read once and kept in memory. A
one-sided pose's figure is seen from its working side; the live window, a mirror, passes
mirror=True to draw it the way round the user sees themselves.
"""

from __future__ import annotations

import functools
import importlib.resources
from pathlib import Path

import cv2
import numpy as np

from posecheck.core.poses import PoseFileError, PoseSpec, builtin_dir, load_pose
from posecheck.core.views import VIEWS

#: The figure's view in words: "The goal: Malasana, seen from the front".
SEEN_FROM = {
    "front": "seen from the front", "back": "seen from behind", "three-quarter": "seen at an angle",
    "side": "seen from your side", "feet": "seen from your feet", "head": "seen from beyond your head",
}
#: The side shown for a one-sided pose whose side is not known yet: the routine's first.
FIRST_SIDE = "right"


def goals_dir() -> Path:
    """The figures' folder: in the installed package, or the checkout's goals/."""
    packaged = Path(str(importlib.resources.files("posecheck"))) / "goals"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "goals"


def is_builtin(pose: PoseSpec) -> bool:
    """Whether this pose is the bundled pose file of its name (a custom file has no figure)."""
    return _is_bundled(pose.path, pose.name)


@functools.lru_cache(maxsize=64)  # asked every live frame
def _is_bundled(path: str, name: str) -> bool:
    return Path(path).resolve() == (builtin_dir() / f"{name}.toml").resolve()


def goal_for(pose: PoseSpec, side: str | None, view: str | None) -> np.ndarray | None:
    """goal_figure for a loaded pose; None for a pose file that is not a bundled one."""
    return goal_figure(pose.name, side, view) if is_builtin(pose) else None


@functools.lru_cache(maxsize=64)
def goal_figure(pose_name: str, side: str | None, view: str | None) -> np.ndarray | None:
    """The figure of a built-in pose's correct form on `side` ("left" or "right"; ignored for
    a symmetric pose, the routine's first side when None) seen from `view` (views.VIEWS):
    (h, w, 4) uint8 BGRA, read-only. Without a figure for that view: the pose's best view's,
    else any view's (`goal_choice` says which). None for a pose with no figures (a custom
    pose)."""
    choice = goal_choice(pose_name, side, view)
    return None if choice is None else _read(_figures(pose_name)[choice])


def goal_choice(pose_name: str, side: str | None, view: str | None) -> tuple[str | None, str] | None:
    """(side, view) of the figure goal_figure shows for these, or None when it shows none."""
    figures = _figures(pose_name)
    if not figures:
        return None
    if any(s is not None for s, _ in figures):
        side = side if side in ("left", "right") else FIRST_SIDE
    else:
        side = None
    return next(((side, v) for v in _views_to_try(pose_name, view) if (side, v) in figures), None)


@functools.lru_cache(maxsize=16)
def _figures(pose_name: str) -> dict[tuple[str | None, str], Path]:
    """The pose's figure files by (side, view): <pose>-<view>.png, <pose>-<side>-<view>.png."""
    found = {}
    for path in sorted(goals_dir().glob("*.png")):
        rest = path.stem.removeprefix(f"{pose_name}-")
        if rest == path.stem:
            continue
        side, _, view = rest.partition("-") if rest.startswith(("left-", "right-")) else ("", "", rest)
        if view in VIEWS:
            found[side or None, view] = path
    return found


def _views_to_try(pose_name: str, view: str | None) -> list[str]:
    """The view asked for, then the pose's best views, then every other view."""
    try:
        best = list(load_pose(pose_name).best_views)
    except (PoseFileError, OSError):  # a broken or missing pose file only loses the preference
        best = []
    first = [view] if view else []
    return list(dict.fromkeys(first + best + list(VIEWS)))


def _read(path: Path) -> np.ndarray | None:
    image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if image is None or image.ndim != 3 or image.shape[2] != 4:
        return None
    image.flags.writeable = False
    return image


def png_bytes(figure: np.ndarray) -> bytes:
    """The figure as PNG bytes (with its transparency), for a page."""
    return cv2.imencode(".png", figure)[1].tobytes()


def overlay_figure(picture: np.ndarray, figure: np.ndarray, x: int, y: int, height: int,
                   mirror: bool = False) -> np.ndarray:
    """Lay a BGRA `figure`, scaled to `height` pixels, over the BGR `picture` with its top-left
    corner at (x, y), blending by its alpha; the part outside the picture is cut off.
    mirror=True flips it left to right (for a mirrored picture). Draws on `picture` and
    returns it."""
    if height < 1:
        return picture
    h, w = figure.shape[:2]
    width = max(1, round(w * height / h))
    small = figure if height == h else cv2.resize(figure, (width, height), interpolation=cv2.INTER_AREA)
    if mirror:
        small = small[:, ::-1]
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + width, picture.shape[1]), min(y + height, picture.shape[0])
    if x1 <= x0 or y1 <= y0:
        return picture
    part = np.ascontiguousarray(small[y0 - y:y1 - y, x0 - x:x1 - x])
    alpha = cv2.cvtColor(part[..., 3], cv2.COLOR_GRAY2BGR)
    region = picture[y0:y1, x0:x1]
    region[:] = cv2.add(cv2.multiply(part[..., :3], alpha, scale=1 / 255),
                        cv2.multiply(region, 255 - alpha, scale=1 / 255))
    return picture
