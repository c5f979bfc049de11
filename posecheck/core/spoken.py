"""The coach's spoken words: what the voice says for each cue, step and milestone.

The screen can afford detail ("To check knees over hips, bent to 90 degrees, place the camera
at your side"); a person lying on the mat hears one short sentence ("Move the camera to your
side").
Every sentence comes from a pose file or from here, so `built_in_sentences` can list all the
built-in poses can make the voice say: those are pre-made as audio, and a custom pose's own
`say` texts need a speech engine.
"""

from __future__ import annotations

from posecheck.core.checks import CheckResult, fill_cue
from posecheck.core.landmarks import NAMES
from posecheck.core.poses import Check, Phase, PoseSpec

#: Where to move the camera, as a sentence to hear.
MOVE_TO = {
    "front": "in front of you",
    "back": "behind you",
    "three-quarter": "to an angle",
    "side": "to your side",
    "feet": "to your feet",
    "head": "beyond your head",
}
#: The planner's own sentences (`speech.SpeechPlanner`).
FIXED = ("That's it", "Holding", "10 seconds left", "Done", "3", "2", "1")
NO_PERSON = "Step into view of the camera"
NO_POSE = "Get into one of the poses so I can recognise it"
TOO_HIGH = "Lower the camera to hip height"
NO_SIDE = "Let the camera see both legs"
SIDES = ("left", "right")


def check_sentence(check: Check, side: str | None) -> str:
    """A fault's or tip's correction, as spoken ("" when the pose file silences it)."""
    return fill_cue(check.cue if check.say is None else check.say, side)


def move_camera(views: tuple[str, ...]) -> str:
    return f"Move the camera {MOVE_TO[views[0]]}" if views and views[0] in MOVE_TO else ""


#: A landmark's name, as a body part to hear: the face's points are the head, the fingers'
#: the hand.
HEARD_PART = {"foot_index": "toes", "pinky": "hand", "index": "hand", "thumb": "hand"}
FACE = ("nose", "eye", "ear", "mouth")


def cant_see(name: str) -> str:
    side, _, part = name.partition("_")
    if name.startswith(FACE) or part.startswith(FACE):
        return "I can't see your head"
    if side not in SIDES:
        return f"I can't see your {name.replace('_', ' ')}"
    return f"I can't see your {side} {HEARD_PART.get(part, part.replace('_', ' '))}"


def unknown_sentence(check: Check, result: CheckResult, phase: Phase | None,
                     side: str | None, hidden: bool) -> str:
    """What to say when a core check cannot be judged: the one thing the person can do about
    it, or nothing (a check no camera judges, a leg the pose itself hides, a doubt)."""
    if hidden or check.unsupported or (result.unsure and not result.too_high):
        return ""
    if result.too_high:
        return TOO_HIGH
    if result.wrong_view:
        return move_camera(tuple(v for v in check.views if v in MOVE_TO))
    if result.missing:
        return cant_see(result.missing[0])
    if result.no_side:
        return NO_SIDE
    return ""


def get_into(pose: PoseSpec) -> str:
    where = MOVE_TO.get(pose.best_views[0]) if pose.best_views else None
    return f"Get into {pose.title}" + (f", camera {where}" if where else "")


def side_words(pose: PoseSpec, side: str | None) -> str:
    """'right leg forward' (the pose file's words) or 'right side'."""
    if side is None:
        return ""
    return fill_cue(pose.side_say, side) if pose.side_say else f"{side} side"


def step_sentence(pose: PoseSpec, side: str | None, switch: bool = False) -> str:
    """The routine's announcement of a step: "Next: Pigeon, right leg forward", or
    "Switch sides: left leg forward" when the same pose goes on with the other side."""
    words = side_words(pose, side)
    if switch and words:
        return f"Switch sides: {words}"
    return f"Next: {pose.title}" + (f", {words}" if words else "")


def built_in_sentences(poses: dict[str, PoseSpec]) -> list[str]:
    """Every sentence these poses and the planner can make the voice say, sorted."""
    said = {*FIXED, NO_PERSON, NO_POSE, TOO_HIGH, NO_SIDE}
    said |= {move_camera((v,)) for v in MOVE_TO}
    said |= {cant_see(n) for n in NAMES}
    for pose in poses.values():
        sides = SIDES if pose.asymmetric else (None,)
        said.add(get_into(pose))
        for side in sides:
            said.add(step_sentence(pose, side))
            if side is not None:
                said.add(step_sentence(pose, side, switch=True))
            said |= {check_sentence(c, side) for c in pose.checks if c.kind in ("fault", "tip")}
    said.discard("")
    return sorted(said)

