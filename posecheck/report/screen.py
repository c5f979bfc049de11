"""The live picture: the camera frame (mirrored like a mirror, and enlarged so the words
read from across a room) with the skeleton, the cue, the check list and the hold timer
(`overlay`), plus what only live practice has: the get-ready countdown, the routine's
step, where to move the camera and the frame rate. Drawing only; nothing here decides
anything."""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from posecheck.core.judge import FrameResult
from posecheck.core.landmarks import Landmarks
from posecheck.core.views import PLACEMENT
from posecheck.report.goal import goal_for
from posecheck.report.overlay import draw_panel, draw_skeleton

#: The live picture is drawn at least this tall (a 480p camera is enlarged), so text
#: scales with it.
DISPLAY_HEIGHT = 720


@dataclass(frozen=True)
class Extras:
    fps: float | None = None
    countdown_s: float = 0.0  # > 0: the get-ready countdown is on
    step: str = ""  # "Step 2 of 6: Pigeon, right side"


def mirror_x(lm: Landmarks) -> Landmarks:
    """The landmarks where they appear in the mirrored picture; names unchanged, so the
    person's own left stays 'left' in the cues."""
    xyz = lm.xyz.copy()
    xyz[:, 0] = lm.width - xyz[:, 0]
    return replace(lm, xyz=xyz)


def scaled(lm: Landmarks, factor: float, width: int, height: int) -> Landmarks:
    return replace(lm, xyz=lm.xyz * factor, width=width, height=height)


def camera_hint(result: FrameResult) -> str:
    """Where to put the camera when the current view is not one the hold counts from."""
    pose = result.pose
    if pose is None or not result.person or not pose.best_views or result.view in pose.best_views:
        return ""
    return f"Put the camera {PLACEMENT[pose.best_views[0]]}"


def compose(image: np.ndarray, lm: Landmarks | None, result: FrameResult, extras: Extras,
            mirror: bool = True, height: int = DISPLAY_HEIGHT) -> np.ndarray:
    """The picture to show (and record) for one frame: the panels go where the body is not
    (`overlay.draw_panel`); the countdown, the routine's step, the camera hint and the frame
    rate join them in the side column."""
    h, w = image.shape[:2]
    factor = max(1.0, height / h)
    out = cv2.resize(image, (round(w * factor), round(h * factor)),
                     interpolation=cv2.INTER_LINEAR) if factor > 1.0 else image.copy()
    if mirror:
        out = cv2.flip(out, 1)
    shown = None
    if lm is not None:
        shown = scaled(lm, factor, out.shape[1], out.shape[0])
        shown = mirror_x(shown) if mirror else shown
        draw_skeleton(out, shown, result)
    lines = [text for text in (extras.step, camera_hint(result)) if text]
    if extras.fps is not None:
        lines.append(f"{extras.fps:.0f} fps")
    figure = goal_for(result.pose, result.side, result.view) if result.pose else None
    return draw_panel(out, result, shown, lines, extras.countdown_s, figure, mirror)
