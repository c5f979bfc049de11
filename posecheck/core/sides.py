"""Working-side detectors for asymmetric poses, chosen by name in a pose file.

Each returns "left", "right", or None when the landmarks do not decide it. Sides are the
person's own (MediaPipe names landmarks after the person's anatomy, not the picture).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from posecheck.core.features import measure
from posecheck.core.landmarks import INDEX, LEGS_SWAPPED, SEEN_VISIBILITY, Landmarks, other_side

MARGIN_DEG = 15.0  # the knees must differ by this much to name a side
MARGIN_TORSO = 0.1
MARGIN_ACROSS_M = 0.03  # the front shin must run this far across the body to name a side
FOLDED_DEG = 65.0  # a trunk this far from vertical is folded forward (as Pigeon's phase)
MARGIN_DEPTH_M = 0.1  # one shoulder must be this much nearer the camera to name the near side


def more_bent_knee(lm: Landmarks) -> str | None:
    """The leg with the more bent knee works (Pigeon: the front leg is bent, the back one long)."""
    left, right = measure(lm, "knee_angle", "left"), measure(lm, "knee_angle", "right")
    if abs(left - right) < MARGIN_DEG:
        return None
    return "left" if left < right else "right"


def ankle_on_other_knee(lm: Landmarks) -> str | None:
    """The leg whose ankle rests nearer the other knee works (Figure Four: the crossing leg)."""
    left = measure(lm, "ankle_to_other_knee", "left")
    right = measure(lm, "ankle_to_other_knee", "right")
    if abs(left - right) < MARGIN_TORSO:
        return None
    return "left" if left < right else "right"


def front_shin_side(lm: Landmarks) -> str | None:
    """Pigeon, from geometry alone: the front shin runs across the body, knee on its own side
    and foot toward the other hip, so its direction along the shoulder line (world metres)
    names the side whichever leg the model calls left or right (side-on, the model often
    swaps the legs' names). None when the shin's depth is too slight to tell, or while the
    front leg is not seen (its depth is then a guess: on a real folded Pigeon it named the
    wrong side)."""
    bent = more_bent_knee(lm)
    if bent is None or lm.world is None or not _seen(lm, f"{bent}_knee", f"{bent}_ankle"):
        return None
    shoulders = lm.world[INDEX["right_shoulder"]] - lm.world[INDEX["left_shoulder"]]
    norm = float(np.linalg.norm(shoulders))
    if norm == 0.0:
        return None
    across = float(np.dot(lm.world[INDEX[f"{bent}_knee"]] - lm.world[INDEX[f"{bent}_ankle"]],
                          shoulders / norm))
    if abs(across) < MARGIN_ACROSS_M:
        return None
    return "right" if across > 0 else "left"


def folded_front_leg(lm: Landmarks, bent: str) -> str | None:
    """Pigeon folded forward with the front leg under the chest, poorly seen: the model's
    name for that leg, only when the rest agrees with the picture. The trunk must be folded
    (over `FOLDED_DEG` from vertical), the back leg seen, and the model's depth must put
    nearer the camera the shoulder a person lying chest-down shows it (with the head toward
    the picture's left, the left one): else the model has the body the wrong way round and
    its leg names mean nothing. On the real folded Pigeons and the rendered one, near leg or
    far, the name was right every time; where the leg is under the chest was not."""
    if not _seen(lm, f"{other_side(bent)}_knee", f"{other_side(bent)}_ankle"):
        return None
    if measure(lm, "torso_from_vertical", bent) < FOLDED_DEG or lm.world is None:
        return None
    head = (lm.px("left_shoulder") + lm.px("right_shoulder")) / 2
    hips = (lm.px("left_hip") + lm.px("right_hip")) / 2
    nearer = lm.world[INDEX["left_shoulder"], 2] - lm.world[INDEX["right_shoulder"], 2]
    if abs(nearer) < MARGIN_DEPTH_M or (nearer < 0) != bool(head[0] < hips[0]):
        return None
    return bent


def front_shin_across(lm: Landmarks) -> str | None:
    """Pigeon: the side the front shin shows (`front_shin_side`), else the model's name for
    the more bent leg while that leg is seen, or folded forward over it
    (`folded_front_leg`)."""
    shown = front_shin_side(lm)
    if shown is not None:
        return shown
    bent = more_bent_knee(lm)
    if bent is None:
        return None
    if _seen(lm, f"{bent}_knee", f"{bent}_ankle"):
        return bent
    return folded_front_leg(lm, bent)


def _seen(lm: Landmarks, *names: str) -> bool:
    return all(lm.visibility[INDEX[n]] >= SEEN_VISIBILITY for n in names)


DETECTORS: dict[str, Callable[[Landmarks], str | None]] = {
    "more_bent_knee": more_bent_knee,
    "ankle_on_other_knee": ankle_on_other_knee,
    "front_shin_across": front_shin_across,
}


def legs_by_bend(lm: Landmarks, working: str) -> Landmarks:
    """The landmarks with the legs named by their role: the more bent leg becomes the working
    one. For a pose whose working leg is the bent one (Pigeon), this undoes the model's
    side-on habit of swapping the legs' names from one frame to the next."""
    bent = more_bent_knee(lm)
    if bent is None or bent == working:
        return lm
    return lm.renamed(LEGS_SWAPPED)


LEG_ROLES: dict[str, Callable[[Landmarks, str], Landmarks]] = {
    "more_bent_knee": legs_by_bend,
}

#: Side detectors with a form that does not trust the model's leg names (None when unsure).
GEOMETRIC: dict[str, Callable[[Landmarks], str | None]] = {
    "front_shin_across": front_shin_side,
}


class SideTracker:
    """Keeps the detected side steady: a change must be seen for `settle_s` seconds."""

    def __init__(self, settle_s: float = 1.0, fixed: str | None = None) -> None:
        self.settle_s = settle_s
        self.fixed = fixed
        self.side: str | None = fixed
        self._candidate: str | None = None
        self._since = 0.0

    def update(self, seen: str | None, t: float) -> str | None:
        if self.fixed or seen is None:
            return self.side
        if self.side is None or seen == self.side:
            self.side, self._candidate = seen, None
        elif seen != self._candidate:
            self._candidate, self._since = seen, t
        elif t - self._since >= self.settle_s:
            self.side, self._candidate = seen, None
        return self.side

    def reset(self) -> None:
        self.side, self._candidate = self.fixed, None
