"""Per-frame judgement: which pose is held, on which side, from which view, each check's
state, the form verdict, the hold timer and the single most important cue.

`Judge.update(landmarks, t)` holds all state between frames and does no I/O, so it can be
driven by made-up landmark sequences in tests exactly as by the camera.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from posecheck.core import checks as ck
from posecheck.core import spoken
from posecheck.core.elevation import ElevationTracker, camera_elevation
from posecheck.core.landmarks import SEEN_VISIBILITY, Landmarks
from posecheck.core.poses import PoseSpec
from posecheck.core.proportions import POPULATION, Range
from posecheck.core.sides import DETECTORS, GEOMETRIC, LEG_ROLES, SideTracker
from posecheck.core.timer import HoldTimer, TimerSnapshot
from posecheck.core.views import PLACEMENT, ViewTracker, estimate_view

NO_PERSON_CUE = spoken.NO_PERSON


@dataclass(frozen=True)
class Cue:
    text: str
    kind: str  # fault | unknown | tip | good | setup
    say: str | None = None  # what the voice says for it (None: the text; "": nothing)

    @property
    def spoken(self) -> str:
        return self.text if self.say is None else self.say


@dataclass(frozen=True)
class FrameResult:
    t: float
    person: bool
    pose: PoseSpec | None  # the pose being judged (the one asked for, or recognised)
    in_pose: bool
    side: str | None
    view: str | None
    phase: str | None
    results: dict[str, ck.CheckResult] = field(default_factory=dict)
    correct: bool = False
    quality: float = 0.0
    timer: TimerSnapshot | None = None
    cue: Cue = Cue(NO_PERSON_CUE, "setup")
    landmarks: Landmarks | None = None  # as judged: legs named by role where the pose asks
    #: the landmarks judged seen (visibility, in frame, plausible for this person's
    #: proportions): the overlay draws the others hollow
    visible: frozenset[str] | None = None


class Stickiness:
    """A boolean that turns true after being seen true for `rise_s` seconds in a row, and
    false after being seen false for `fall_s` seconds."""

    def __init__(self, rise_s: float, fall_s: float | None = None) -> None:
        self.rise_s, self.fall_s = rise_s, rise_s if fall_s is None else fall_s
        self.value, self._since = False, None

    def update(self, value: bool, t: float) -> bool:
        if value == self.value:
            self._since = None
        elif self._since is None:
            self._since = t
        settle = self.rise_s if value else self.fall_s
        if self._since is not None and t - self._since >= settle:
            self.value, self._since = value, None
        return self.value


class _Seen:
    """The landmarks seen in one frame at a pose's visibility threshold, worked out once per
    threshold (auto mode asks for every pose's); `ranges` are the plausible bone lengths."""

    def __init__(self, lm: Landmarks, ranges: dict[str, Range]) -> None:
        self.lm, self.ranges, self._by_threshold = lm, ranges, {}

    def __call__(self, threshold: float) -> frozenset[str]:
        if threshold not in self._by_threshold:
            self._by_threshold[threshold] = ck.visible_set(self.lm, threshold, self.ranges)
        return self._by_threshold[threshold]


class Judge:
    """Judges one pose (or recognises one of several with `auto`) frame by frame. `ranges`:
    the plausible bone lengths (a personal profile's, else the population's)."""

    def __init__(self, poses: list[PoseSpec], side: str | None = None, settle_s: float = 0.5,
                 debounce_s: float = 0.5, grace_s: float = 1.0, cue_hold_s: float = 1.0,
                 cue_onset_s: float = 0.3, ranges: dict[str, Range] = POPULATION):
        self.ranges = ranges
        self.poses = sorted(poses, key=lambda p: -p.priority)
        self.auto = len(poses) > 1
        self.current: PoseSpec | None = None if self.auto else poses[0]
        self.settle_s = settle_s
        self.sides = SideTracker(fixed=side)
        self.views = ViewTracker()
        self.elevation = ElevationTracker()
        self.in_pose = self._new_in_pose()
        self.timer_settings = (debounce_s, grace_s)
        self.timers: dict[tuple[str, str | None], HoldTimer] = {}
        self.previous: dict[str, str] = {}
        self.cue_hold_s, self.cue_onset_s = cue_hold_s, cue_onset_s
        self._cue: Cue | None = None
        self._cue_t = 0.0
        self._wanted: Cue | None = None  # the cue this frame asks for, since _wanted_t
        self._wanted_t = 0.0
        self._candidate: tuple[PoseSpec, float] | None = None

    # -- recognition -----------------------------------------------------------------------

    def _side_for(self, pose: PoseSpec, lm: Landmarks) -> str | None:
        if not pose.asymmetric:
            return None
        if self.sides.fixed:
            return self.sides.fixed
        return DETECTORS[pose.side_detect](lm)

    def _by_role(self, pose: PoseSpec, lm: Landmarks, seen: "_Seen", side) -> tuple[Landmarks, "_Seen"]:
        """The frame with the legs named by their role, for a pose whose file asks for it: the
        working leg gets the name of the side the user fixed, else of the side this frame's
        geometry shows, else of the tracked side. (A fixed side is trusted: from the back
        leg's side the model misreads the front shin's depth, and the second side of a
        routine is often seen from there.)"""
        if pose.side_legs is None:
            return lm, seen
        shown = GEOMETRIC[pose.side_detect](lm) if pose.side_detect in GEOMETRIC else None
        working = self.sides.fixed or shown or side
        if working is None:
            return lm, seen
        named = LEG_ROLES[pose.side_legs](lm, working)
        return (lm, seen) if named is lm else (named, _Seen(named, self.ranges))

    def _recognised(self, pose: PoseSpec, lm: Landmarks, seen: "_Seen", side, widen: bool) -> bool:
        """The pose's recognise conditions hold; for a sided pose whose side is not known,
        they hold with one of the two legs working."""
        if pose.asymmetric and side is None:
            return any(self._recognised(pose, lm, seen, s, widen) for s in ("left", "right"))
        lm, seen = self._by_role(pose, lm, seen, side)
        return ck.conditions_hold(pose.recognise, lm, seen(pose.recognise_seen_from), side,
                                  widen) == ck.PASS

    def _choose_pose(self, lm: Landmarks, seen: "_Seen", t: float) -> PoseSpec | None:
        """In auto mode, switch poses only when another pose has been recognised, and the
        current one not, for `settle_s` seconds."""
        if not self.auto:
            return self.current
        current_ok = self.current is not None and self._recognised(
            self.current, lm, seen, self._side_for(self.current, lm), widen=True)
        if current_ok:
            self._candidate = None
            return self.current
        seen = next((p for p in self.poses
                     if self._recognised(p, lm, seen, self._side_for(p, lm), False)), None)
        if seen is None:
            self._candidate = None
        elif self._candidate is None or self._candidate[0] is not seen:
            self._candidate = (seen, t)
        elif t - self._candidate[1] >= self.settle_s or self.current is None:
            self._switch(seen)
        if self.current is None and seen is not None:
            self._switch(seen)
        return self.current

    def _switch(self, pose: PoseSpec) -> None:
        if self.current is not None:
            self.timer().break_hold()
        self.current, self._candidate = pose, None
        self.previous = {}
        self.sides.reset()
        self.elevation.reset()
        self.in_pose = self._new_in_pose()
        self._cue = None  # the last pose's cue no longer applies

    def _new_in_pose(self) -> Stickiness:
        """In the pose after half the settle time (the hold timer debounces on top of it),
        out of it after the whole settle time."""
        return Stickiness(self.settle_s / 2, self.settle_s)

    def timer(self) -> HoldTimer:
        """The hold timer of the current pose and side (each side of a pose has its own:
        the target is per side)."""
        key = (self.current.name, self.sides.side)
        if key not in self.timers:
            self.timers[key] = HoldTimer(*self.timer_settings)
        return self.timers[key]

    def reset_timers(self) -> None:
        """Start every hold afresh (the user asked, or a get-ready countdown just ended)."""
        self.timers.clear()

    def set_side(self, side: str) -> None:
        """Judge the asymmetric pose on this side from now on (the user switched sides)."""
        if self.current is not None and self.current.asymmetric and self.sides.side != side:
            if self.sides.side is not None:
                self.timer().break_hold()
            self.previous = {}
        self.sides = SideTracker(fixed=side)

    def _tick(self, correct: bool, t: float, seen: bool = True) -> TimerSnapshot | None:
        if self.current is None:
            return None
        return self.timer().update(correct, t, seen)

    # -- per frame ---------------------------------------------------------------------------

    def update(self, lm: Landmarks | None, t: float) -> FrameResult:
        if lm is None:
            self.in_pose.update(False, t)
            snap = self._tick(False, t, seen=False)
            return FrameResult(t, False, self.current, False, self.sides.side, self.views.view,
                               None, {}, False, 0.0, snap, self._stable_cue(
                                   Cue(NO_PERSON_CUE, "setup"), t))
        seen = _Seen(lm, self.ranges)
        pose = self._choose_pose(lm, seen, t)
        if pose is None:
            snap = None
            cue = Cue(spoken.NO_POSE, "setup")
            return FrameResult(t, True, None, False, None, None, None, {}, False, 0.0, snap,
                               self._stable_cue(cue, t), visible=seen(SEEN_VISIBILITY))
        side = self._track_side(pose, lm, t)
        lm, seen = self._by_role(pose, lm, seen, side)
        visible = seen(pose.visibility)
        view = self.views.update(estimate_view(lm, pose).view, t)
        in_pose = self.in_pose.update(
            self._recognised(pose, lm, seen, side, widen=self.in_pose.value), t)
        elevation = (self.elevation.update(camera_elevation(lm, pose.lying, view))
                     if pose.needs_elevation else None)
        results = ck.evaluate_all(pose, lm, visible, side, view, self.previous, elevation)
        self.previous = {k: r.state for k, r in results.items()}
        correct = in_pose and ck.form_correct(pose, results)
        snap = self._tick(correct, t)
        phase = self._phase(pose, lm, visible, side)
        cue = self._stable_cue(self._pick_cue(pose, results, in_pose, correct, side, view,
                                              phase), t)
        return FrameResult(t, True, pose, in_pose, side, view, phase, results, correct,
                           ck.frame_quality(pose, results) if in_pose else 0.0, snap, cue, lm,
                           visible)

    def _track_side(self, pose: PoseSpec, lm: Landmarks, t: float) -> str | None:
        if not pose.asymmetric:
            return None
        before = self.sides.side
        side = self.sides.update(self._side_for(pose, lm), t)
        if before is not None and side != before:
            self.timers[(pose.name, before)].break_hold()
            self.previous = {}
        return side

    @staticmethod
    def _phase(pose: PoseSpec, lm: Landmarks, visible, side) -> str | None:
        for phase in pose.phases:
            if ck.conditions_hold(phase.conditions, lm, visible, side) == ck.PASS:
                return phase.name
        return None

    def _pick_cue(self, pose: PoseSpec, results, in_pose: bool, correct: bool,
                  side: str | None, view: str | None, phase: str | None) -> Cue:
        if not in_pose:
            where = " or ".join(PLACEMENT[v] for v in pose.best_views[:2])
            text = f"Get into {pose.title}" + (f" (camera {where})" if where else "")
            return Cue(text, "setup", spoken.get_into(pose))
        ordered = sorted(pose.checks, key=lambda c: (not c.core, c.kind != "fault"))
        for check in ordered:
            if check.kind == "fault" and results[check.id].state == ck.FAIL:
                return Cue(ck.fill_cue(check.cue, side), "fault", spoken.check_sentence(check, side))
        for check in ordered:
            result = results[check.id]
            unsure_fault = check.kind == "fault" and result.unsure
            if (check.core and result.state == ck.UNKNOWN) or unsure_fault:
                at = pose.phase_named(phase)
                hidden = ck.hidden_by(at, side, result.missing)
                return Cue(ck.unknown_reason(check, result, at, side), "unknown",
                           spoken.unknown_sentence(check, result, at, side, hidden))
        for check in pose.checks:
            if check.kind == "tip" and results[check.id].state == ck.FAIL:
                return Cue(ck.fill_cue(check.cue, side), "tip", spoken.check_sentence(check, side))
        return Cue("Good form: hold it and breathe", "good") if correct else Cue(
            "Hold still", "setup", "")

    def _stable_cue(self, cue: Cue, t: float) -> Cue:
        """Keep a shown cue for at least `cue_hold_s`, so the words do not flicker, and show
        a new one only once it has been wanted for `cue_onset_s` (a blip of a frame or two
        never reaches the screen, where it would stay for a second)."""
        if cue != self._wanted:
            self._wanted, self._wanted_t = cue, t
        if self._cue is None:
            self._cue, self._cue_t = cue, t
        elif (cue != self._cue and t - self._wanted_t >= self.cue_onset_s
              and t - self._cue_t >= self.cue_hold_s):
            self._cue, self._cue_t = cue, t
        return self._cue
