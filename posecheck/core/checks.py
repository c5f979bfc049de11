"""Evaluate a pose's checks on one frame's landmarks: pass, fail or unknown, with the reason.

Pure logic: landmarks in, results out. A check is *unknown* (never a guess) when a landmark
it needs is not visible or outside the frame, when the camera view does not let it be
judged, or when it sits at the end of a bone of implausible length (see `proportions`).
Hysteresis: a check that passed keeps passing until its value leaves the bounds by
more than the condition's tolerance, so verdicts do not flicker at a threshold. A value past
a bound by no more than the condition's `margin` is *unsure*: the camera's error there is as
large as the fault, so the check is neither passed nor failed. An unsure fault check shows
no fault, and it credits no hold either (a wrong "good form" is worse than silence).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from posecheck.core.features import REGISTRY, measure
from posecheck.core.landmarks import INDEX, LEG_PARTS, NAMES, Landmarks, other_side
from posecheck.core.poses import Check, Condition, Phase, PoseSpec
from posecheck.core.proportions import POPULATION, Range, unseen
from posecheck.core.views import PLACEMENT

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"
UNSURE = "unsure"  # a condition's outcome only: a check reports it as UNKNOWN, `unsure`


@dataclass(frozen=True)
class CheckResult:
    id: str
    state: str  # pass | fail | unknown
    value: float | None  # the deciding measurement, when one was made
    missing: tuple[str, ...] = ()  # landmarks the camera could not see
    wrong_view: bool = False  # not judgeable from the current view
    no_side: bool = False  # needs the working side, which is not known yet
    unsure: bool = False  # measured, but within a condition's margin of a bound
    too_high: bool = False  # the camera looks down too steeply to judge it (also unsure)

    @property
    def judged(self) -> bool:
        return self.state != UNKNOWN


def visible_set(lm: Landmarks, threshold: float,
                ranges: dict[str, Range] = POPULATION) -> frozenset[str]:
    """Names of the landmarks with visibility at least `threshold`, inside the frame, and not
    at the far end of a bone of implausible length (`proportions`: a guess by the model)."""
    guessed = unseen(lm, ranges)
    return frozenset(n for i, n in enumerate(NAMES)
                     if lm.visibility[i] >= threshold and lm.in_frame(n) and n not in guessed)


def limbs_for(limb: str | None, side: str | None) -> tuple[str | None, ...] | None:
    """The concrete sides a condition measures; None when the working side is not known."""
    if limb is None:
        return (None,)
    if limb in ("left", "right"):
        return (limb,)
    if limb in ("both", "either", "seen", "nearest"):
        return ("left", "right")
    if side is None:
        return None
    return (side,) if limb == "working" else (other_side(side),)


def _verdict(c: Condition, value: float, widen: bool) -> str:
    """PASS within the bounds (widened by the tolerance when `widen`), UNSURE up to the
    margin past them, FAIL beyond."""
    tol = c.tolerance if widen else 0.0
    past = max(c.min - tol - value if c.min is not None else 0.0,
               value - c.max - tol if c.max is not None else 0.0)
    if past <= 0.0:
        return PASS
    return UNSURE if past <= c.margin else FAIL


@dataclass(frozen=True)
class _Outcome:
    state: str
    value: float | None
    missing: tuple[str, ...]


def evaluate_condition(c: Condition, lm: Landmarks, visible: frozenset[str], side: str | None,
                       widen: bool = False) -> _Outcome:
    """One condition over the limbs it names: "both", every limb must pass; "either", one
    must; "seen", every limb the camera sees must (at least one seen: in a side view the far
    leg is often hidden behind the near one); "nearest", the limb the camera sees best (side-on
    the far one is partly guessed)."""
    limbs = limbs_for(c.limb, side)
    if limbs is None:
        return _Outcome(UNKNOWN, None, ())
    if c.limb == "nearest":
        needs = REGISTRY[c.feature].needs
        limbs = (max(limbs, key=lambda s: float(np.mean([lm.visibility[INDEX[n]] for n in needs(s)]))),)
    outcomes = []
    for limb in limbs:
        missing = tuple(n for n in REGISTRY[c.feature].needs(limb) if n not in visible)
        if missing:
            outcomes.append(_Outcome(UNKNOWN, None, missing))
            continue
        value = measure(lm, c.feature, limb)
        if math.isnan(value):
            outcomes.append(_Outcome(UNKNOWN, None, ()))
        else:
            outcomes.append(_Outcome(_verdict(c, value, widen), value, ()))
    if c.limb == "seen" and any(o.state != UNKNOWN for o in outcomes):
        outcomes = [o for o in outcomes if o.state != UNKNOWN]
    return _combine(outcomes, "any" if c.limb == "either" else "all")


def _combine(outcomes: list[_Outcome], match: str) -> _Outcome:
    """All-of: any fail fails, else any unsure is unsure, else any unknown is unknown.
    Any-of: the mirror image."""
    decisive, other = (FAIL, PASS) if match == "all" else (PASS, FAIL)
    for state in (decisive, UNSURE):
        for o in outcomes:
            if o.state == state:
                return o
    unknown = [o for o in outcomes if o.state == UNKNOWN]
    if unknown:
        missing = tuple(dict.fromkeys(n for o in unknown for n in o.missing))
        return _Outcome(UNKNOWN, None, missing)
    return _Outcome(other, outcomes[0].value if outcomes else None, ())


def evaluate_check(check: Check, lm: Landmarks, visible: frozenset[str], side: str | None,
                   view: str | None, previous: str | None = None,
                   elevation: float | None = None) -> CheckResult:
    """Judge one check in one frame. `previous` is its state in the last frame (hysteresis);
    `elevation` the camera's over the floor in degrees, when known. From a camera steeper
    than the check's `max_elevation` the check is unsure: neither a fault nor a hold."""
    if check.unsupported:
        return CheckResult(check.id, UNKNOWN, None, ())
    if "any" not in check.views and view not in check.views:
        return CheckResult(check.id, UNKNOWN, None, (), wrong_view=True)
    if None not in (check.max_elevation, elevation) and elevation > check.max_elevation:
        return CheckResult(check.id, UNKNOWN, None, (), unsure=True, too_high=True)
    if side is None and any(c.limb in ("working", "other") for c in check.conditions):
        return CheckResult(check.id, UNKNOWN, None, (), no_side=True)
    outcomes = [evaluate_condition(c, lm, visible, side, widen=previous == PASS)
                for c in check.conditions]
    o = _combine(outcomes, check.match)
    if o.state == UNSURE:
        return CheckResult(check.id, UNKNOWN, o.value, unsure=True)
    return CheckResult(check.id, o.state, o.value, o.missing)


def evaluate_all(pose: PoseSpec, lm: Landmarks, visible: frozenset[str], side: str | None,
                 view: str | None, previous: dict[str, str] | None = None,
                 elevation: float | None = None) -> dict[str, CheckResult]:
    previous = previous or {}
    return {c.id: evaluate_check(c, lm, visible, side, view, previous.get(c.id), elevation)
            for c in pose.checks}


def conditions_hold(conditions: tuple[Condition, ...], lm: Landmarks, visible: frozenset[str],
                    side: str | None, widen: bool = False) -> str:
    """pass / fail / unknown for a list of conditions that must all hold (recognition, phases);
    unsure counts as unknown."""
    outcomes = [evaluate_condition(c, lm, visible, side, widen) for c in conditions]
    state = _combine(outcomes, "all").state
    return UNKNOWN if state == UNSURE else state


def form_correct(pose: PoseSpec, results: dict[str, CheckResult]) -> bool:
    """Correct form: every core check judged and passing, and no other fault check failing
    or unsure."""
    for check in pose.checks:
        result = results[check.id]
        if check.core and result.state != PASS:
            return False
        if check.kind == "fault" and (result.state == FAIL or result.unsure):
            return False
    return True


def frame_quality(pose: PoseSpec, results: dict[str, CheckResult]) -> float:
    """Share of the fault checks that pass (0-1): unknown core checks count as not passing,
    unknown non-core checks are left out. The form score is its time-weighted mean."""
    counted = passed = 0
    for check in pose.checks:
        if check.kind != "fault":
            continue
        state = results[check.id].state
        if state == UNKNOWN and not check.core:
            continue
        counted += 1
        passed += state == PASS
    return passed / counted if counted else 0.0


def landmark_words(name: str) -> str:
    """'left_foot_index' -> 'left toes', for messages to the user."""
    words = name.replace("foot_index", "toes").replace("_", " ")
    return words


def fill_cue(cue: str, side: str | None) -> str:
    """Put the working and other side's names into a cue ({working}, {other})."""
    if side is None:
        return cue.replace("{working} ", "").replace("{other} ", "").replace(
            "{working}", "").replace("{other}", "")
    return cue.replace("{working}", side).replace("{other}", other_side(side))


def unknown_reason(check: Check, result: CheckResult, phase: Phase | None = None,
                   side: str | None = None) -> str:
    """Why a check could not be judged, in words for the user. When all it misses is the
    leg that `phase` hides from any camera (a folded Pigeon's front leg, under the chest),
    the phase's own words: no camera move would help."""
    if hidden_by(phase, side, result.missing):
        return phase.hidden_cue
    what = check.name[:1].lower() + check.name[1:]
    if check.unsupported:
        return f"{check.name}: no camera view can judge this yet"
    if result.too_high:
        return "The camera looks down too steeply to judge this: lower it to hip height"
    if result.unsure:
        cue = fill_cue(check.cue, side)
        return f"Not sure from here: {cue[:1].lower()}{cue[1:]}?"
    if result.wrong_view:
        where = " or ".join(PLACEMENT[v] for v in check.views[:2])
        return f"To check {what}, place the camera {where}"
    if result.missing:
        names = ", ".join(landmark_words(n) for n in result.missing[:2])
        return f"Can't see your {names}"
    if result.no_side:
        return "Can't tell which side you are working: let the camera see both legs"
    return f"Can't judge {what} yet"


def hidden_by(phase: Phase | None, side: str | None, missing: tuple[str, ...]) -> bool:
    if phase is None or phase.hidden_leg is None or side is None or not missing:
        return False
    leg = side if phase.hidden_leg == "working" else other_side(side)
    return all(name.startswith(f"{leg}_") and name.split("_", 1)[1] in LEG_PARTS
               for name in missing)
