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
from posecheck.report.overlay import (
    DARK,
    GREY,
    SIMPLEX,
    SIZE,
    WHITE,
    _font,
    _put,
    _px,
    _shade,
    _text_size,
    ascii_text,
    draw_centred_message,
    draw_panel,
    draw_skeleton,
    fit_text,
    unit,
)

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
    """The picture to show (and record) for one frame."""
    h, w = image.shape[:2]
    factor = max(1.0, height / h)
    out = cv2.resize(image, (round(w * factor), round(h * factor)),
                     interpolation=cv2.INTER_LINEAR) if factor > 1.0 else image.copy()
    if mirror:
        out = cv2.flip(out, 1)
    if lm is not None:
        lm = scaled(lm, factor, out.shape[1], out.shape[0])
        draw_skeleton(out, mirror_x(lm) if mirror else lm, result)
    shown = replace(result, timer=None) if extras.countdown_s > 0 else result
    draw_panel(out, shown)
    u = unit(out)
    _draw_corner(out, extras, camera_hint(result), u)
    if extras.countdown_s > 0:
        draw_centred_message(out, f"Get ready: {int(np.ceil(extras.countdown_s))}", u, big=True)
    return out


def _draw_corner(frame: np.ndarray, extras: Extras, hint: str, u: float) -> None:
    """Bottom-right, above the timer strip: the step, the camera hint, the frame rate."""
    h, w = frame.shape[:2]
    pad, scale = _px(u, "pad"), _font(u, "header_font")
    lines = [text for text in (extras.step, hint) if text]
    if extras.fps is not None:
        lines.append(f"{extras.fps:.0f} fps")
    if not lines:
        return
    thick = max(1, round(scale * 1.6))
    _, th, base = _text_size("Ag", SIMPLEX, scale, thick)
    step = th + base + pad // 2
    bottom = h - _px(u, "timer_h") - pad
    for i, text in enumerate(reversed(lines)):
        fitted, s, t = fit_text(ascii_text(text), SIMPLEX, scale, False, w // 2, 1,
                                SIZE["min_font"])
        tw = _text_size(fitted[0], SIMPLEX, s, t)[0]
        y = bottom - i * step
        _shade(frame, w - tw - 2 * pad, y - th - pad // 2, w, y + base + pad // 4, DARK, 0.6)
        colour = GREY if text.endswith("fps") else WHITE
        _put(frame, fitted[0], (w - tw - pad, y), SIMPLEX, s, colour, t)
