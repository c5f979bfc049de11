"""Personal profiles: one person's measured proportions and per-check threshold adjustments,
kept in a TOML file in the user's config folder and used by `analyze`, `live` and `routine`.

File: $XDG_CONFIG_HOME/posecheck/profiles/NAME.toml (default ~/.config/posecheck/...):

    [proportions]                   # bone lengths in torso lengths (posecheck calibrate)
    upper_arm = 0.56                # also forearm, thigh, shin, shoulders, hips
    [calibration]                   # where they came from, for people to read
    source = "me.jpg"
    [adjust."malasana/feet-wide"]   # a check's bounds: min and/or max
    min = 0.9
    [adjust."malasana/deep-squat".knee_angle]   # a check of several features: name one
    max = 100
    [voice]                         # the spoken coaching in live and routine (options win)
    on = true
    volume = 0.6

Loading is strict (unknown keys, poses, checks or features are errors naming the file and
the valid choices) and nothing is ever evaluated. Writing is atomic (a temporary file renamed).
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from posecheck.core.poses import (
    Check,
    PoseFileError,
    PoseSpec,
    _Reader,
    load_all,
    unknown_pose,
)
from posecheck.core.proportions import BONES, Range, personal_ranges
from posecheck.io.files import write_text_atomically
from posecheck.io.video import check_writable

DEFAULT = "default"
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
Bounds = tuple[float | None, float | None]


class ProfileError(ValueError):
    """A profile that cannot be found or used; one line for the user."""


@dataclass(frozen=True)
class Profile:
    name: str
    path: Path
    proportions: dict[str, float]  # bone kind -> torso lengths
    adjust: dict[tuple[str, str, str], Bounds]  # (pose, check, feature) -> (min, max)
    calibration: dict[str, str | int]
    voice: dict[str, bool | float] = field(default_factory=dict)  # on, volume

    def ranges(self) -> dict[str, Range]:
        """Plausible bone lengths: around the person's own, else the population's."""
        return personal_ranges(self.proportions)

    def apply(self, poses: list[PoseSpec]) -> list[PoseSpec]:
        """The poses with this profile's threshold adjustments."""
        return [replace(p, checks=tuple(self._adjusted(p.name, c) for c in p.checks))
                for p in poses]

    def _adjusted(self, pose: str, check: Check) -> Check:
        conditions = []
        for c in check.conditions:
            low, high = self.adjust.get((pose, check.id, c.feature), (None, None))
            conditions.append(replace(c, min=c.min if low is None else low,
                                      max=c.max if high is None else high))
        return replace(check, conditions=tuple(conditions))


def profiles_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "posecheck" / "profiles"


def profile_path(name: str) -> Path:
    if not NAME_RE.fullmatch(name):
        raise ProfileError(f"bad profile name '{name}': use letters, digits, '-' and '_'")
    return profiles_dir() / f"{name}.toml"


def profile_names() -> list[str]:
    folder = profiles_dir()
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


def load_profile(name: str | None) -> Profile | None:
    """The named profile (an error when it does not exist), or with no name the default
    profile when there is one."""
    path = profile_path(name or DEFAULT)
    if not path.is_file():
        if name is None:
            return None
        raise ProfileError(f"no profile '{name}' ({path}): run "
                           f"posecheck calibrate --profile {name}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: cannot read profile: {exc}") from None
    return parse_profile(text, path)


def parse_profile(text: str, path: Path) -> Profile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PoseFileError(f"{path}: not valid TOML: {exc}") from None
    top = _Reader(str(path), "top level", data, ("proportions", "calibration", "adjust", "voice"))
    sizes = _Reader(str(path), "[proportions]", top.get("proportions", dict, {}), BONES)
    proportions = {b: sizes.number(b, low=0.01, high=5) for b in BONES if b in sizes.table}
    info = _Reader(str(path), "[calibration]", top.get("calibration", dict, {}),
                   ("source", "frames", "date"))
    calibration = {k: info.get(k, int if k == "frames" else str) for k in info.table}
    adjust = _adjustments(str(path), top.get("adjust", dict, {}))
    said = _Reader(str(path), "[voice]", top.get("voice", dict, {}), ("on", "volume"))
    voice = {k: said.get(k, bool) if k == "on" else said.number(k, low=0, high=1)
             for k in said.table}
    return Profile(path.stem, path, proportions, adjust, calibration, voice)


def _adjustments(path: str, table: dict) -> dict[tuple[str, str, str], Bounds]:
    poses = {p.name: p for p in load_all()}
    out: dict[tuple[str, str, str], Bounds] = {}
    for key, value in table.items():
        pose_name, _, check_id = key.partition("/")
        if pose_name not in poses:
            raise PoseFileError(f"{path}: [adjust.\"{key}\"]: " + unknown_pose(
                pose_name, list(poses), '; key is "pose/check"'))
        checks = {c.id: c for c in poses[pose_name].checks}
        if check_id not in checks:
            raise PoseFileError(f"{path}: [adjust.\"{key}\"]: unknown check '{check_id}' "
                                f"(valid: {', '.join(checks)})")
        for feature, bounds in _per_feature(path, key, checks[check_id], value).items():
            out[(pose_name, check_id, feature)] = bounds
    return out


def _per_feature(path: str, key: str, check: Check, value: object) -> dict[str, Bounds]:
    """{feature: (min, max)} from a check's adjustment: bounds, or a table per feature."""
    features = tuple(dict.fromkeys(c.feature for c in check.conditions))
    where = f"[adjust.\"{key}\"]"
    if isinstance(value, dict) and set(value) <= {"min", "max"}:
        if len(features) > 1:
            raise PoseFileError(f"{path}: {where}: the check has several conditions: give "
                                f"the bounds per feature (valid: {', '.join(features)})")
        return {features[0]: _bounds(path, where, value, check, features[0])}
    r = _Reader(path, where, value, features)
    return {f: _bounds(path, f"{where}.{f}", r.table[f], check, f) for f in r.table}


def _bounds(path: str, where: str, table: object, check: Check, feature: str) -> Bounds:
    r = _Reader(path, where, table, ("min", "max"))
    low, high = r.number("min", None), r.number("max", None)
    if low is None and high is None:
        r.fail("give 'min', 'max' or both")
    for c in check.conditions:
        if c.feature == feature:
            lo, hi = c.min if low is None else low, c.max if high is None else high
            if lo is not None and hi is not None and lo > hi:
                r.fail(f"'min' ({lo:g}) would be greater than 'max' ({hi:g})")
    return low, high


def to_toml(profile: Profile) -> str:
    """The profile as TOML text (the format in the module docstring)."""
    lines = [f"# posecheck profile '{profile.name}': see `posecheck profile show {profile.name}`",
             "", "[proportions]  # bone lengths in torso lengths"]
    lines += [f"{b} = {v:.3f}" for b, v in profile.proportions.items()]
    lines += ["", "[calibration]"]
    lines += [f"{k} = {json.dumps(v)}" for k, v in profile.calibration.items()]
    for (pose, check, feature), (low, high) in profile.adjust.items():
        lines += ["", f"[adjust.\"{pose}/{check}\".{feature}]"]
        lines += [f"{k} = {v:g}" for k, v in (("min", low), ("max", high)) if v is not None]
    if profile.voice:
        lines += ["", "[voice]"]
        lines += [f"{k} = {json.dumps(v)}" for k, v in profile.voice.items()]
    return "\n".join(lines) + "\n"


def check_can_save(path: Path) -> None:
    """Raises InputError unless a profile could be saved at `path` (checked before measuring):
    its folder, or the nearest existing folder it would be made in, must take files."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        path, folder = folder, folder.parent
    check_writable(path)


def save_profile(profile: Profile) -> None:
    """Write the profile atomically: a temporary file beside it, then renamed over it."""
    profile.path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(profile.path, to_toml(profile))
