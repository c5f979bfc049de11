"""Calibration: one person's proportions from frames of them standing facing the camera
with the whole body in view. Landmarks in, proportions or a one-line error out
(`posecheck.app.calibrate` feeds it the detected frames)."""

from __future__ import annotations

from collections import Counter
from typing import Iterable

import numpy as np

from posecheck.core import proportions as pr
from posecheck.core.features import measure
from posecheck.core.landmarks import INDEX, SEEN_VISIBILITY, Landmarks
from posecheck.core.views import estimate_view

#: Every landmark a bone is measured between must be seen, well inside the picture.
WHOLE_BODY = tuple(f"{s}_{p}" for s in pr.SIDES for p in (
    "shoulder", "elbow", "wrist", "hip", "knee", "ankle"))
MIN_KNEE_ANGLE = 150.0  # degrees: straight legs
MAX_TORSO_TILT = 20.0  # degrees from vertical
MIN_VIDEO_FRAMES = 10

PROBLEMS = {
    "person": "no person found in {source}: stand in good light, whole body in the picture",
    "whole": "your whole body is not in view in {source}: step back until you are seen from "
             "head to feet",
    "facing": "not facing the camera in {source}: stand facing it",
    "standing": "not standing upright in {source}: stand straight with your arms by your sides",
}


class CalibrationError(ValueError):
    """Input that gives no measurement; one line for the user."""


def frame_problem(lm: Landmarks | None) -> str | None:
    """What keeps this frame from being measured (a key of PROBLEMS), or None."""
    if lm is None:
        return "person"
    if estimate_view(lm).view not in ("front", "three-quarter"):
        return "facing"
    if any(lm.visibility[INDEX[n]] < SEEN_VISIBILITY or not lm.in_frame(n, -0.01)
           for n in WHOLE_BODY):
        return "whole"
    knees = min(measure(lm, "knee_angle", s) for s in pr.SIDES)
    if knees < MIN_KNEE_ANGLE or measure(lm, "torso_from_vertical", None) > MAX_TORSO_TILT:
        return "standing"
    return None


def measure_frames(frames: Iterable[Landmarks | None], source: str, min_frames: int
                   ) -> tuple[dict[str, float], int]:
    """The median bone lengths (torso lengths, left and right averaged) over the frames that
    show the whole body standing facing the camera, and how many frames those were."""
    problems: Counter[str] = Counter()
    sizes: list[dict[str, float]] = []
    for lm in frames:
        problem = frame_problem(lm)
        bones = pr.measure(lm) if problem is None else {}
        if problem is None and not bones:
            problem = "person"  # no world landmarks: nothing to measure
        if problem:
            problems[problem] += 1
        else:
            sizes.append(bones)
    if len(sizes) < min_frames:
        raise CalibrationError(_why(problems, len(sizes), min_frames, source))
    return {bone: round(float(np.median([_both_sides(s, bone) for s in sizes])), 3)
            for bone in pr.BONES}, len(sizes)


def _both_sides(sizes: dict[str, float], bone: str) -> float:
    if bone in sizes:
        return sizes[bone]
    return (sizes[f"left_{bone}"] + sizes[f"right_{bone}"]) / 2


def _why(problems: Counter[str], good: int, needed: int, source: str) -> str:
    if good == 0:
        seen = Counter({k: v for k, v in problems.items() if k != "person"})
        key = seen.most_common(1)[0][0] if seen else "person"
        return PROBLEMS[key].format(source=source)
    return (f"only {good} good frames in {source} (need {needed}): stand still, facing the "
            "camera, whole body in view, for a few seconds")
