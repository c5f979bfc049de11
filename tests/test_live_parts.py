"""The parts of live practice on their own: the plan of steps, the newest-frame grabber,
the beeps and the live picture."""

from __future__ import annotations

import time
import wave
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest
from bodies import body

from posecheck.app.live import Options, Session, live_plan
from posecheck.core import checks as ck
from posecheck.core.judge import FrameResult, Judge
from posecheck.core.plan import DONE, GET_READY, HOLD, Plan, Step
from posecheck.core.poses import load_all, load_pose
from posecheck.core.timer import TimerSnapshot
from posecheck.io import sound
from posecheck.io.capture import Grabber
from posecheck.report.builder import ReportBuilder
from posecheck.report.practice import format_summary
from posecheck.report.overlay import CUE_STYLE
from posecheck.report.screen import DISPLAY_HEIGHT, Extras, compose, mirror_x
from posecheck.report.summary import PracticeSummary


def snap(current: float, total: float | None = None) -> TimerSnapshot:
    return TimerSnapshot("holding", total if total is not None else current, current, current)


# --- the plan ------------------------------------------------------------------------------------

def test_a_step_counts_down_then_holds_then_moves_on():
    plan = Plan([(Step("happy-baby"), 10.0), (Step("pigeon", "right"), 10.0)], countdown_s=3.0)
    assert plan.phase == GET_READY and plan.countdown_left(0.0) == 3.0
    assert not plan.update(1.0, None) and plan.countdown_left(2.0) == pytest.approx(1.0)
    plan.update(3.0, None)
    assert plan.phase == HOLD and plan.results[0].started_t == 3.0
    assert not plan.update(8.0, snap(5.0))
    assert plan.update(13.0, snap(10.0))  # completed: an unbroken hold of the target
    assert plan.index == 1 and plan.phase == GET_READY
    assert plan.results[0].outcome == "completed" and plan.results[0].held_s == 10.0


def test_the_hold_must_be_unbroken():
    plan = Plan([(Step("malasana"), 10.0)], countdown_s=0.0)
    plan.update(0.0, None)
    assert not plan.update(20.0, snap(current=4.0, total=12.0))
    assert plan.results[0].held_s == 12.0 and plan.phase == HOLD


def test_skip_and_stop():
    plan = Plan([(Step("a"), 5.0), (Step("b"), 5.0), (Step("c"), 5.0)], countdown_s=0.0)
    plan.skip(1.0)
    plan.update(1.0, None)
    plan.stop(2.0)
    assert [r.outcome for r in plan.results] == ["skipped", "stopped", "not reached"]
    assert plan.phase == DONE and plan.finished and plan.current is None


def test_an_empty_plan_is_refused():
    with pytest.raises(ValueError):
        Plan([], 5.0)


# --- the summary of an auto session --------------------------------------------------------------

def auto_session(step: Step = Step("auto"), countdown_s: float = 0.0) -> Session:
    """A live session of any pose (no camera, no window: its summary code is fed by hand),
    holding from the start."""
    poses = load_all()
    s = Session(SimpleNamespace(dropped=0), None, live_plan(step, countdown_s),
                lambda step: Judge(poses), None, Options(countdown_s=0.0, advance=False))
    s.plan.update(0.0, None)  # no countdown: holding (else: getting ready)
    return s


def feed(s: Session, seen: list[tuple[str | None, str | None, int]]) -> None:
    """Frames at 10 fps: `n` of each (pose, side) in turn (pose None: not in any pose)."""
    t = 0.0
    for name, side, n in seen:
        for _ in range(n):
            pose = load_pose(name) if name else None
            passing = {c.id: ck.CheckResult(c.id, ck.PASS, None) for c in pose.checks} if pose else {}
            result = FrameResult(t, True, pose, name is not None, side, "side", None, passing)
            s.record.add(result, t)
            t = round(t + 0.1, 6)


def test_an_auto_session_is_named_by_the_pose_and_side_held_longest():
    s = auto_session()
    # the first frame counts nothing (no time before it): 1.2 s of Pigeon right, 0.8 s of
    # Pigeon left, 1.5 s of Malasana, then out of any pose
    feed(s, [("pigeon", "right", 13), ("pigeon", "left", 8), ("malasana", None, 15),
             (None, None, 10)])
    [step] = s.summary().steps
    assert (step.pose, step.side) == ("pigeon", "right")  # 2.0 s of Pigeon, either side
    assert step.poses_seen_s == {"malasana": 1.5, "pigeon": 2.0}
    assert step.to_json()["pose"] == "pigeon" and list(step.to_json())[-2:] == [
        "poses_seen_s", "score"]
    assert format_summary(s.summary()).splitlines()[1].startswith("  Pigeon (right)     ")


def test_an_auto_session_that_saw_no_pose_names_none():
    s = auto_session()
    feed(s, [(None, None, 20)])
    [step] = s.summary().steps
    assert (step.pose, step.side, step.poses_seen_s, step.score) == (None, None, {}, None)
    assert format_summary(s.summary()).splitlines()[1] == (
        "  No pose recognised: nothing was held, and there was no hold target")


def test_a_session_of_one_pose_keeps_its_name_and_counts_the_poses_seen():
    s = auto_session(Step("malasana"))
    feed(s, [("malasana", None, 11), ("pigeon", "left", 30)])
    [step] = s.summary().steps
    assert (step.pose, step.side) == ("malasana", None)
    assert step.poses_seen_s == {"malasana": 1.0, "pigeon": 3.0}


def test_poses_are_counted_only_while_holding():
    s = auto_session(countdown_s=5.0)  # still getting ready
    feed(s, [("pigeon", "right", 20)])
    assert s.summary().steps[0].pose is None


def test_a_step_has_the_form_score_analyze_would_give_the_same_frames():
    """Frames at 10 fps of Malasana at varying quality (share of fault checks passing),
    with a gap out of the pose: the live step and analyze's report score them alike, the
    time-weighted quality over the time in the pose (1.0 + 0.3 + 0.8 of 2.5 s: 84)."""
    malasana = load_pose("malasana")
    passing = {c.id: ck.CheckResult(c.id, ck.PASS, None) for c in malasana.checks}
    s = auto_session(Step("malasana"))
    builder = ReportBuilder([malasana], "clip.mp4", False, 10.0)
    t = 0.0
    for quality, n in ((None, 1), (1.0, 10), (0.6, 5), (None, 5), (0.8, 10)):
        for _ in range(n):
            result = FrameResult(t, True, malasana, quality is not None, None, "side", None,
                                 passing, quality=quality or 0.0)
            s.record.add(result, t)
            builder.add(result)
            t = round(t + 0.1, 6)
    assert s.summary().steps[0].score == builder.summary().score == 84


def test_an_auto_step_is_scored_on_the_pose_it_is_named_by():
    s = auto_session()
    feed(s, [("pigeon", "right", 21), ("malasana", None, 10)])  # passing checks, quality 0
    [step] = s.summary().steps
    assert (step.pose, step.score, step.target_s) == ("pigeon", 0, 30)


@pytest.mark.parametrize("mode, line", [
    ("live", "  (the 5 s get-ready countdown before the hold is not counted)"),
    ("routine", "  (the 5 s get-ready countdown before each step is not counted)")])
def test_the_summary_says_the_countdown_is_not_counted(mode, line):
    summary = PracticeSummary(mode, "camera 0", "done", "2024-05-02T07:00:00+00:00", 10, 0,
                              None, [], {}, countdown_s=5.0)
    assert format_summary(summary).splitlines()[-1] == line
    assert line not in format_summary(replace(summary, countdown_s=0.0))


# --- the grabber ---------------------------------------------------------------------------------

class Fast:
    """A source of numbered frames delivered every 2 ms."""

    def __init__(self, n: int):
        self.n, self.i = n, 0

    def read(self):
        if self.i >= self.n:
            raise EOFError
        self.i += 1
        time.sleep(0.002)
        return np.full((2, 2, 3), self.i % 256, np.uint8), None

    def close(self):
        pass


def test_a_slow_consumer_gets_the_newest_frame_and_the_rest_are_dropped():
    grabber = Grabber(Fast(200)).start()
    seen = []
    while (frame := grabber.next_frame(timeout=1.0)) is not None:
        seen.append(frame.seq)
        time.sleep(0.02)  # ten times slower than the source
    grabber.stop()
    assert seen == sorted(seen) and len(seen) < 60
    assert grabber.dropped == 200 - len(seen)
    assert grabber.finished


def test_keep_all_hands_over_every_frame():
    grabber = Grabber(Fast(50), keep_all=True).start()
    seen = []
    while (frame := grabber.next_frame(timeout=1.0)) is not None:
        seen.append(frame.seq)
        time.sleep(0.005)
    grabber.stop()
    assert seen == list(range(1, 51)) and grabber.dropped == 0


def test_a_failing_reader_ends_the_capture_without_hanging():
    class Broken(Fast):
        def read(self):
            raise OSError("unplugged")
    grabber = Grabber(Broken(1)).start()
    assert grabber.next_frame(timeout=2.0) is None
    grabber.stop()
    assert grabber.finished and isinstance(grabber.error, OSError)


# --- sound ---------------------------------------------------------------------------------------

def test_the_beep_is_a_real_wav(tmp_path):
    path = tmp_path / "done.wav"
    sound.tone_wav(path, sound.TONES["done"])
    with wave.open(str(path)) as w:
        assert w.getframerate() == sound.RATE and w.getnchannels() == 1
        assert w.getnframes() / w.getframerate() == pytest.approx(0.37, abs=0.01)


def test_without_a_player_beeps_are_silently_skipped(monkeypatch):
    monkeypatch.setattr(sound.shutil, "which", lambda name: None)
    beeper = sound.Beeper()
    assert not beeper.available
    beeper.beep("start")  # nothing happens, nothing raised
    beeper.close()


# --- the live picture ----------------------------------------------------------------------------

@pytest.fixture
def judged():
    judge = Judge([load_pose("malasana")])
    lm = body("malasana_front")
    result = None
    for i in range(30):
        result = judge.update(lm, i / 30)
    return lm, result


def frame_for(lm) -> np.ndarray:
    return np.full((lm.height, lm.width, 3), 90, np.uint8)


def test_the_picture_is_enlarged_and_mirrored(judged):
    lm, result = judged
    picture = compose(frame_for(lm), lm, result, Extras(fps=29.6))
    assert picture.shape[0] == DISPLAY_HEIGHT
    assert mirror_x(lm).xyz[0, 0] == pytest.approx(lm.width - lm.xyz[0, 0])
    plain = compose(frame_for(lm), lm, result, Extras(fps=29.6), mirror=False)
    assert not np.array_equal(picture, plain)


def test_the_countdown_takes_the_good_form_cue_and_hides_the_timer(judged):
    """During the get-ready countdown good form is not "hold it and breathe" (the hold has
    not begun): the cue reads "Get ready", in the cue's place, not over the body."""
    lm, _ = judged
    judge = Judge([load_pose("malasana")])
    result = [judge.update(lm, i / 30) for i in range(60)][-1]
    assert result.cue.kind == "good"
    counting = compose(frame_for(lm), lm, result, Extras(countdown_s=3.2))
    holding = compose(frame_for(lm), lm, result, Extras())
    grey = CUE_STYLE["setup"][0]
    band = counting[5:40].reshape(-1, 3).astype(int)
    assert (np.abs(band - np.array(grey) * 0.9 - 90 * 0.1).sum(axis=1) < 30).mean() > 0.3
    greenish = lambda img: ((img[..., 1].astype(int) - img[..., 2]) > 60).sum()
    assert greenish(counting) < greenish(holding)  # no green band, no running timer bar
