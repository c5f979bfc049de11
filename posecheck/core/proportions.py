"""Is the skeleton in one frame a plausible human body? Bone lengths in torso lengths.

When part of the body is hidden or out of the picture the pose model still places every
landmark, and a guessed ankle can sit anywhere: a shin three times the thigh. Judged as it is
such a frame gives a confident wrong verdict. Here each bone is measured in *torso lengths*
(shoulder midpoint to hip midpoint) from the model's 3-D world landmarks, where foreshortening
does not shrink it, and a bone outside its plausible range makes the landmarks at its far end
count as not seen ("Can't see your left ankle"): unknown, never a guess.

Pure logic: landmarks in, names out. Without world landmarks nothing is measured.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from posecheck.core.landmarks import INDEX, Landmarks

SIDES = ("left", "right")

#: Limb bones: (near joint, far joint, landmarks made guesses when the bone is implausible:
#: its far joint and everything hanging from it).
LIMBS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "upper_arm": ("shoulder", "elbow", ("elbow", "wrist", "pinky", "index", "thumb")),
    "forearm": ("elbow", "wrist", ("wrist", "pinky", "index", "thumb")),
    "thigh": ("hip", "knee", ("knee", "ankle", "heel", "foot_index")),
    "shin": ("knee", "ankle", ("ankle", "heel", "foot_index")),
}
#: Widths across the body: both ends are suspect, and with them every length in torso units.
WIDTHS: dict[str, tuple[str, str]] = {
    "shoulders": ("left_shoulder", "right_shoulder"),
    "hips": ("left_hip", "right_hip"),
}
BONES: tuple[str, ...] = (*LIMBS, *WIDTHS)


@dataclass(frozen=True)
class Range:
    low: float
    high: float

    def __contains__(self, value: float) -> bool:
        return self.low <= value <= self.high


#: Plausible lengths in torso lengths, measured with `benchmarks/proportions.py` on the world
#: landmarks of every frame with a person in the 39 rendered clips of samples/ and the photos,
#: GIFs and clips of ../shared/realdata (6,217 frames). Measured (min / 0.5% / median / 99.9% /
#: max): upper arm 0.05 / 0.35 / 0.54 / 0.91 / 1.47, forearm 0.06 / 0.22 / 0.49 / 0.80 / 1.50,
#: thigh 0.17 / 0.34 / 0.77 / 1.24 / 2.48, shin 0.23 / 0.42 / 0.80 / 1.40 / 1.93, shoulders
#: 0.04 / 0.35 / 0.75 / 0.75 / 0.75 (at most 0.75 by `torso_length`), hips 0.05 / 0.25 / 0.48 /
#: 0.70 / 0.76. The model's world skeleton is loose: a leg folded under the body (Pigeon) comes
#: out short (thighs of 0.2) while the picture is right, so a short bone says little and only
#: a collapsed one (under 0.1) counts. The upper bounds pass every frame but 12 where the
#: model loses a limb: 10 of Pigeon seen from the front (pigeon-left-front-hips-open) and 2 of
#: a real clip with a second person (sports2d). The widths catch only an absurd torso.
POPULATION: dict[str, Range] = {
    "upper_arm": Range(0.10, 1.10),
    "forearm": Range(0.10, 1.10),
    "thigh": Range(0.10, 1.60),
    "shin": Range(0.10, 1.60),
    "shoulders": Range(0.03, 1.00),
    "hips": Range(0.03, 1.20),
}

#: With a personal profile a limb bone may be up to this many times the person's own measured
#: length (the widths keep the population's ranges: the model's world widths swing with the
#: pose). Measured on samples/ with the proportions of the rendered standing body (calibrated
#: from a picture of it): 1.6 would flag 63 of 4,466 frames' limbs, 1.8 flags 18, 2.0 flags
#: 10, as many as the population ranges.
PERSONAL_FACTOR = 2.0


def personal_ranges(ratios: dict[str, float], factor: float = PERSONAL_FACTOR
                    ) -> dict[str, Range]:
    """The plausible ranges for one person: limbs up to `factor` times their own lengths
    (torso lengths), the rest the population's."""
    own = {bone: Range(POPULATION[bone].low, v * factor)
           for bone, v in ratios.items() if bone in LIMBS}
    return {**POPULATION, **own}


def _length(world: np.ndarray, a: str, b: str) -> float:
    return float(np.linalg.norm(world[INDEX[a]] - world[INDEX[b]]))


def torso_length(world: np.ndarray) -> float:
    """Shoulder midpoint to hip midpoint, in the units of `world`; or the shoulder width over
    its usual share of it (0.75, as `features.body_scale`) when that is larger: the model
    sometimes shortens a trunk seen end-on in its world landmarks too."""
    shoulders = (world[INDEX["left_shoulder"]] + world[INDEX["right_shoulder"]]) / 2
    hips = (world[INDEX["left_hip"]] + world[INDEX["right_hip"]]) / 2
    width = _length(world, "left_shoulder", "right_shoulder") / 0.75
    return max(float(np.linalg.norm(shoulders - hips)), width)


def measure(lm: Landmarks) -> dict[str, float]:
    """Every bone in torso lengths, limbs per side ('left_shin'), widths once ('hips');
    empty without world landmarks or with a torso of no length."""
    if lm.world is None:
        return {}
    torso = torso_length(lm.world)
    if torso <= 1e-6:
        return {}
    out = {}
    for bone, (near, far, _) in LIMBS.items():
        for side in SIDES:
            out[f"{side}_{bone}"] = _length(lm.world, f"{side}_{near}", f"{side}_{far}") / torso
    for bone, (a, b) in WIDTHS.items():
        out[bone] = _length(lm.world, a, b) / torso
    return out


def kind(name: str) -> str:
    """'left_shin' -> 'shin'; 'hips' -> 'hips'."""
    return name.split("_", 1)[1] if name.startswith(("left_", "right_")) else name


def implausible(lm: Landmarks, ranges: dict[str, Range] = POPULATION) -> tuple[str, ...]:
    """The bones ('left_shin', 'hips', ...) whose length lies outside its range."""
    return tuple(name for name, value in measure(lm).items()
                 if kind(name) in ranges and value not in ranges[kind(name)])


def guessed(bones: tuple[str, ...]) -> frozenset[str]:
    """The landmarks that implausible bones make guesses of."""
    names: set[str] = set()
    for bone in bones:
        if bone in WIDTHS:
            names.update(WIDTHS[bone])
            continue
        side, limb = bone.split("_", 1)
        names.update(f"{side}_{part}" for part in LIMBS[limb][2])
    return frozenset(names)


def unseen(lm: Landmarks, ranges: dict[str, Range] = POPULATION) -> frozenset[str]:
    """The landmarks to count as not seen in this frame: those implausible bones make guesses."""
    return guessed(implausible(lm, ranges))
