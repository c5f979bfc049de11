"""How right the feedback is: per-check fault detection against ground-truth labels.

Pure logic over per-frame records. For each check, on frames where the labelled pose is
held and the check can be judged from the clip's true view, a *fault* is the positive
class: a frame where the check truly fails and posecheck says fail is a true positive; says
pass or cannot tell, a miss; truly passes and posecheck says fail, a false alarm. Frames
within `margin_s` of a change in the truth are not scored. Where a check cannot be judged
from the clip's view, the right answer is "unknown".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from posecheck.core.checks import FAIL, PASS, UNKNOWN
from posecheck.core.poses import Check, PoseSpec
from posecheck.eval.labels import ClipLabel

MARGIN_S = 0.3
FALSE_HOLD_MIN_S = 0.01  # credited while a fault truly failed: more than rounding


@dataclass(frozen=True)
class FrameRecord:
    """What posecheck said about one frame (picklable, for scoring in other processes)."""

    t: float
    pose: str | None
    side: str | None
    in_pose: bool
    states: dict[str, str]
    held_s: float = 0.0  # the hold credited so far (the timer's total)


@dataclass
class Counts:
    tp: int = 0  # fault present, said fail
    fp: int = 0  # no fault, said fail
    fn: int = 0  # fault present, said pass or unknown
    tn: int = 0  # no fault, said pass
    unjudged: int = 0  # judgeable, no fault, said unknown
    unknown_ok: int = 0  # not judgeable from this view, said unknown
    unknown_expected: int = 0  # not judgeable from this view

    def add(self, other: "Counts") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def judgeable(self) -> int:
        return self.tp + self.fp + self.fn + self.tn + self.unjudged

    def as_dict(self) -> dict:
        return {
            "precision": _round(self.precision), "recall": _round(self.recall),
            "f1": _round(self.f1),
            "judged_share": _round((self.judgeable - self.unjudged - self._fn_unknown)
                                   / self.judgeable) if self.judgeable else None,
            "unknown_correct": _round(self.unknown_ok / self.unknown_expected)
            if self.unknown_expected else None,
            "frames": {k: getattr(self, k) for k in self.__dataclass_fields__
                       if not k.startswith("_")},
        }

    _fn_unknown: int = 0  # misses that were 'unknown' rather than 'pass'


def judgeable(check: Check, view: str) -> bool:
    return not check.unsupported and ("any" in check.views or view in check.views)


@dataclass
class ClipScore:
    file: str
    checks: dict[str, Counts] = field(default_factory=dict)
    pose_frames: int = 0  # labelled in pose (and scored)
    pose_right: int = 0  # ... and posecheck recognised the labelled pose
    side_frames: int = 0
    side_right: int = 0
    #: hold credited while a fault that blocks the hold truly failed: a false "good form"
    false_hold_s: float = 0.0


def blocks_hold(check: Check, view: str) -> bool:
    """A fault check that keeps the form from correct when it fails: a core check (the hold
    is never credited without it), or one judgeable from the clip's view."""
    return check.kind == "fault" and (check.core or judgeable(check, view))


def score_clip(label: ClipLabel, pose: PoseSpec, frames: list[FrameRecord],
               margin_s: float = MARGIN_S) -> ClipScore:
    """Compare one clip's per-frame records with its labels."""
    out = ClipScore(label.file, {c.id: Counts() for c in pose.checks})
    blocking = [c.id for c in pose.checks if blocks_hold(c, label.view)]
    held = 0.0
    for f in frames:
        credited, held = f.held_s - held, f.held_s
        if not label.held(f.t):
            continue
        if any(label.truth(c, f.t) == FAIL and not label.near_change(c, f.t, margin_s)
               for c in blocking):
            out.false_hold_s += max(credited, 0.0)
        recognised = f.in_pose and f.pose == label.pose
        if not label.near_change("", f.t, margin_s):
            out.pose_frames += 1
            out.pose_right += recognised
            if label.side is not None and recognised:
                out.side_frames += 1
                out.side_right += f.side == label.side
        for check in pose.checks:
            if label.near_change(check.id, f.t, margin_s):
                continue
            said = f.states.get(check.id, UNKNOWN) if f.pose == label.pose else UNKNOWN
            _count(out.checks[check.id], judgeable(check, label.view),
                   label.truth(check.id, f.t), said)
    return out


def _count(c: Counts, can_judge: bool, truth: str, said: str) -> None:
    if not can_judge:
        c.unknown_expected += 1
        c.unknown_ok += said == UNKNOWN
        return
    if truth == FAIL:
        if said == FAIL:
            c.tp += 1
        else:
            c.fn += 1
            c._fn_unknown += said == UNKNOWN
    elif said == FAIL:
        c.fp += 1
    elif said == PASS:
        c.tn += 1
    else:
        c.unjudged += 1


def summarise(scores: list[ClipScore], holds: list[tuple[float, float]]) -> dict:
    """Overall and per-check metrics; `holds` are (error, true) correct-hold seconds per clip
    (the error: how far the credited seconds fall outside the true range, `ClipLabel.hold_error`)."""
    per_check: dict[str, Counts] = {}
    total = Counts()
    pose_frames = pose_right = side_frames = side_right = 0
    false_holds = [s for s in scores if s.false_hold_s > FALSE_HOLD_MIN_S]
    for s in scores:
        for check_id, c in s.checks.items():
            per_check.setdefault(check_id, Counts()).add(c)
            total.add(c)
        pose_frames += s.pose_frames
        pose_right += s.pose_right
        side_frames += s.side_frames
        side_right += s.side_right
    errors = [e for e, _ in holds]
    true_hold = sum(t for _, t in holds)
    overall = total.as_dict() | {
        "hold_mae_s": _round(sum(errors) / len(errors)) if errors else None,
        "hold_error_per_30s": _round(30 * sum(errors) / true_hold) if true_hold else None,
        "pose_recognition": _round(pose_right / pose_frames) if pose_frames else None,
        "side_accuracy": _round(side_right / side_frames) if side_frames else None,
        "false_hold_clips": len(false_holds),
        "false_hold_s": _round(sum(s.false_hold_s for s in false_holds)),
        "false_hold_by_clip": {s.file: _round(s.false_hold_s) for s in false_holds},
        "clips": len(scores),
    }
    return {"overall": overall,
            "checks": {k: v.as_dict() for k, v in sorted(per_check.items())}}


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)
