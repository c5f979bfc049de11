"""One-Euro filtering of landmarks over time (Casiraghi, Roussel & Vogel, CHI 2012).

The Tasks API does not smooth landmarks; raw ones jitter by several pixels a frame. The
One-Euro filter smooths hard when a point is still and follows quickly when it moves.
Timestamps are passed in; arrays of any shape are filtered element-wise.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from posecheck.core.landmarks import INDEX, LEG_PARTS, LEGS_SWAPPED, MIRROR, Landmarks


def _alpha(cutoff: np.ndarray | float, dt: float) -> np.ndarray | float:
    tau = 1.0 / (2.0 * math.pi * cutoff)
    return 1.0 / (1.0 + tau / dt)


class OneEuro:
    """A One-Euro filter over a numpy array of fixed shape."""

    def __init__(self, min_cutoff: float = 1.5, beta: float = 5.0, d_cutoff: float = 1.0):
        self.min_cutoff, self.beta, self.d_cutoff = min_cutoff, beta, d_cutoff
        self._x: np.ndarray | None = None
        self._dx: np.ndarray | None = None
        self._t = 0.0

    def __call__(self, x: np.ndarray, t: float) -> np.ndarray:
        x = np.asarray(x, float)
        if self._x is None or t <= self._t:
            self._x, self._dx, self._t = x.copy(), np.zeros_like(x), t
            return x.copy()
        dt = t - self._t
        dx = (x - self._x) / dt
        a_d = _alpha(self.d_cutoff, dt)
        self._dx = a_d * dx + (1 - a_d) * self._dx
        a = _alpha(self.min_cutoff + self.beta * np.abs(self._dx), dt)
        self._x = a * x + (1 - a) * self._x
        self._t = t
        return self._x.copy()

    @property
    def last(self) -> np.ndarray | None:
        """The last filtered value (None before the first)."""
        return self._x


SWAP_RATIO = 0.5  # swapped names must fit the last frame this much better to be taken


def _pairs(parts: tuple[str, ...]) -> tuple[list[int], list[int]]:
    return [INDEX[f"left_{p}"] for p in parts], [INDEX[f"right_{p}"] for p in parts]


LEGS = _pairs(LEG_PARTS)
UPPER = _pairs(("shoulder", "elbow", "wrist", "hip"))


def _fits_swapped(now: np.ndarray, before: np.ndarray, pairs: tuple[list[int], list[int]]) -> bool:
    left, right = pairs
    kept = np.linalg.norm(now[left] - before[left], axis=1).sum() + \
        np.linalg.norm(now[right] - before[right], axis=1).sum()
    swapped = np.linalg.norm(now[left] - before[right], axis=1).sum() + \
        np.linalg.norm(now[right] - before[left], axis=1).sum()
    return bool(swapped < SWAP_RATIO * kept)


def keep_names(lm: Landmarks, last_xyz: np.ndarray) -> Landmarks:
    """Undo a swap of left and right names since the last frame. Side-on, the model often
    gives the near leg's points the far leg's names for a frame or two (and now and then
    names the whole body the other way round); smoothing across such a swap would average
    the two legs into one half-bent leg. When the swapped names fit the last frame's leg
    positions (pixels) clearly better, the legs are renamed back, and the whole body with
    them when the arms and hips fit swapped too."""
    now, before = lm.xyz[:, :2], last_xyz[:, :2]
    if not _fits_swapped(now, before, LEGS):
        return lm
    return lm.renamed(MIRROR if _fits_swapped(now, before, UPPER) else LEGS_SWAPPED)


class LandmarkSmoother:
    """Smooths a stream of `Landmarks`; restarts after a gap longer than `reset_gap_s`.

    Positions are filtered in units of the frame height (and metres for world landmarks) so
    the same parameters suit any resolution.
    """

    def __init__(self, min_cutoff: float = 1.5, beta: float = 5.0, reset_gap_s: float = 0.5):
        self.params = (min_cutoff, beta)
        self.reset_gap_s = reset_gap_s
        self._last_t: float | None = None
        self._new_filters()

    def _new_filters(self) -> None:
        self._xyz, self._world, self._vis = OneEuro(*self.params), OneEuro(*self.params), \
            OneEuro(self.params[0], 0.0)

    def __call__(self, lm: Landmarks, t: float) -> Landmarks:
        if self._last_t is not None and t - self._last_t > self.reset_gap_s:
            self._new_filters()
        self._last_t = t
        scale = float(lm.height)
        if self._xyz.last is not None:
            lm = keep_names(lm, self._xyz.last * scale)
        xyz = self._xyz(lm.xyz / scale, t) * scale
        world = None if lm.world is None else self._world(lm.world, t)
        return replace(lm, xyz=xyz, world=world, visibility=self._vis(lm.visibility, t))
