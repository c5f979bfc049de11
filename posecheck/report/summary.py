"""Typed summaries: what an analysis (`posecheck analyze`, a video or a photo) and a practice
session (`posecheck live` and `posecheck routine`) found, and their JSON.

The same thing has the same attribute name in both kinds: `correct_s` (credited correct-form
hold), `longest_hold_s` (longest unbroken hold), `target_s` (the hold target), `pose`, `side`,
`poses_seen_s` (seconds in each pose recognised), `status`, `source`, `warnings`.
`to_json()` gives the JSON users already have, key for key and in the same order; where
that JSON's key differs from the attribute, the key is kept for users' existing files:

    attribute              AnalysisSummary JSON    StepSummary JSON
    correct_s              "correct_s"             "held_s"
    longest_hold_s         "longest_hold_s"        "longest_s"
    target_s               "hold_target_s"         "target_s"

The values are stored as the JSON has them (rounded by whoever builds the summary: seconds
to 3 decimals in an analysis, to 2 in a practice step), so `from_json(x.to_json()) == x`.
`from_json` also reads summaries written before a key was added (a step's `poses_seen_s`).
Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: The step pose of a live session that recognises any pose (`posecheck live --pose auto`).
AUTO = "auto"
#: A fault counts in a summary's list of faults (score's table, batch's CSV, the printed
#: practice summary) once it failed this long in all.
FAULT_LISTED_S = 0.5


def form_score(quality_s: float, in_pose_s: float) -> int | None:
    """The form score, 0-100: the time-weighted average over the time in the pose of each
    frame's share of the pose's fault checks passing (`FrameResult.quality`), from their sum
    `quality_s` (share x seconds) and `in_pose_s`; None when the pose was never held."""
    return round(100 * quality_s / in_pose_s) if in_pose_s > 0 else None


@dataclass(frozen=True)
class CheckSummary:
    """One check of an analysis: seconds passing, failing and not judged while in the pose,
    and `settling_s`: seconds it failed while the person was getting into or out of the pose
    (`core.settling`), which are not a fault (in the JSON only when there were any).

    A photo's check also has its `state` and measured `value` (a video's: None, not in the
    JSON). `unknown_because`: a video's most frequent reasons the check could not be judged
    ({reason: seconds}, absent when none), or a photo's one reason (when it was unknown)."""

    kind: str  # fault | tip
    core: bool
    pass_s: float
    fail_s: float
    unknown_s: float
    state: str | None = None  # photo only: pass | fail | unknown
    value: float | None = None  # photo only
    unknown_because: dict[str, float] | str | None = None
    settling_s: float = 0.0
    title: str = ""  # its name for people to read ("Heels down"); the key stays the id

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"title": self.title} if self.title else {}
        out |= {"kind": self.kind, "core": self.core, "pass_s": self.pass_s,
                "fail_s": self.fail_s, "unknown_s": self.unknown_s}
        if self.settling_s:
            out["settling_s"] = self.settling_s
        if self.state is not None:
            out["state"], out["value"] = self.state, self.value
        if self.unknown_because is not None:
            out["unknown_because"] = (self.unknown_because if isinstance(self.unknown_because, str)
                                      else dict(self.unknown_because))
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> CheckSummary:
        because = d.get("unknown_because")
        return cls(d["kind"], d["core"], d["pass_s"], d["fail_s"], d["unknown_s"],
                   d.get("state"), d.get("value"),
                   dict(because) if isinstance(because, dict) else because,
                   d.get("settling_s", 0.0), d.get("title", ""))


@dataclass(frozen=True)
class SideHold:
    """A video's hold on one side of an asymmetric pose."""

    correct_s: float
    longest_hold_s: float

    def to_json(self) -> dict[str, Any]:
        return {"correct_s": self.correct_s, "longest_hold_s": self.longest_hold_s}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> SideHold:
        return cls(d["correct_s"], d["longest_hold_s"])


@dataclass(frozen=True)
class AnalysisSummary:
    """What an analysis of one video or photo (`kind` "video" or "image") found.

    `pose` is the pose seen longest (None when none was); `in_pose` is a photo's (was the
    one picture in the pose; None for a video); `by_side` a video's holds per side (None for a
    photo). `frames` are the frames read; `judged_frames` a video's frames judged
    (`analyze --fast` judges only some; None for a photo, and in reports written before it
    was counted). JSON keys: as the attributes, but `target_s` is "hold_target_s"."""

    source: str
    status: str  # running | done | interrupted
    kind: str  # video | image
    pose: str | None
    pose_title: str | None
    side: str | None
    frames: int
    person_found: bool
    person_frames: int
    message: str
    warnings: list[str]
    poses_seen_s: dict[str, float]
    sides_s: dict[str, float]
    duration_s: float
    in_pose_s: float
    correct_s: float
    correct_form_s: float
    longest_hold_s: float
    target_s: float | None
    score: int
    correct: bool
    checks: dict[str, CheckSummary]
    in_pose: bool | None = None  # photo only
    by_side: dict[str, SideHold] | None = None  # video only
    judged_frames: int | None = None

    @property
    def is_photo(self) -> bool:
        return self.kind == "image"

    @property
    def judged(self) -> bool:
        """Was the form judged at all (time in the pose, or a photo in it)?"""
        return bool(self.in_pose_s or self.in_pose)

    @property
    def faults(self) -> list[str]:
        """The fault checks that failed at least FAULT_LISTED_S, in the pose file's order."""
        return [k for k, c in self.checks.items()
                if c.kind == "fault" and c.fail_s >= FAULT_LISTED_S]

    def to_json(self) -> dict[str, Any]:
        """The JSON report (`analyze --report`), keys in the order users' files have them."""
        out: dict[str, Any] = {
            "source": self.source, "status": self.status, "kind": self.kind,
            "pose": self.pose, "pose_title": self.pose_title, "side": self.side,
            "frames": self.frames, "person_found": self.person_found,
            "person_frames": self.person_frames, "message": self.message,
            "warnings": list(self.warnings), "poses_seen_s": dict(self.poses_seen_s),
            "sides_s": dict(self.sides_s),
            "duration_s": self.duration_s, "in_pose_s": self.in_pose_s,
            "correct_s": self.correct_s, "correct_form_s": self.correct_form_s,
            "longest_hold_s": self.longest_hold_s, "hold_target_s": self.target_s,
        }
        if self.is_photo:
            out["in_pose"] = self.in_pose
        out["score"], out["correct"] = self.score, self.correct
        if not self.is_photo:
            out["by_side"] = {k: v.to_json() for k, v in (self.by_side or {}).items()}
        out["checks"] = {k: c.to_json() for k, c in self.checks.items()}
        if self.judged_frames is not None:
            out["judged_frames"] = self.judged_frames
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> AnalysisSummary:
        photo = d["kind"] == "image"
        return cls(
            d["source"], d["status"], d["kind"], d["pose"], d["pose_title"], d["side"],
            d["frames"], d["person_found"], d["person_frames"], d["message"],
            list(d["warnings"]), dict(d["poses_seen_s"]), dict(d["sides_s"]),
            d["duration_s"], d["in_pose_s"], d["correct_s"], d["correct_form_s"],
            d["longest_hold_s"], d["hold_target_s"], d["score"], d["correct"],
            {k: CheckSummary.from_json(c) for k, c in d["checks"].items()},
            in_pose=d.get("in_pose") if photo else None,
            by_side=None if photo else {k: SideHold.from_json(v)
                                        for k, v in d.get("by_side", {}).items()},
            judged_frames=d.get("judged_frames"))


@dataclass(frozen=True)
class StepSummary:
    """One step of a practice session (a live session has one).

    `pose` is the step's pose; in an auto live session, the pose held longest (None when no
    pose was seen), `side` its side held longest and `target_s` its target. `poses_seen_s`:
    seconds in each pose recognised while holding. `score`: the form score (`form_score`)
    of `pose` over its time recognised while holding; None when it never was (and in
    summaries written before it was kept). JSON keys: as the attributes, but `correct_s` is
    "held_s" and `longest_hold_s` is "longest_s"."""

    pose: str | None
    side: str | None
    target_s: float | None
    correct_s: float
    longest_hold_s: float
    outcome: str
    started_s: float | None
    ended_s: float | None
    faults_s: dict[str, float]
    poses_seen_s: dict[str, float] = field(default_factory=dict)
    score: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"pose": self.pose, "side": self.side, "target_s": self.target_s,
                "held_s": self.correct_s, "longest_s": self.longest_hold_s,
                "outcome": self.outcome, "started_s": self.started_s,
                "ended_s": self.ended_s, "faults_s": dict(self.faults_s),
                "poses_seen_s": dict(self.poses_seen_s), "score": self.score}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> StepSummary:
        return cls(d["pose"], d["side"], d["target_s"], d["held_s"], d["longest_s"],
                   d["outcome"], d["started_s"], d["ended_s"], dict(d["faults_s"]),
                   dict(d.get("poses_seen_s", {})), d.get("score"))


@dataclass(frozen=True)
class PracticeSummary:
    """A live session or routine (`mode`): its steps, and how long each cue was shown.

    `countdown_s`: the get-ready countdown before each step's hold, never counted in it.
    `warnings` (e.g. a recording that failed) are in the JSON only when there are some."""

    mode: str  # live | routine
    source: str
    status: str  # running | done | stopped | interrupted | camera lost
    started_at: str  # UTC, ISO 8601
    frames: int
    dropped_frames: int
    fps: float | None
    steps: list[StepSummary]
    cues_s: dict[str, float]
    warnings: list[str] = field(default_factory=list)
    #: what the voice said ({"t": seconds, "text": ...}); None when no voice spoke
    spoken: list[dict[str, Any]] | None = None
    countdown_s: float = 0.0

    def to_json(self) -> dict[str, Any]:
        """The summary file (`live --report`), keys in the order users' files have them."""
        out: dict[str, Any] = {
            "mode": self.mode, "source": self.source, "status": self.status,
            "started_at": self.started_at, "frames": self.frames,
            "dropped_frames": self.dropped_frames, "fps": self.fps,
            "steps": [s.to_json() for s in self.steps], "cues_s": dict(self.cues_s),
            "countdown_s": self.countdown_s,
        }
        if self.warnings:
            out["warnings"] = list(self.warnings)
        if self.spoken is not None:
            out["spoken"] = [dict(x) for x in self.spoken]
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PracticeSummary:
        return cls(d["mode"], d["source"], d["status"], d["started_at"], d["frames"],
                   d["dropped_frames"], d["fps"], [StepSummary.from_json(s) for s in d["steps"]],
                   dict(d["cues_s"]), list(d.get("warnings", [])), d.get("spoken"),
                   d.get("countdown_s", 0.0))
