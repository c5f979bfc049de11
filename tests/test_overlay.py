"""The overlay, judged by what a user would see: colours along bones, text in the bands,
nothing running off the frame, every frame size from 240p to 1080p and portrait."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest

from posecheck.core.checks import FAIL, PASS, UNKNOWN, CheckResult
from posecheck.core.judge import Cue, FrameResult
from posecheck.core.landmarks import INDEX, NAMES, Landmarks
from posecheck.core.poses import Check, Condition, PoseSpec, load_pose_file
from posecheck.core.timer import TimerSnapshot
from posecheck.report import overlay

POSE_FILE = Path(__file__).resolve().parent.parent / "poses" / "malasana.toml"

#: A deep squat seen from the front in a 640x480 frame (the person's left is image right).
SQUAT = {
    "nose": (320, 112), "left_eye_inner": (326, 104), "left_eye": (330, 104),
    "left_eye_outer": (334, 104), "right_eye_inner": (314, 104), "right_eye": (310, 104),
    "right_eye_outer": (306, 104), "left_ear": (340, 110), "right_ear": (300, 110),
    "mouth_left": (328, 126), "mouth_right": (312, 126),
    "left_shoulder": (360, 160), "right_shoulder": (280, 160),
    "left_elbow": (392, 232), "right_elbow": (248, 232),
    "left_wrist": (328, 212), "right_wrist": (312, 212),
    "left_pinky": (326, 200), "right_pinky": (314, 200),
    "left_index": (324, 196), "right_index": (316, 196),
    "left_thumb": (322, 206), "right_thumb": (318, 206),
    "left_hip": (350, 290), "right_hip": (290, 290),
    "left_knee": (440, 282), "right_knee": (200, 282),
    "left_ankle": (404, 382), "right_ankle": (236, 382),
    "left_heel": (398, 394), "right_heel": (242, 394),
    "left_foot_index": (424, 398), "right_foot_index": (216, 398),
}


def squat(w: int = 640, h: int = 480, hidden: tuple[str, ...] = ()) -> Landmarks:
    """The squat template fitted into a w x h frame, centred."""
    s = min(w / 640, h / 480)
    dx, dy = (w - 640 * s) / 2, (h - 480 * s) / 2
    xyz = np.zeros((33, 3))
    for name, (x, y) in SQUAT.items():
        xyz[INDEX[name]] = (x * s + dx, y * s + dy, 0.0)
    vis = np.array([0.0 if n in hidden else 0.99 for n in NAMES])
    return Landmarks(xyz, vis, w, h)


def _small_pose() -> PoseSpec:
    cond = lambda f, limb=None, **kw: Condition(f, limb, kw.get("min"), kw.get("max"), 5.0)
    checks = (
        Check("deep-squat", "fault", True, ("any",), "Sink your hips lower", "", "all",
              (cond("hip_above_knee", max=0.15), cond("knee_angle", "both", max=90))),
        Check("spine-upright", "fault", True, ("any",), "Lift your chest", "", "all",
              (cond("torso_from_vertical", max=35),)),
        Check("elbows-in-knees", "tip", False, ("front",), "Elbows in", "", "all",
              (cond("elbow_to_knee", "both", max=0.4),)),
    )
    return PoseSpec("malasana", "Malasana", "", "", ("front",), 30.0, 0, None, 0.5,
                    (cond("hip_above_knee", max=0.45),), (), checks, "<test>")


@pytest.fixture(scope="module")
def pose() -> PoseSpec:
    return load_pose_file(POSE_FILE) if POSE_FILE.is_file() else _small_pose()


def frame_result(pose: PoseSpec, states: dict[str, str], cue: Cue | None = None,
                 timer: TimerSnapshot | None = None, person: bool = True) -> FrameResult:
    results = {c.id: CheckResult(c.id, states.get(c.id, UNKNOWN), None) for c in pose.checks}
    return FrameResult(
        t=1.0, person=person, pose=pose, in_pose=person, side=None, view="front", phase=None,
        results=results if person else {}, correct=False, quality=0.5,
        timer=timer or TimerSnapshot("holding", 12.3, 12.3, 12.3),
        cue=cue or Cue("Sink your hips lower", "fault"))


def background(w: int = 640, h: int = 480, value: int = 110) -> np.ndarray:
    return np.full((h, w, 3), value, np.uint8)


def along(img: np.ndarray, lm: Landmarks, a: str, b: str, fractions=(0.4, 0.5, 0.6)):
    """Pixels (BGR) at points along the bone a-b."""
    pa, pb = lm.px(a), lm.px(b)
    return [img[int(round(y)), int(round(x))].astype(int)
            for x, y in (pa + f * (pb - pa) for f in fractions)]


def red(p) -> bool:
    return p[2] > 150 and p[2] > p[1] + 60 and p[2] > p[0] + 60


def green(p) -> bool:
    return p[1] > 150 and p[1] > p[2] + 60 and p[1] > p[0] + 40


FAULT = {"deep-squat": FAIL, "spine-upright": PASS}


# --- shape and purity -------------------------------------------------------------------------

def test_annotate_keeps_shape_dtype_and_leaves_input_alone(pose):
    frame = background()
    before = frame.copy()
    out = overlay.annotate(frame, squat(), frame_result(pose, FAULT))
    assert out.shape == frame.shape and out.dtype == np.uint8
    assert np.array_equal(frame, before)
    assert not np.array_equal(out, before)


def test_draw_functions_draw_in_place(pose):
    frame = background()
    assert overlay.draw_skeleton(frame, squat(), frame_result(pose, FAULT)) is frame
    assert overlay.draw_panel(frame, frame_result(pose, FAULT)) is frame


# --- skeleton colours -------------------------------------------------------------------------

def test_failing_check_bone_is_red_and_passing_check_bone_is_green(pose):
    lm = squat()
    out = overlay.draw_skeleton(background(), lm, frame_result(pose, FAULT))
    assert all(red(p) for p in along(out, lm, "right_hip", "right_knee"))
    assert all(red(p) for p in along(out, lm, "left_knee", "left_ankle"))
    assert all(green(p) for p in along(out, lm, "right_shoulder", "right_hip", (0.2, 0.3)))


@pytest.mark.parametrize("states, part, expected", [
    ({"deep-squat": FAIL}, ("left_hip", "left_knee"), "fault"),
    ({"deep-squat": PASS}, ("left_hip", "left_knee"), "pass"),
    ({"deep-squat": UNKNOWN}, ("left_hip", "left_knee"), "unknown"),
    ({"spine-upright": FAIL}, ("left_shoulder", "left_hip"), "fault"),
    ({"spine-upright": PASS, "deep-squat": FAIL}, ("left_shoulder", "left_hip"), "pass"),
    ({}, ("left_shoulder", "left_elbow"), "unknown"),
])
def test_bone_status(pose, states, part, expected):
    bones, _ = overlay.skeleton_status(frame_result(pose, states))
    assert bones[part] == expected


def test_failing_tip_marks_its_joints_orange_and_a_fault_wins(pose):
    _, joints = overlay.skeleton_status(
        frame_result(pose, {"elbows-in-knees": FAIL, "deep-squat": FAIL}))
    assert joints["left_elbow"] == "tip"
    assert joints["left_knee"] == "fault"


def test_body_ruler_does_not_colour_the_torso(pose):
    """deep-squat measures hip height in torso lengths: its failure reddens the legs,
    not the trunk it only uses as a ruler."""
    bones, _ = overlay.skeleton_status(frame_result(pose, {"deep-squat": FAIL}))
    assert bones[("left_shoulder", "left_hip")] == "unknown"


def test_tip_measured_in_torso_lengths_marks_only_its_joints(pose):
    """elbow_to_knee needs the trunk only to size the body: the elbows and knees turn
    orange, the thighs and upper arms stay as they were."""
    bones, joints = overlay.skeleton_status(frame_result(pose, {"elbows-in-knees": FAIL}))
    assert joints["left_elbow"] == joints["right_knee"] == "tip"
    assert bones[("left_hip", "left_knee")] == "unknown"
    assert bones[("left_shoulder", "left_elbow")] == "unknown"


def test_hidden_joint_is_hollow_and_visible_joint_is_filled(pose):
    lm = squat(hidden=("left_elbow",))
    out = overlay.draw_skeleton(background(), lm, frame_result(pose, {}))
    seen = out[tuple(np.round(lm.px("right_elbow")[::-1]).astype(int))]
    hidden = out[tuple(np.round(lm.px("left_elbow")[::-1]).astype(int))]
    assert seen.min() > 230  # an unchecked, visible joint: a white dot
    assert hidden.max() < 200  # hollow: no white fill


def test_a_joint_the_judge_did_not_see_is_hollow_whatever_its_visibility(pose):
    """The judge's seen set (e.g. a personal profile found the forearm implausible) decides,
    so the picture never shows as seen a joint the checks treated as unseen."""
    lm = squat()
    result = replace(frame_result(pose, {}), visible=frozenset(NAMES) - {"left_elbow"})
    out = overlay.draw_skeleton(background(), lm, result)
    assert out[tuple(np.round(lm.px("left_elbow")[::-1]).astype(int))].max() < 200
    assert out[tuple(np.round(lm.px("right_elbow")[::-1]).astype(int))].min() > 230


def test_landmark_nan_or_far_outside_does_not_crash(pose):
    lm = squat()
    xyz = lm.xyz.copy()
    xyz[INDEX["left_wrist"]] = (np.nan, np.nan, 0)
    xyz[INDEX["right_wrist"]] = (1e9, -1e9, 0)
    out = overlay.annotate(background(), replace(lm, xyz=xyz), frame_result(pose, FAULT))
    assert out.shape == (480, 640, 3)


# --- panel --------------------------------------------------------------------------------------

def test_cue_band_is_drawn_at_the_top(pose):
    frame = background()
    out = overlay.draw_panel(frame.copy(), frame_result(pose, FAULT))
    band = out[40:80]
    assert np.abs(band.astype(int) - frame[40:80].astype(int)).mean() > 30
    assert (band[..., 2].astype(int) - band[..., 1] > 80).mean() > 0.3  # a red fault band
    assert (band.min(axis=2) > 220).any()  # white words on it


LONG = ("Press your heels down (a rolled towel under them helps) and keep breathing slowly "
        "Supercalifragilisticexpialidociousnessandthensomemorewords")


@pytest.mark.parametrize("w, h", [(640, 480), (320, 240), (1080, 1920)])
def test_long_cue_stays_inside_the_frame(pose, w, h):
    frame = np.zeros((h, w, 3), np.uint8)
    result = frame_result(pose, FAULT, cue=Cue(LONG, "setup"))
    out = overlay.draw_panel(frame, result)
    band_rows = slice(0, int(h * 0.35))
    text = out[band_rows].min(axis=2) > 200
    columns = np.flatnonzero(text.any(axis=0))
    assert columns.size and columns.max() < w - 2 and columns.min() > 1


def test_wrap_text_never_exceeds_width():
    font = cv2.FONT_HERSHEY_DUPLEX
    lines = overlay.wrap_text(LONG, font, 1.0, 2, 300)
    assert len(lines) > 2
    assert all(cv2.getTextSize(line, font, 1.0, 2)[0][0] <= 300 for line in lines)


def test_fit_text_limits_lines_with_ellipsis():
    lines, scale, _ = overlay.fit_text(LONG * 3, cv2.FONT_HERSHEY_DUPLEX, 1.0, True, 200, 2, 0.8)
    assert len(lines) == 2 and lines[-1].endswith("...") and scale >= 0.8


@pytest.mark.parametrize("text, expected", [
    ("Pigeon \u2014 right", "Pigeon - right"),
    ("Bend to 90\u00b0", "Bend to 90 deg"),
    ("Mal\u0101sana \u2713", "Malasana OK"),
])
def test_ascii_text(text, expected):
    assert overlay.ascii_text(text) == expected


def test_title_has_side_and_phase(pose):
    result = replace(frame_result(pose, FAULT), side="right", phase="upright")
    assert overlay.title_text(result) == f"{pose.title} - right - upright"


@pytest.mark.parametrize("state, current, words", [
    ("holding", 12.34, "Hold 12.3 s / 30 s"),
    ("grace", 5.0, "(not counting)"),
    ("settling", 0.0, "(starting)"),
    ("holding", 30.0, "(done)"),
])
def test_timer_text(pose, state, current, words):
    result = frame_result(pose, FAULT, timer=TimerSnapshot(state, current, current, current))
    assert words in overlay.timer_text(result)


def test_timer_bar_fill_is_coloured_by_state(pose):
    def bar(state):  # every check unknown: the only green or amber is the timer's bar
        snap = TimerSnapshot(state, 15.0, 15.0, 15.0)
        cue = Cue("Hold still", "setup")
        out = overlay.draw_panel(background(), frame_result(pose, {}, cue=cue, timer=snap))
        return out.reshape(-1, 3).astype(int)

    holding = bar("holding")
    assert sum(green(p) for p in holding) > 200
    grace = bar("grace")
    amber = (grace[:, 2] > 200) & (grace[:, 1] > 150) & (grace[:, 0] < 80)
    assert amber.sum() > 200 and not any(green(p) for p in grace)
    idle = bar("idle")
    assert not any(green(p) for p in idle) and not ((idle[:, 2] - idle[:, 0]) > 60).any()


def test_no_person_shows_a_centred_message(pose):
    frame = np.zeros((480, 640, 3), np.uint8)
    result = frame_result(pose, {}, cue=Cue("Step into view of the camera", "setup"),
                          person=False)
    out = overlay.annotate(frame, None, result)
    centre = out[200:280, 100:540].min(axis=2) > 200
    assert centre.any()
    cols = np.flatnonzero(centre.any(axis=0)) + 100
    assert abs((cols.min() + cols.max()) / 2 - 320) < 20  # centred


def test_no_pose_yet_still_draws_the_cue():
    result = FrameResult(1.0, True, None, False, None, None, None, {},
                         cue=Cue("Get into one of the poses so I can recognise it", "setup"))
    out = overlay.annotate(np.zeros((480, 640, 3), np.uint8), squat(), result)
    assert (out[:120].min(axis=2) > 200).any()


# --- frame sizes --------------------------------------------------------------------------------

@pytest.mark.parametrize("w, h", [(320, 240), (640, 480), (1920, 1080), (1080, 1920)])
def test_every_frame_size(pose, w, h):
    lm = squat(w, h)
    frame = background(w, h)
    out = overlay.annotate(frame, lm, frame_result(pose, FAULT))
    assert out.shape == (h, w, 3)
    assert all(red(p) for p in along(out, lm, "right_hip", "right_knee"))
    assert (out.min(axis=2) > 220).any()  # cue words


def test_sizes_grow_with_the_frame():
    small, big = np.zeros((240, 320, 3), np.uint8), np.zeros((1080, 1920, 3), np.uint8)
    portrait = np.zeros((1920, 1080, 3), np.uint8)
    assert overlay.unit(small) == pytest.approx(0.5)
    assert overlay.unit(big) == pytest.approx(2.25)
    assert overlay.unit(portrait) < 1920 / 480  # capped by the width


# --- pictures for a person to look at ----------------------------------------------------------

def _scene(w: int, h: int) -> np.ndarray:
    """A plain room: a wall and a floor, so the overlay is seen on a mixed background."""
    img = np.empty((h, w, 3), np.uint8)
    img[:] = (200, 205, 210)
    img[int(h * 0.78):] = (70, 100, 130)
    return img


DEMOS = [
    ("squat_fault_640x480", 640, 480, FAULT, Cue("Sink your hips lower", "fault"), "grace"),
    ("squat_tip_portrait", 1080, 1920, {"deep-squat": PASS, "spine-upright": PASS,
                                        "elbows-in-knees": FAIL},
     Cue("Press your elbows into the insides of your knees", "tip"), "holding"),
    ("squat_good_320x240", 320, 240, {"deep-squat": PASS, "spine-upright": PASS},
     Cue("Good form: hold it and breathe", "good"), "holding"),
    ("squat_unknown_1920x1080", 1920, 1080, {"deep-squat": PASS},
     Cue("Can't see your left heel, right heel", "unknown"), "settling"),
]


@pytest.mark.parametrize("name, w, h, states, cue, state", DEMOS)
def test_demo_pictures(tmp_path, pose, name, w, h, states, cue, state):
    result = frame_result(pose, states, cue=cue, timer=TimerSnapshot(state, 9.5, 9.5, 9.5))
    out = overlay.annotate(_scene(w, h), squat(w, h), result)
    path = tmp_path / f"{name}.png"
    assert cv2.imwrite(str(path), out)
    assert cv2.imread(str(path)).shape == (h, w, 3)


def test_an_unknown_check_names_the_view_that_would_judge_it(pose):
    """Not a bare '?': a check judged only from the front says 'front view' when the camera is
    elsewhere, one no view can judge says so, and a judged or hidden check says nothing."""
    front_only = next(c for c in pose.checks if c.views == ("front",))
    result = frame_result(pose, {})
    result.results[front_only.id] = CheckResult(front_only.id, UNKNOWN, None, (), wrong_view=True)
    assert overlay.check_hint(front_only, result) == "front view"
    unsupported = replace(front_only, unsupported="the model cannot see it")
    assert overlay.check_hint(unsupported, result) == "no view yet"
    result.results[front_only.id] = CheckResult(front_only.id, UNKNOWN, None, ("left_elbow",))
    assert overlay.check_hint(front_only, result) == ""  # hidden: the cue says what is unseen
    result.results[front_only.id] = CheckResult(front_only.id, PASS, 0.1)
    assert overlay.check_hint(front_only, result) == ""


def test_the_list_names_checks_in_plain_words(pose):
    """Titles from the pose file, not ids; the view hint after a dash, not in parentheses."""
    front_only = next(c for c in pose.checks if c.views == ("front",))
    result = frame_result(pose, {})
    result.results[front_only.id] = CheckResult(front_only.id, UNKNOWN, None, (), wrong_view=True)
    names = overlay.check_names(result)
    assert names[[c.id for c in pose.checks].index(front_only.id)] == \
        f"{front_only.title} - front view"
    assert not any("-" in n.split(" - ")[0] and n.split(" - ")[0] == c.id
                   for n, c in zip(names, pose.checks))
    assert overlay.screen_text("Get into Pigeon (camera at your side)") == \
        "Get into Pigeon, camera at your side"


def test_a_photo_says_good_form_and_a_countdown_says_get_ready(pose):
    good = frame_result(pose, {c.id: PASS for c in pose.checks},
                        cue=Cue("Good form: hold it and breathe", "good"))
    assert overlay.shown_cue(good) == ("Good form: hold it and breathe", "good")
    assert overlay.shown_cue(replace(good, timer=None)) == ("Good form", "good")  # a photo
    assert overlay.shown_cue(good, countdown_s=2.2) == ("Get ready: 3", "setup")
    fault = frame_result(pose, FAULT)
    assert overlay.shown_cue(fault, countdown_s=2.2) == ("Sink your hips lower", "fault")


# --- where the panels go ----------------------------------------------------------------------

FRAMES = [(854, 480), (640, 480), (270, 480), (1920, 1080), (1440, 1080), (1080, 1920)]


def body_at(w: int, h: int, left: float, scale: float) -> Landmarks:
    """The squat template at `scale` of the frame's height, its left edge at `left` x w."""
    s = scale * h / 480
    xyz = np.zeros((33, 3))
    for name, (x, y) in SQUAT.items():
        xyz[INDEX[name]] = ((x - 200) * s + left * w, (y - 104) * s + (h - 294 * s) / 2, 0.0)
    return Landmarks(xyz, np.full(33, 0.99), w, h)


@pytest.mark.parametrize("w, h", FRAMES)
@pytest.mark.parametrize("left, scale", [(0.05, 0.6), (0.5, 0.6), (0.3, 0.9)])
def test_panels_never_cover_the_head_hands_or_feet(pose, w, h, left, scale):
    """Whatever the frame's shape and wherever the body stands: the cue, list, timer and
    extra lines leave the head, hands and feet as the skeleton drew them, unless the body
    fills the frame, when they are drawn see-through (still never over the head)."""
    from posecheck.report import layout

    lm = body_at(w, h, min(left, 1 - 250 * scale * h / 480 / w), scale)
    result = frame_result(pose, FAULT, cue=Cue(LONG[:60], "fault"))
    bare = overlay.draw_skeleton(_scene(w, h), lm, result)
    full = overlay.draw_panel(bare.copy(), result, lm, ["Step 2 of 6: Pigeon, right side",
                                                        "30 fps"])
    keys = layout.key_boxes(lm, w, h)
    plan = overlay.layout_of(bare, result, lm)
    changed = np.abs(full.astype(int) - bare.astype(int)).sum(axis=2) > 0
    for k in keys:
        box = changed[max(0, k.y0):k.y1, max(0, k.x0):k.x1]
        assert plan.faded or not box.any(), (k, plan)
    assert (full.min(axis=2) > 220).any()  # the cue's words are there


def test_the_column_goes_where_the_body_is_not():
    from posecheck.report.layout import Box, Key, plan

    right_body = Box(500, 40, 620, 460)
    p = plan(640, 480, right_body, [], 60, 10)
    assert p.cue == "side" and p.side.x1 <= 490 and not p.faded  # the free left side
    phone = plan(270, 480, Box(30, 180, 240, 300), [], 60, 10)
    assert phone.cue == "top" and phone.side.y0 >= 300 and phone.side.w == 270  # below
    full = plan(640, 480, Box(10, 10, 630, 470), [Key(300, 10, 340, 50, 10)], 60, 10)
    assert full.faded and full.cue == "bottom"  # the head is at the top


def test_views_are_named_the_same_in_the_header_and_the_list():
    assert overlay.view_words("side") == "side view"
    assert overlay.view_words("three-quarter") == "3/4 view"
    assert overlay.view_words("feet") == "feet end"
