"""Ground-truth labels for sample clips: which pose, side and camera view each clip shows,
when the pose is held, when each check truly fails, and the true correct-hold seconds.

The labels file (JSON) lives beside the clips:

    {"version": 1,
     "clips": [{"file": "malasana-front-correct.mp4", "pose": "malasana", "side": null,
                "view": "front", "duration_s": 12.0,
                "in_pose": [[1.5, 10.5]],
                "fails": {"spine-upright": [[4.0, 6.0]]},
                "correct_hold_s": 7.0, "correct_hold_range_s": [6.8, 7.2]}]}

Within `in_pose`, a check passes except in its `fails` spans.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from posecheck.core.poses import load_pose
from posecheck.core.views import VIEWS

LABELS_FILE = "labels.json"

Span = tuple[float, float]


class LabelsError(ValueError):
    """A labels file that cannot be used; the message says where."""


@dataclass(frozen=True)
class ClipLabel:
    file: str
    pose: str
    side: str | None
    view: str
    duration_s: float
    in_pose: tuple[Span, ...]
    fails: dict[str, tuple[Span, ...]] = field(default_factory=dict)
    correct_hold_s: float = 0.0
    #: the correct hold as a range: frames whose truth is unclear (between a check's pass and
    #: fail bands) may be credited or not; (correct_hold_s, correct_hold_s) when not given
    correct_hold_range_s: tuple[float, float] | None = None

    def hold_error(self, credited_s: float) -> float:
        """How far credited seconds fall outside the true correct-hold range."""
        lo, hi = self.correct_hold_range_s or (self.correct_hold_s, self.correct_hold_s)
        return max(lo - credited_s, credited_s - hi, 0.0)

    def held(self, t: float) -> bool:
        return within(t, self.in_pose)

    def truth(self, check_id: str, t: float) -> str | None:
        """'pass' or 'fail' at time t while the pose is held, else None."""
        if not self.held(t):
            return None
        return "fail" if within(t, self.fails.get(check_id, ())) else "pass"

    def near_change(self, check_id: str, t: float, margin_s: float) -> bool:
        """True within `margin_s` of a moment the truth changes (entering or leaving the
        pose, a fault starting or ending): those moments are not scored."""
        edges = [x for span in (*self.in_pose, *self.fails.get(check_id, ())) for x in span]
        return any(abs(t - e) < margin_s for e in edges)


def within(t: float, spans: tuple[Span, ...]) -> bool:
    return any(a <= t < b for a, b in spans)


def _spans(value: object, where: str) -> tuple[Span, ...]:
    if not isinstance(value, list):
        raise LabelsError(f"{where}: must be a list of [start, end] pairs")
    out = []
    for pair in value:
        ok = (isinstance(pair, list) and len(pair) == 2
              and all(isinstance(x, (int, float)) and math.isfinite(x) for x in pair)
              and pair[0] <= pair[1])
        if not ok:
            raise LabelsError(f"{where}: {pair!r} is not a [start, end] pair with start <= end")
        out.append((float(pair[0]), float(pair[1])))
    return tuple(out)


def _range(value: object, where: str) -> tuple[float, float] | None:
    if value is None:
        return None
    (pair,) = _spans([value], f"{where} correct_hold_range_s")
    return pair


def _clip(entry: object, path: Path, index: int) -> ClipLabel:
    where = f"{path}: clip {index + 1}"
    if not isinstance(entry, dict):
        raise LabelsError(f"{where}: must be an object")
    try:
        pose = load_pose(entry["pose"])
        checks = {c.id for c in pose.checks}
        fails = {}
        for check_id, spans in entry.get("fails", {}).items():
            if check_id not in checks:
                raise LabelsError(f"{where}: '{check_id}' is not a check of {pose.name} "
                                  f"(valid: {', '.join(sorted(checks))})")
            fails[check_id] = _spans(spans, f"{where} fails.{check_id}")
        if entry.get("view") not in VIEWS:
            raise LabelsError(f"{where}: view must be one of {', '.join(VIEWS)}")
        if entry.get("side") not in (None, "left", "right"):
            raise LabelsError(f"{where}: side must be left, right or null")
        return ClipLabel(
            file=str(entry["file"]), pose=pose.name, side=entry.get("side"),
            view=entry["view"], duration_s=float(entry["duration_s"]),
            in_pose=_spans(entry["in_pose"], f"{where} in_pose"), fails=fails,
            correct_hold_s=float(entry["correct_hold_s"]),
            correct_hold_range_s=_range(entry.get("correct_hold_range_s"), where))
    except KeyError as exc:
        raise LabelsError(f"{where}: missing key {exc}") from None
    except (TypeError, ValueError) as exc:
        if isinstance(exc, LabelsError):
            raise
        raise LabelsError(f"{where}: {exc}") from None


def load_labels(path: str | Path) -> dict[str, ClipLabel]:
    """Labels by clip file name."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LabelsError(f"{path}: cannot read labels: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LabelsError(f"{path}: not a valid JSON labels file: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("clips"), list):
        raise LabelsError(f"{path}: expected an object with a 'clips' list")
    clips = [_clip(entry, path, i) for i, entry in enumerate(data["clips"])]
    return {c.file: c for c in clips}
