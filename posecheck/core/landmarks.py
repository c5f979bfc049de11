"""The 33 MediaPipe pose landmarks and the `Landmarks` type every stage passes around.

Model output is converted once, at the detector edge, into pixel coordinates; everything
after that works in pixels (angles on a non-square frame are only right in pixels).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

NAMES: tuple[str, ...] = (
    "nose",
    "left_eye_inner", "left_eye", "left_eye_outer",
    "right_eye_inner", "right_eye", "right_eye_outer",
    "left_ear", "right_ear",
    "mouth_left", "mouth_right",
    "left_shoulder", "right_shoulder",
    "left_elbow", "right_elbow",
    "left_wrist", "right_wrist",
    "left_pinky", "right_pinky",
    "left_index", "right_index",
    "left_thumb", "right_thumb",
    "left_hip", "right_hip",
    "left_knee", "right_knee",
    "left_ankle", "right_ankle",
    "left_heel", "right_heel",
    "left_foot_index", "right_foot_index",
)

#: The visibility score from which a landmark counts as seen: the default of every pose file
#: (its `visibility`), and the threshold wherever no pose file sets one (no pose recognised,
#: naming the side, calibration).
SEEN_VISIBILITY = 0.5
INDEX: dict[str, int] = {name: i for i, name in enumerate(NAMES)}


def _mirror_name(name: str) -> str:
    for a, b in (("left", "right"), ("right", "left")):
        if name.startswith(a + "_"):
            return b + name[len(a):]
        if name.endswith("_" + a):  # mouth_left
            return name[: -len(a)] + b
    return name


#: For each landmark index, the index of its left/right twin (itself for the nose).
MIRROR: tuple[int, ...] = tuple(INDEX[_mirror_name(n)] for n in NAMES)

LEG_PARTS = ("knee", "ankle", "heel", "foot_index")
#: MIRROR for the legs only: the order that swaps the two legs' names.
LEGS_SWAPPED: tuple[int, ...] = tuple(INDEX[_mirror_name(n)] if n.endswith(LEG_PARTS) else i
                                      for i, n in enumerate(NAMES))


def other_side(side: str) -> str:
    """'left' -> 'right' and back."""
    return {"left": "right", "right": "left"}[side]


@dataclass(frozen=True)
class Landmarks:
    """One person's 33 landmarks in one frame.

    xyz:        (33, 3) float, x and y in pixels (y down), z in pixels at the scale of x
                (MediaPipe's relative depth; smaller is nearer the camera).
    visibility: (33,) float in [0, 1], the model's visibility score.
    world:      (33, 3) float metres, origin between the hips, camera axes (y down), or None.
    width, height: the frame size in pixels.
    """

    xyz: np.ndarray
    visibility: np.ndarray
    width: int
    height: int
    world: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.xyz.shape != (33, 3):
            raise ValueError(f"xyz must have shape (33, 3), got {self.xyz.shape}")
        if self.visibility.shape != (33,):
            raise ValueError(f"visibility must have shape (33,), got {self.visibility.shape}")
        if self.world is not None and self.world.shape != (33, 3):
            raise ValueError(f"world must have shape (33, 3), got {self.world.shape}")

    def px(self, name: str) -> np.ndarray:
        """The landmark's (x, y) in pixels."""
        return self.xyz[INDEX[name], :2]

    def p3(self, name: str) -> np.ndarray:
        """The landmark's 3-D position: world metres when known, else pixel x, y, z."""
        source = self.world if self.world is not None else self.xyz
        return source[INDEX[name]]

    def in_frame(self, name: str, margin: float = 0.0) -> bool:
        """True when the landmark lies inside the frame, `margin` a share of the frame size."""
        x, y = self.px(name)
        mx, my = margin * self.width, margin * self.height
        return -mx <= x <= self.width + mx and -my <= y <= self.height + my

    def renamed(self, order: tuple[int, ...]) -> "Landmarks":
        """The same points under other names: landmark i takes the point (and visibility)
        of landmark order[i] (MIRROR: left and right swapped; LEGS_SWAPPED: the legs only)."""
        order = list(order)
        world = None if self.world is None else self.world[order]
        return replace(self, xyz=self.xyz[order], visibility=self.visibility[order], world=world)

    def mirrored(self) -> "Landmarks":
        """The same body seen in a mirror: x flipped and left/right names swapped."""
        out = self.renamed(MIRROR)
        out.xyz[:, 0] = self.width - out.xyz[:, 0]
        if out.world is not None:
            out.world[:, 0] = -out.world[:, 0]
        return out
