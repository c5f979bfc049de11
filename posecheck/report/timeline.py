"""What a report draws over time, from the frame results of an analysis: the spans of each
check's state and of being in the pose and holding it, each check's deciding measurement,
the fault episodes, the longest correct hold, and the few frames worth showing.

Pure: frame results in, plain data out. Pictures are opaque values made by the caller only
when one is wanted (`grab`), so a long video keeps a handful of them, never every frame.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Generic, TypeVar

from posecheck.core import checks as ck
from posecheck.core.judge import FrameResult
from posecheck.core.poses import Check, PoseSpec
from posecheck.core.settling import RETURN_S, is_settling
from posecheck.core.timer import GRACE, HOLDING, TimerSnapshot

T = TypeVar("T")

# Track states beside the check states (pass, fail, unknown).
IN, OUT, NOBODY = "in", "out", "nobody"  # in the pose, not in it, no person seen
OFF = "off"  # the hold timer is not counting


@dataclass(frozen=True)
class Span:
    start: float
    end: float
    state: str


@dataclass(frozen=True)
class Shot(Generic[T]):
    """A picture (whatever `grab` returned) taken at time `t`."""

    t: float
    image: T


@dataclass
class Episode:
    """A stretch of time a check kept failing; `shot` is its picture, if it kept one."""

    check: str
    start: float
    end: float
    shot: Shot | None = None

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass
class Hold:
    """An unbroken correct hold: when it began, how long it lasted, and a picture."""

    start: float
    length: float
    shot: Shot | None = None


@dataclass(frozen=True)
class KeyFrame(Generic[T]):
    t: float
    kind: str  # hold (the longest hold's), else fault or tip (the worst failing here)
    checks: tuple[str, ...]  # the checks whose fault episode this frame shows
    image: T


class Track:
    """One state over time, run-length encoded: a state lasts until the next one starts."""

    def __init__(self) -> None:
        self._starts: list[tuple[float, str]] = []

    def add(self, t: float, state: str) -> None:
        if not self._starts or self._starts[-1][1] != state:
            self._starts.append((t, state))

    def spans(self, end: float) -> list[Span]:
        ends = [t for t, _ in self._starts[1:]] + [end]
        return [Span(t, e, s) for (t, s), e in zip(self._starts, ends)]


class Episodes:
    """The fault episodes of one check: runs of failing frames, joined across gaps of up to
    `gap_s` (a frame or two judged otherwise does not split a fault in two), kept once they
    have lasted `min_s` (as long as a cue takes to show). Only the longest episode keeps
    its picture, so a long video holds one picture per check."""

    def __init__(self, check: str, min_s: float = 0.3, gap_s: float = 0.5):
        self.check, self.min_s, self.gap_s = check, min_s, gap_s
        self.episodes: list[Episode] = []
        self._open: Episode | None = None
        self._confirmed = False  # the open episode has lasted min_s
        self._failing = False  # the last frame failed
        self._best: Episode | None = None

    def update(self, t: float, failing: bool) -> bool:
        """Feed one frame; True when an episode is confirmed now: the moment for its picture."""
        if self._open is not None and self._failing:
            self._open.end = t  # the last failing frame lasted until this one
        if self._open is not None and t - self._open.end > self.gap_s:
            self._close()
        self._failing = failing
        if not failing:
            return False
        if self._open is None:
            self._open, self._confirmed = Episode(self.check, t, t), False
        if self._confirmed or t - self._open.start < self.min_s:
            return False
        self._confirmed = True
        return True

    def attach(self, shot: Shot) -> None:
        """The picture of the episode just confirmed."""
        self._open.shot = shot

    def finish(self, end: float) -> list[Episode]:
        """Close the last episode at `end`; the episodes kept, in time order."""
        if self._open is not None:
            if self._failing:
                self._open.end = end
            self._close()
        self._failing = False
        return self.episodes

    def _close(self) -> None:
        episode, self._open = self._open, None
        if not self._confirmed:
            return
        self.episodes.append(episode)
        if self._best is None or episode.duration > self._best.duration:
            if self._best is not None:
                self._best.shot = None
            self._best = episode
        else:
            episode.shot = None


class Holds:
    """The longest unbroken correct hold, with a picture from near its middle: each hold asks
    for pictures on reaching 0, 1, 2, 4, 8... seconds (a few even in a long hold) and keeps
    the one nearest half its length."""

    def __init__(self) -> None:
        self.best: Hold | None = None
        self._current: Hold | None = None
        self._shots: list[tuple[float, Shot]] = []  # (seconds held, picture)
        self._mark = 0.0

    def update(self, t: float, snap: TimerSnapshot | None) -> bool:
        """Feed one frame's timer; True when a picture of this frame is wanted."""
        if snap is None or snap.state not in (HOLDING, GRACE):
            self._close()
            return False
        if self._current is None:
            self._current, self._shots, self._mark = Hold(t - snap.current_s, 0.0), [], 0.0
        self._current.length = snap.current_s
        if snap.state != HOLDING or snap.current_s < self._mark:
            return False
        self._mark = max(1.0, 2 * self._mark)
        return True

    def attach(self, shot: Shot) -> None:
        self._shots.append((self._current.length, shot))

    def finish(self) -> Hold | None:
        self._close()
        return self.best

    def _close(self) -> None:
        current, self._current = self._current, None
        if current is None:
            return
        middle = current.length / 2
        nearest = min(self._shots, key=lambda s: abs(s[0] - middle), default=(0.0, None))
        current.shot = nearest[1]
        self._shots = []
        if self.best is None or current.length > self.best.length:
            self.best = current


def plotted_value(check: Check, result: ck.CheckResult | None) -> float:
    """The check's value when it certainly measures the check's first feature, else NaN.
    A check's value comes from the condition that decided it; when conditions measure
    different features (in different units) only some states say which one that was."""
    if result is None or result.value is None:
        return math.nan
    if len({c.feature for c in check.conditions}) == 1:
        return result.value
    first_decides = (check.match == "all") == (result.state == ck.PASS)
    return result.value if first_decides else math.nan


def value_bands(check: Check) -> tuple[str, list[tuple[float | None, float | None]]]:
    """The feature a check's plot shows and the bounds its value passes within (None: open)."""
    feature = check.conditions[0].feature
    return feature, [(c.min, c.max) for c in check.conditions if c.feature == feature]


@dataclass(frozen=True)
class PoseTimeline:
    """Everything over time about one pose, ready to draw. Times in seconds; `values` has
    one entry per time in `times`, NaN where nothing was measured."""

    pose: PoseSpec
    times: list[float]
    end: float
    presence: list[Span]  # in / out / nobody
    hold: list[Span]  # holding / grace / off
    checks: dict[str, list[Span]]  # pass / fail / unknown / out
    values: dict[str, list[float]]
    episodes: dict[str, list[Episode]]
    best_hold: Hold | None
    view: str | None


class _PoseRecord:
    """The running record of one pose over every frame."""

    def __init__(self, pose: PoseSpec, min_s: float, gap_s: float):
        self.pose = pose
        self.presence, self.hold = Track(), Track()
        self.checks = {c.id: Track() for c in pose.checks}
        self.values = {c.id: array("d") for c in pose.checks}
        self.episodes = {c.id: Episodes(c.id, min_s, gap_s) for c in pose.checks}
        self.holds = Holds()
        self.views: Counter[str] = Counter()

    def add(self, r: FrameResult) -> list:
        """Record one frame; the trackers that want its picture."""
        mine = r.pose is not None and r.pose.name == self.pose.name
        judged = mine and r.in_pose
        self.presence.add(r.t, IN if judged else OUT if r.person else NOBODY)
        timer = r.timer if mine else None
        self.hold.add(r.t, timer.state if timer and timer.state in (HOLDING, GRACE) else OFF)
        if judged and r.view:
            self.views[r.view] += 1
        wanting = []
        for check in self.pose.checks:
            result = r.results.get(check.id) if judged else None
            self.checks[check.id].add(r.t, result.state if result else OUT)
            self.values[check.id].append(plotted_value(check, result))
            if self.episodes[check.id].update(r.t, result is not None and result.state == ck.FAIL):
                wanting.append(self.episodes[check.id])
        if self.holds.update(r.t, timer):
            wanting.append(self.holds)
        return wanting

    def finish(self, times: list[float], end: float) -> PoseTimeline:
        presence = self.presence.spans(end)
        return PoseTimeline(
            self.pose, times, end, presence, self.hold.spans(end),
            {k: v.spans(end) for k, v in self.checks.items()},
            {k: list(v) for k, v in self.values.items()},
            {k: faults_only(v.finish(end), presence, end, v.gap_s)
             for k, v in self.episodes.items()},
            self.holds.finish(), self.views.most_common(1)[0][0] if self.views else None)


def faults_only(episodes: list[Episode], presence: list[Span], end: float,
                gap_s: float) -> list[Episode]:
    """The episodes that are faults: not getting into the pose or out of it
    (`core.settling`), judged from the stretch in the pose each began in."""
    stretches = [s for s in presence if s.state == IN]
    kept = []
    for e in episodes:
        stretch = next((s for s in stretches if s.start <= e.start < s.end + gap_s), None)
        if stretch is None:
            kept.append(e)
            continue
        back = next((s.start for s in stretches if s.start >= stretch.end), None)
        left = (stretch.end < end and e.end >= stretch.end - gap_s
                and (back is None or back - stretch.end > RETURN_S))
        if not is_settling(e.start, e.end, stretch.start, left):
            kept.append(e)
    return kept


class Timeline:
    """Records every pose's timeline from the frame results of one video. `add(result, grab)`
    calls `grab()` (at most once) when the frame's picture is wanted: a fault episode just
    confirmed, or a moment of the hold."""

    def __init__(self, poses: list[PoseSpec], fps: float, min_s: float = 0.3,
                 gap_s: float = 0.5):
        self.fps = fps
        self.records = {p.name: _PoseRecord(p, min_s, gap_s) for p in poses}
        self.times = array("d")

    def add(self, r: FrameResult, grab: Callable[[], T]) -> None:
        self.times.append(r.t)
        wanting = [w for record in self.records.values() for w in record.add(r)]
        if wanting:
            shot = Shot(r.t, grab())
            for tracker in wanting:
                tracker.attach(shot)

    def finish(self, pose_name: str) -> PoseTimeline:
        """The timeline of one pose (call once, when the video is done)."""
        times = list(self.times)
        end = times[-1] + 1.0 / self.fps if times else 0.0
        return self.records[pose_name].finish(times, end)


def key_frames(pt: PoseTimeline, limit: int = 6) -> list[KeyFrame]:
    """The frames to show, in time order: the longest hold's, and each failing check's
    longest episode's (the longest episodes first when there are more than `limit`). One
    frame showing several episodes is shown once, naming them all."""
    kinds = {c.id: c.kind for c in pt.pose.checks}
    hold = pt.best_hold if pt.best_hold is not None and pt.best_hold.shot else None
    faults = sorted((e for eps in pt.episodes.values() for e in eps if e.shot),
                    key=lambda e: -e.duration)[: limit - (hold is not None)]
    shots = {e.shot.t: e.shot for e in faults} | ({hold.shot.t: hold.shot} if hold else {})
    frames = []
    for t in sorted(shots):
        checks = tuple(e.check for e in faults if e.shot.t == t)
        kind = "hold" if hold is not None and hold.shot.t == t else (
            "fault" if any(kinds[c] == "fault" for c in checks) else "tip")
        frames.append(KeyFrame(t, kind, checks, shots[t].image))
    return frames
