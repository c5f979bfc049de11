"""Where the words go on a frame: into the space the body leaves free.

The body's box comes from its landmarks (the head ring, hands and feet padded). The cue
goes in a band across the top if the body leaves room above it, else across the bottom,
else at the top of a side column; the check list, the hold timer and the live extras stack
in the wider side column beside the body. When the body fills the frame, panels shrink to
their smallest font and fade, and a band never sits over the head, the hands or the feet
if the other band would not. Pure geometry: numbers in, boxes out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from posecheck.core.features import body_scale
from posecheck.core.landmarks import INDEX, NAMES, Landmarks

#: The parts a panel must never hide: (landmark names, radius in torso lengths).
#: How much worse it is to hide each part (the head worst: a band must never sit on it).
WEIGHT = {"head": 10, "hands": 1, "feet": 1}
KEY_PARTS = {
    "head": (("nose", "left_ear", "right_ear", "left_eye", "right_eye"), 0.25),
    "hands": (("left_wrist", "right_wrist", "left_index", "right_index", "left_pinky",
               "right_pinky"), 0.12),
    "feet": (("left_ankle", "right_ankle", "left_heel", "right_heel", "left_foot_index",
              "right_foot_index"), 0.12),
}
#: Where the check list fits nowhere beside the body, it gets a column this share of the
#: frame wide, faded over the body.
MIN_SIDE = 0.3
FADED = 0.35


@dataclass(frozen=True)
class Box:
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def w(self) -> int:
        return max(0, self.x1 - self.x0)

    @property
    def h(self) -> int:
        return max(0, self.y1 - self.y0)

    def overlaps(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and \
            other.y0 < self.y1


@dataclass(frozen=True)
class Layout:
    cue: str  # "top" | "bottom" | "side": where the header and cue go
    side: Box  # the column for the check list, timer and extras (and the cue when "side")
    faded: bool  # the body leaves no room: panels are drawn see-through
    spare: Box | None = None  # the next best free box: the timer and extras, when the
    #                           column has no room left for them


def _points(lm: Landmarks, names, w: int, h: int) -> np.ndarray:
    idx = [INDEX[n] for n in names]
    pts = lm.xyz[idx, :2]
    ok = np.isfinite(pts).all(axis=1) & (pts[:, 0] > -w) & (pts[:, 0] < 2 * w) & \
        (pts[:, 1] > -h) & (pts[:, 1] < 2 * h)
    return pts[ok]


@dataclass(frozen=True)
class Key(Box):
    weight: int = 1  # how bad it is to hide it (WEIGHT)


def key_boxes(lm: Landmarks, w: int, h: int) -> list[Key]:
    """Boxes around the head, each hand and each foot."""
    torso = body_scale(lm)
    torso = torso if math.isfinite(torso) and torso > 0 else h / 4
    out = []
    for part, (names, radius) in KEY_PARTS.items():
        r = radius * torso
        for p in _points(lm, names, w, h):
            out.append(Key(int(p[0] - r), int(p[1] - r), int(p[0] + r), int(p[1] + r),
                           WEIGHT[part]))
    return out


def body_box(lm: Landmarks, w: int, h: int) -> Box | None:
    """The body's box in the frame, the head, hands and feet padded; None when no landmark
    is in the picture."""
    keys = key_boxes(lm, w, h)
    pts = _points(lm, NAMES, w, h)
    if len(pts) == 0:
        return None
    xs = [*pts[:, 0], *(b.x0 for b in keys), *(b.x1 for b in keys)]
    ys = [*pts[:, 1], *(b.y0 for b in keys), *(b.y1 for b in keys)]
    box = Box(max(0, int(min(xs))), max(0, int(min(ys))), min(w, int(max(xs))),
              min(h, int(max(ys))))
    return box if box.w > 0 and box.h > 0 else None


def plan(w: int, h: int, body: Box | None, keys: list[Key], cue_h: int, gap: int,
         fit: Callable[[Box], float] = lambda b: b.w * b.h) -> Layout:
    """Where the cue (a band `cue_h` tall) and the side column go around `body`; `fit`
    rates a free box for the column (the largest font the check list fits at there; 0 when
    it fits nowhere near readable: the column then fades over the body)."""
    if body is None:
        return Layout("top", Box(0, cue_h, w, h), False, None)
    if cue_h <= body.y0 - gap // 2:
        where = "top"
    elif cue_h <= h - body.y1 - gap // 2:
        where = "bottom"
    else:
        where = "side"
    top = cue_h if where == "top" else 0
    bottom = h - cue_h if where == "bottom" else h
    column, spare = _columns(w, top, bottom, body, gap, fit)
    narrow = fit(column) <= 0
    if narrow and where == "side":  # no room anywhere: the band that hides fewer key parts
        bands = (Box(0, 0, w, cue_h), Box(0, h - cue_h, w, h))
        hidden = [sum(k.weight for k in keys if b.overlaps(k)) for b in bands]
        where = "bottom" if hidden[1] < hidden[0] else "top"
        top, bottom = (cue_h, h) if where == "top" else (0, h - cue_h)
        column, spare = _columns(w, top, bottom, body, gap, fit)
    if narrow:  # a readable column at the emptier side, faded over the body
        width = max(column.w, int(MIN_SIDE * w))
        right = column.x0 > w - column.x1
        column = Box(w - width if right else 0, top, w if right else width, bottom)
    return Layout(where, column, narrow, spare)


def _columns(w: int, top: int, bottom: int, body: Box, gap: int,
             fit: Callable[[Box], float]) -> tuple[Box, Box]:
    """The free boxes beside, above or below the body, between `top` and `bottom`, that
    `fit` rates best and next best (the larger of equals)."""
    free = [Box(0, top, max(0, body.x0 - gap), bottom),  # left
            Box(min(w, body.x1 + gap), top, w, bottom),  # right
            Box(0, top, w, max(top, body.y0 - gap)),  # above
            Box(0, min(bottom, body.y1 + gap), w, bottom)]  # below
    ranked = sorted(free, key=lambda b: (fit(b), b.w * b.h), reverse=True)
    return ranked[0], ranked[1]
