"""analyze --html: the timeline made of frame results (spans, fault episodes, the longest
hold, key frames), then the page itself, end to end on a sample clip, a photo, an
interrupted run and an unwritable path."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest
from click.testing import CliRunner

from posecheck.app.analyze import Outputs, analyze
from posecheck.cli import main
from posecheck.core import checks as ck
from posecheck.core.judge import FrameResult
from posecheck.core.poses import load_pose
from posecheck.core.timer import GRACE, HOLDING, IDLE, SETTLING, TimerSnapshot
from posecheck.report.builder import ReportBuilder
from posecheck.report.html_page import render_page
from posecheck.report.timeline import (
    IN,
    NOBODY,
    OUT,
    Episodes,
    Holds,
    Span,
    Timeline,
    Track,
    key_frames,
    plotted_value,
    value_bands,
)

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
FOLDED = SAMPLES / "malasana-front-spine-folded.mp4"
SPINE_CUE = "Lift your chest and lengthen your spine"
MALASANA = load_pose("malasana")
PIGEON = load_pose("pigeon")
FPS = 10.0


def frame(i: int, fail=(), unknown=(), in_pose=True, person=True, timer=None,
          pose=MALASANA, value=20.0) -> FrameResult:
    """Frame `i` at FPS: every check passes with `value` but those in `fail` and `unknown`."""
    def result(check_id):
        if check_id in unknown:
            return ck.CheckResult(check_id, ck.UNKNOWN, None, ("left_ankle",))
        return ck.CheckResult(check_id, ck.FAIL if check_id in fail else ck.PASS, value)

    results = {c.id: result(c.id) for c in pose.checks} if person else {}
    return FrameResult(i / FPS, person, pose if person else None, in_pose and person, None,
                       "front", None, results, person and not fail, 1.0, timer)


def record(frames: list[FrameResult], poses=(MALASANA,)):
    """The finished timeline of the first pose, and the times at which pictures were taken."""
    timeline, grabbed = Timeline(list(poses), FPS), []

    def grab_at(t):
        def grab():
            grabbed.append(t)
            return f"picture at {t:.1f}".encode()
        return grab

    for r in frames:
        timeline.add(r, grab_at(r.t))
    return timeline.finish(poses[0].name), grabbed


def snap(state: str, held: float) -> TimerSnapshot:
    return TimerSnapshot(state, held, held, held)


# --- tracks and episodes -----------------------------------------------------------------------

@pytest.mark.parametrize("states, spans", [
    ("a", [Span(0, 1.0, "a")]),
    ("aab", [Span(0, 0.2, "a"), Span(0.2, 1.0, "b")]),
    ("abba", [Span(0, 0.1, "a"), Span(0.1, 0.3, "b"), Span(0.3, 1.0, "a")]),
])
def test_track_turns_states_into_spans(states, spans):
    track = Track()
    for i, state in enumerate(states):
        track.add(i / FPS, state)
    assert track.spans(1.0) == spans


def feed(episodes: Episodes, failing: str) -> list[float]:
    """Feed one frame per character ('x' fails); the times an episode was confirmed."""
    return [i / FPS for i, c in enumerate(failing) if episodes.update(i / FPS, c == "x")]


@pytest.mark.parametrize("failing, expected", [
    ("..xxxxxxxxxx..", [(0.2, 1.2)]),  # one second of fault
    ("..xx..........", []),  # a blip shorter than a cue takes to show
    ("..xxxxx...xxxxx..", [(0.2, 1.5)]),  # a gap of 0.3 s does not split it
    ("..xxxxx........xxxxx..", [(0.2, 0.7), (1.5, 2.0)]),  # a gap of 0.8 s does
    ("......xxxxx", [(0.6, 1.1)]),  # still failing at the end: ends with the video
])
def test_fault_episodes(failing, expected):
    episodes = Episodes("spine-upright", min_s=0.3, gap_s=0.5)
    feed(episodes, failing)
    found = episodes.finish(len(failing) / FPS)
    assert [(round(e.start, 2), round(e.end, 2)) for e in found] == expected


def test_an_episode_asks_for_its_picture_once_when_confirmed():
    episodes = Episodes("spine-upright", min_s=0.3)
    assert feed(episodes, "..xxxxxxxx") == [pytest.approx(0.5)]


def test_only_the_longest_episode_keeps_its_picture():
    episodes = Episodes("spine-upright", min_s=0.3, gap_s=0.5)
    for i, c in enumerate("xxxx........xxxxxxxx........xxxx"):
        if episodes.update(i / FPS, c == "x"):
            episodes.attach(f"picture {i}")
    found = episodes.finish(3.2)
    assert [e.shot for e in found] == [None, "picture 15", None]


def test_the_hold_picture_is_from_near_the_middle_of_the_longest_hold():
    holds, asked = Holds(), []
    timers = [snap(SETTLING, 0)] + [snap(HOLDING, 0.5 + i / FPS) for i in range(20)] \
        + [snap(IDLE, 0)] * 3 + [snap(HOLDING, 0.5 + i / FPS) for i in range(80)] \
        + [snap(GRACE, 8.4)]
    for i, timer in enumerate(timers):
        if holds.update(i / FPS, timer):
            asked.append(timer.current_s)
            holds.attach(timer.current_s)
    best = holds.finish()
    assert best.length == pytest.approx(8.4)
    assert best.shot == pytest.approx(4.0)  # of the pictures at 0.5, 1, 2, 4 and 8 s held
    assert len(asked) == 3 + 5  # a few pictures per hold, not one per frame


# --- the timeline of a run -------------------------------------------------------------------

def test_timeline_bands_follow_presence_pose_and_checks():
    frames = [frame(0, person=False), frame(1, in_pose=False)] + [frame(i) for i in range(2, 6)] \
        + [frame(i, fail=("spine-upright",)) for i in range(6, 10)]
    pt, _ = record(frames)
    assert pt.end == pytest.approx(1.0)
    assert [(s.state, s.start) for s in pt.presence] == [(NOBODY, 0.0), (OUT, 0.1), (IN, 0.2)]
    assert [(s.state, s.start) for s in pt.checks["spine-upright"]] == [
        (OUT, 0.0), (ck.PASS, 0.2), (ck.FAIL, 0.6)]
    assert math.isnan(pt.values["spine-upright"][1]) and pt.values["spine-upright"][2] == 20.0
    assert pt.view == "front"


def test_timeline_takes_few_pictures_and_each_frame_once():
    fail_both = ("spine-upright", "palms-together")
    frames = [frame(i) for i in range(10)] + [frame(i, fail=fail_both) for i in range(10, 30)]
    pt, grabbed = record(frames)
    assert grabbed == [pytest.approx(1.3)]  # both faults confirmed on one frame
    assert [e.shot.image for e in pt.episodes["palms-together"]] == [b"picture at 1.3"]


def test_other_poses_frames_count_as_not_in_this_pose():
    frames = [frame(i, pose=PIGEON, fail=("back-leg-long",)) for i in range(10)]
    pt, grabbed = record(frames, poses=(MALASANA, PIGEON))
    assert {s.state for s in pt.presence} == {OUT}
    assert grabbed and not any(pt.episodes.values())


def test_key_frames_in_time_order_within_the_limit_and_merged():
    spine, palms, feet = ("spine-upright",), ("palms-together",), ("feet-wide",)
    hold = [frame(i, timer=snap(HOLDING, 1 + i / FPS)) for i in range(0, 20)]
    frames = hold + [frame(20 + i, fail=spine) for i in range(10)] \
        + [frame(30 + i, fail=spine + palms) for i in range(10)] \
        + [frame(40 + i, fail=feet) for i in range(5)]
    pt, _ = record(frames)
    chosen = key_frames(pt)
    assert [(f.kind, f.checks) for f in chosen] == [
        ("hold", ()), ("fault", spine), ("fault", palms), ("fault", feet)]
    assert [f.t for f in chosen] == sorted(f.t for f in chosen)
    assert [f.checks for f in key_frames(pt, limit=2)] == [(), spine]  # the longest fault


# --- what the plots show ---------------------------------------------------------------------

def check(pose, check_id):
    return next(c for c in pose.checks if c.id == check_id)


@pytest.mark.parametrize("pose, check_id, state, plotted", [
    (MALASANA, "spine-upright", ck.FAIL, True),  # one feature: every value
    (MALASANA, "deep-squat", ck.PASS, True),  # all pass: the first condition's value
    (MALASANA, "deep-squat", ck.FAIL, False),  # failing: maybe another feature's
    (PIGEON, "torso-supported", ck.FAIL, True),  # two bands of one feature
])
def test_plotted_value_only_when_it_is_the_first_features(pose, check_id, state, plotted):
    value = plotted_value(check(pose, check_id), ck.CheckResult(check_id, state, 0.3))
    assert (value == 0.3) if plotted else math.isnan(value)


def test_value_bands():
    assert value_bands(check(PIGEON, "torso-supported")) == (
        "torso_from_vertical", [(None, 45.0), (65.0, None)])
    assert value_bands(check(MALASANA, "deep-squat")) == ("hip_above_knee", [(None, 0.15)])


# --- the page ----------------------------------------------------------------------------------

def test_page_of_an_interrupted_run_names_the_fault_and_when():
    frames = [frame(i) for i in range(10)] + [frame(i, fail=("spine-upright",), unknown=(
        "heels-down",)) for i in range(10, 40)]
    builder = ReportBuilder([MALASANA], "clip.mp4", False, FPS)
    for r in frames:
        builder.add(r)
    builder.status = "interrupted"
    pt, _ = record(frames)
    page = render_page(builder.summary(), MALASANA, pt)
    assert f"{SPINE_CUE}</b> &mdash; 3.0 s, from 0:01 to 0:04" in page
    assert "Can&#x27;t see your left ankle" in page
    assert "stopped before the end" in page
    assert page.count("data:image/png;base64,") == 3  # the timeline, the plots and the goal


@pytest.mark.parametrize("unseen, failing, headline", [
    (30, 5, "Most of the time, posecheck could not judge your form."),
    (5, 30, "Your form needs work."),
])
def test_the_headline_blames_the_form_only_when_a_fault_kept_it_from_correct(unseen, failing,
                                                                              headline):
    """A core check the camera could not see (a folded Pigeon's front knee) is not a fault:
    when it, more than any fault, kept the form from correct, the headline says so."""
    frames = [replace(frame(i, unknown=("spine-upright",)), correct=False) for i in range(unseen)]
    frames += [frame(i, fail=("spine-upright",)) for i in range(unseen, unseen + failing)]
    builder = ReportBuilder([MALASANA], "clip.mp4", False, FPS)
    for r in frames:
        builder.add(r)
    builder.status = "done"
    page = render_page(builder.summary(), MALASANA, record(frames)[0])
    assert f'<p class="big">{headline}</p>' in page
    said = "<p>Chest lifted, spine long: Can&#x27;t see your left ankle.</p>" in page
    assert said == (unseen > failing)


def self_contained(page: str) -> bool:
    return not re.search(r"https?://|<script|<link", page)


@pytest.fixture(scope="module")
def folded_page(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("html")
    result = CliRunner(env={"XDG_DATA_HOME": str(folder)}).invoke(
        main, ["analyze", str(FOLDED), "--pose", "malasana", "--html", str(folder / "r.html"),
               "--no-progress"])
    assert result.exit_code == 0, result.output
    return (folder / "r.html").read_text(encoding="utf-8")


def test_page_for_a_clip_is_self_contained_with_cues_plots_and_frames(folded_page):
    assert self_contained(folded_page)
    assert f"<b>{SPINE_CUE}</b> &mdash;" in folded_page
    assert folded_page.count("data:image/png;base64,") == 3  # the timeline, plots, goal
    assert 2 <= folded_page.count("data:image/jpeg;base64,") <= 6
    assert len(folded_page) < 1_000_000


GOAL = re.compile(r'<figure class="goal"><img src="data:image/png;base64,[A-Za-z0-9+/=]{2000,}" '
                  r'alt="The correct form: [^"]+"><figcaption>(.*?)</figcaption></figure>')


def test_the_page_shows_the_goal_from_the_view_the_clip_was_filmed_from(folded_page):
    assert GOAL.findall(folded_page) == ["The goal: Malasana, seen from the front"]


def test_the_goal_is_the_side_held_seen_from_the_clips_view():
    frames = [replace(frame(i, pose=PIGEON), side="right", view="side") for i in range(20)]
    builder = ReportBuilder([PIGEON], "clip.mp4", False, FPS)
    for r in frames:
        builder.add(r)
    builder.status = "done"
    page = render_page(builder.summary(), PIGEON, record(frames, poses=(PIGEON,))[0])
    assert GOAL.findall(page) == ["The goal: Pigeon, right leg forward, seen from your side"]


def blank_video(path: Path) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 25.0, (160, 120))
    for _ in range(5):
        writer.write(np.zeros((120, 160, 3), np.uint8))
    writer.release()
    return path


def test_no_goal_for_an_unrecognised_clip(tmp_path):
    page_path = tmp_path / "r.html"
    result = CliRunner(env={"XDG_DATA_HOME": str(tmp_path)}).invoke(
        main, ["analyze", str(blank_video(tmp_path / "blank.mp4")), "--html", str(page_path),
               "--no-progress"])
    assert result.exit_code == 0, result.output
    page = page_path.read_text(encoding="utf-8")
    assert "No pose recognised" in page and 'class="goal"' not in page


def test_no_goal_for_a_pose_file_that_is_not_a_built_in_one(tmp_path):
    custom = replace(MALASANA, path=str(tmp_path / "malasana.toml"))
    frames = [frame(i, pose=custom) for i in range(10)]
    builder = ReportBuilder([custom], "clip.mp4", False, FPS)
    for r in frames:
        builder.add(r)
    builder.status = "done"
    assert 'class="goal"' not in render_page(builder.summary(), custom, record(frames, (custom,))[0])


def test_page_for_a_photo_shows_the_picture_and_no_plots(tmp_path):
    capture = cv2.VideoCapture(str(FOLDED))
    capture.set(cv2.CAP_PROP_POS_FRAMES, 50)
    photo = tmp_path / "squat.png"
    cv2.imwrite(str(photo), capture.read()[1])
    page_path = tmp_path / "r.html"
    result = CliRunner(env={"XDG_DATA_HOME": str(tmp_path)}).invoke(
        main, ["analyze", str(photo), "--pose", "malasana", "--html", str(page_path)])
    assert result.exit_code == 0, result.output
    page = page_path.read_text(encoding="utf-8")
    assert self_contained(page)
    assert "Malasana" in page and "Check by check" in page and "The photo" in page
    assert page.count("data:image/jpeg;base64,") == 1
    assert page.count("data:image/png;base64,") == 1  # the goal's figure: no plots


def test_an_interrupted_analysis_still_writes_its_page(tmp_path):
    page_path = tmp_path / "r.html"

    def interrupt_after_30(result):
        if result.t >= 2.9:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        analyze(str(FOLDED), [MALASANA], Outputs(html=str(page_path)),
                on_frame=interrupt_after_30)
    page = page_path.read_text(encoding="utf-8")
    assert "stopped before the end" in page and "covers the first 3.0 s" in page
    assert not list(tmp_path.glob(".*.tmp"))


def test_unwritable_html_path_is_a_one_line_error(tmp_path):
    video = blank_video(tmp_path / "blank.mp4")
    result = CliRunner().invoke(main, ["analyze", str(video), "--html",
                                       str(tmp_path / "no" / "dir" / "r.html")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: cannot write")
    assert "r.html" in lines[0]


def test_a_folded_pigeon_photo_is_not_judged_rather_than_needing_work():
    from bodies import body

    from posecheck.core.judge import Judge

    builder = ReportBuilder([PIGEON], "fold.png", True, FPS)
    builder.add(Judge([PIGEON], side="right", settle_s=0.0).update(
        body("pigeon_right_folded_hidden"), 0.0))
    builder.status = "done"
    page = render_page(builder.summary(), PIGEON, None)
    assert '<p class="big">posecheck could not judge your form in this photo.</p>' in page
    assert ("<p>Front knee bent, shin across: Your front leg is hidden while you fold: it "
            "can&#x27;t be checked.</p>") in page


def test_the_page_names_checks_in_plain_words_not_ids():
    """'Feet wide: Can't judge feet-wide from here' read as jargon: the page names a check
    by its title and says where the camera would judge it, once."""
    frames = [frame(i) for i in range(40)]
    frames = [replace(f, results={**f.results, "feet-wide": ck.CheckResult(
        "feet-wide", ck.UNKNOWN, None, (), wrong_view=True)}) for f in frames]
    builder = ReportBuilder([MALASANA], "clip.mp4", False, FPS)
    for r in frames:
        builder.add(r)
    builder.status = "done"
    page = render_page(builder.summary(), MALASANA, record(frames)[0])
    assert ("<li>To check feet a little wider than your shoulders, place the camera facing "
            "you or behind you (4.0 s)</li>") in page
    assert "feet-wide" not in page and "Feet wide" not in page
