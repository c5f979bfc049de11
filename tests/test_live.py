"""`posecheck live` and `posecheck routine` as a person meets them, driven by bundled clips
played as a camera (--source, --no-window): the hold credited, the cues shown, the routine
moving on, the keys, and every way a session can end keeping its summary."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest
from clirun import invoke, one_line_error

from posecheck.app.live import Options, Session, live_plan, routine_plan
from posecheck.core.judge import Judge
from posecheck.core.plan import ROUTINE, Step
from posecheck.core.poses import load_pose
from posecheck.io import capture
from posecheck.io.capture import Grabber
from posecheck.io.detector import Detector
from posecheck.io.voice import Voice
from posecheck.report.summary import PracticeSummary

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SPINE = "Lift your chest and lengthen your spine"


def live(tmp_path, clip: str, *extra) -> tuple[object, dict]:
    report = tmp_path / "summary.json"
    result = invoke("live", "--pose", "malasana", "--source", SAMPLES / clip, "--no-window",
                    "--every-frame", "--countdown", 1, "--no-sound", "--report", report, *extra)
    return result, json.loads(report.read_text()) if report.exists() else {}


def test_live_on_a_correct_clip_credits_the_hold_and_records(tmp_path):
    out = tmp_path / "out.mp4"
    result, summary = live(tmp_path, "malasana-side-correct.mp4", "--record", out)
    assert result.exit_code == 0, result.output
    assert "Live session: done" in result.output and "Summary saved" in result.output
    assert "  (the 1 s get-ready countdown before the hold is not counted)" in (
        result.output.splitlines())
    step = summary["steps"][0]
    assert summary["status"] == "done" and step["pose"] == "malasana"
    assert summary["countdown_s"] == 1 and 90 <= step["score"] <= 100
    # the clip holds correct form for about 7.8 s, from 1.95 s (countdown: 1 s)
    assert 7.0 <= step["held_s"] <= 8.8
    assert SPINE not in summary["cues_s"]
    assert step["faults_s"] == {}  # standing up at the end is no fault (analyze agrees)
    video = cv2.VideoCapture(str(out))
    frames = int(video.get(cv2.CAP_PROP_FRAME_COUNT))
    ok, picture = video.read()
    assert ok and picture.shape[0] == 720  # drawn large enough to read across a room
    assert frames == pytest.approx(11.8 * 15, abs=3)  # 15 fps in real time


def test_live_on_a_folded_spine_shows_the_cue_and_stops_the_credit(tmp_path):
    result, summary = live(tmp_path, "malasana-side-spine-folded.mp4")
    assert result.exit_code == 0, result.output
    step = summary["steps"][0]
    assert summary["cues_s"].get(SPINE, 0) >= 2.0  # the fault lasts 3 s
    assert step["faults_s"]["spine-upright"] >= 2.0
    assert step["held_s"] <= 5.8  # 4.8 s of correct form around the fault
    assert "Chest lifted, spine long" in result.output  # its title, not the id


def test_live_in_real_time_keeps_up_with_a_10_fps_clip(tmp_path):
    report = tmp_path / "r.json"
    result = invoke("live", "--pose", "malasana", "--source", SAMPLES / "malasana-front-correct.mp4",
                    "--no-window", "--countdown", 0, "--no-sound", "--report", report)
    assert result.exit_code == 0, result.output
    summary = json.loads(report.read_text())
    assert summary["dropped_frames"] <= 3 and summary["frames"] >= 115
    assert summary["steps"][0]["held_s"] >= 7.0


@pytest.fixture(scope="module")
def routine_video(tmp_path_factory) -> Path:
    """The six steps' correct clips one after another, as one video."""
    path = tmp_path_factory.mktemp("routine") / "routine.mp4"
    clips = ["happy-baby-side-correct", "pigeon-right-side-correct", "pigeon-left-side-correct",
             "figure-four-right-side-correct", "figure-four-left-side-correct",
             "malasana-side-correct"]
    writer = None
    for name in clips:
        video = cv2.VideoCapture(str(SAMPLES / f"{name}.mp4"))
        while True:
            ok, frame = video.read()
            if not ok:
                break
            if writer is None:
                writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 10.0,
                                         (frame.shape[1], frame.shape[0]))
            writer.write(frame)
    writer.release()
    return path


def test_routine_moves_through_every_step_as_holds_complete(tmp_path, routine_video):
    report = tmp_path / "routine.json"
    result = invoke("routine", "--source", routine_video, "--no-window", "--every-frame",
                    "--countdown", 1, "--hold", 3, "--no-sound", "--report", report)
    assert result.exit_code == 0, result.output
    summary = json.loads(report.read_text())
    assert summary["status"] == "done"
    assert [(s["pose"], s["side"]) for s in summary["steps"]] == \
        [(s.pose, s.side) for s in ROUTINE]
    assert all(s["outcome"] == "completed" and s["held_s"] >= 3.0 for s in summary["steps"])
    times = [t for s in summary["steps"] for t in (s["started_s"], s["ended_s"])]
    assert times == sorted(times)  # one after another, each hold after its countdown
    assert "Routine session: done" in result.output
    assert "Figure Four (left)" in result.output
    assert all(0 <= s["score"] <= 100 for s in summary["steps"])
    assert result.output.splitlines()[-2] == (
        "  (the 1 s get-ready countdown before each step is not counted)")


def test_routine_that_ends_early_keeps_what_was_done(tmp_path):
    report = tmp_path / "routine.json"
    result = invoke("routine", "--source", SAMPLES / "happy-baby-side-correct.mp4",
                    "--no-window", "--every-frame", "--countdown", 1, "--hold", 3,
                    "--no-sound", "--report", report)
    assert result.exit_code == 0, result.output
    steps = json.loads(report.read_text())["steps"]
    assert steps[0]["outcome"] == "completed"
    assert steps[1]["outcome"] == "stopped"  # Pigeon right was under way when the clip ended
    assert all(s["outcome"] == "not reached" for s in steps[2:])
    assert steps[0]["score"] is not None  # never held, nothing to score:
    assert [s["score"] for s in steps[2:]] == [None] * 4  # shown as "-" in the history


# --- keys, and every way a session ends --------------------------------------------------------

class Keys:
    """A window that presses scripted keys at given frames and keeps the pictures it showed
    at the frames asked for."""

    def __init__(self, presses: dict[int, str], keep: tuple[int, ...] = ()):
        self.presses, self.keep, self.shown, self.kept = presses, keep, 0, {}

    def show(self, picture):
        self.shown += 1
        if self.shown in self.keep:
            self.kept[self.shown] = picture
        return self.presses.get(self.shown)

    def close(self):
        pass


def session(clip: str, presses: dict[int, str], steps=None, tmp_path=None, hold_s=None,
            keys: Keys | None = None, voice=None):
    reader = capture.FileReader(SAMPLES / clip, realtime=False)
    grabber = Grabber(reader, keep_all=True).start()
    detector = Detector()
    if steps is None:
        pose = load_pose("malasana")
        plan = live_plan(Step("malasana"), 0.0)
        judges, advance = (lambda step: Judge([pose])), False
    else:
        poses = {s.pose: replace(load_pose(s.pose), hold_s=hold_s) for s in steps}
        plan = routine_plan(steps, poses, 0.0)
        judges, advance = (lambda step: Judge([poses[step.pose]], side=step.side)), True
    report = str(tmp_path / "s.json") if tmp_path else None
    s = Session(grabber, detector.detect, plan, judges, keys or Keys(presses),
                Options(countdown_s=0.0, advance=advance, report_path=report, hold_s=hold_s),
                voice=voice)
    try:
        return s, s.run()
    finally:
        grabber.stop()
        detector.close()


def test_q_stops_the_session_and_keeps_its_summary(tmp_path):
    s, summary = session("malasana-side-correct.mp4", {60: "quit"}, tmp_path=tmp_path)
    assert summary.status == "stopped" and summary.frames == 60
    assert json.loads((tmp_path / "s.json").read_text()) == summary.to_json()
    assert json.loads((tmp_path / "s.json").read_text())["status"] == "stopped"
    assert 3.0 <= summary.steps[0].correct_s <= 4.2  # 1.95 s to 5.9 s


def test_the_voice_says_the_cue_and_the_summary_lists_it(tmp_path):
    """On a clip whose spine folds mid-hold, the coach says the correction when the screen
    shows it, then "That's it" and the hold again when the back is straight: each sentence
    went to the player as a sound file, and the summary lists it with its time."""
    played = tmp_path / "played"
    played.mkdir()
    player = tmp_path / "player"
    player.write_text(f'#!/bin/sh\ncp "$1" "{played}/$(date +%s%N).wav"\n')
    player.chmod(0o755)

    def tone(text: str):  # a stand-in engine: half a second of tone per sentence
        return (3000 * np.sin(np.arange(11025) / 5.0)).astype(np.int16), 22050

    voice = Voice(engine=tone, player=str(player), device=True)
    s, summary = session("malasana-side-spine-folded.mp4", {}, tmp_path=tmp_path, voice=voice)
    texts = [x["text"] for x in summary.spoken]
    spine = texts.index("Lift your chest and lengthen your spine")
    assert texts[0].startswith("Get into Malasana")  # the setup cue, as on screen
    assert "Holding" in texts[:spine] and texts[spine + 1] in ("That's it", "Holding")
    times = [x["t"] for x in summary.spoken]
    assert all(b - a >= 3.0 - 1e-6 for a, b in zip(times, times[1:]))  # one every 3 s at most
    assert len(list(played.iterdir())) == len(texts)
    assert json.loads((tmp_path / "s.json").read_text())["spoken"] == summary.spoken


def test_live_without_a_sound_device_says_so_once_and_records_the_voice(tmp_path, monkeypatch):
    """No sound card: one line says so; with --record the words still go into the video and
    the summary; without it, nothing is said and the summary has no "spoken"."""
    monkeypatch.setattr("posecheck.io.voice.has_device", lambda: False)
    result, summary = live(tmp_path, "malasana-side-heels-lifted.mp4",
                           "--record", str(tmp_path / "r.mp4"))
    assert result.exit_code == 0, result.output
    assert result.output.count("Voice: no audio device found: the coaching goes into the "
                               "recording only") == 1
    assert "Press your heels down" in [x["text"] for x in summary["spoken"]]
    quiet, summary = live(tmp_path, "malasana-side-correct.mp4")
    assert quiet.output.count("the coaching stays silent") == 1 and "spoken" not in summary
    off, _ = live(tmp_path, "malasana-side-correct.mp4", "--no-voice")
    assert "Voice:" not in off.output


def test_a_voice_that_cannot_speak_says_why_once_and_stays_out_of_the_summary():
    mute = Voice(enabled=True, engine=lambda text: (np.zeros(10, np.int16), 22050),
                 player="true", device=False)
    assert not mute.enabled and mute.status == \
        "Voice: no audio device found: the coaching stays silent"
    assert Voice(enabled=False).status == ""
    s, summary = session("malasana-side-correct.mp4", {40: "quit"}, voice=mute)
    assert summary.spoken is None and "spoken" not in summary.to_json()


def test_space_pauses_the_judging(tmp_path):
    keys = Keys({30: "pause", 80: "pause"}, keep=(30, 31, 32))
    s, summary = session("malasana-side-correct.mp4", {}, keys=keys)
    # frames 31-80 were shown paused: 50 of the 118 frames were never judged
    assert summary.frames == 118 - 50
    assert summary.steps[0].correct_s <= 8.6 - 4.5
    last, paused = keys.kept[30], keys.kept[31]
    assert np.array_equal(paused, keys.kept[32])  # a still picture while paused
    h, w = last.shape[:2]
    middle = (slice(h // 3, 2 * h // 3), slice(w // 6, 5 * w // 6))
    assert np.abs(paused[middle].astype(int) - last[middle]).mean() > 10  # the "Paused" box


def test_r_resets_the_hold(tmp_path):
    s, summary = session("malasana-side-correct.mp4", {80: "reset"})
    # the hold starts again from frame 80 (8.0 s): about 2 s more to the end of the pose
    assert summary.steps[0].correct_s <= 3.0


def test_n_skips_a_routine_step(tmp_path):
    steps = [Step("happy-baby"), Step("malasana")]
    s, summary = session("malasana-side-correct.mp4", {5: "next"}, steps=steps, hold_s=3)
    assert [r.outcome for r in summary.steps] == ["skipped", "completed"]


def test_the_voice_announces_the_routines_next_step(tmp_path):
    voice = Voice(engine=lambda text: (np.zeros(100, np.int16), 22050), player="true",
                  device=True)
    steps = [Step("happy-baby"), Step("malasana")]
    s, summary = session("malasana-side-correct.mp4", {5: "next"}, steps=steps, hold_s=3,
                         voice=voice)
    assert [x["text"] for x in summary.spoken][:1] == ["Next: Happy Baby"]
    assert "Next: Malasana" in [x["text"] for x in summary.spoken]


def test_the_voice_says_switch_sides_between_two_sides_of_a_pose(tmp_path):
    voice = Voice(engine=lambda text: (np.zeros(100, np.int16), 22050), player="true",
                  device=True)
    steps = [Step("pigeon", "right"), Step("pigeon", "left")]
    s, summary = session("pigeon-right-side-correct.mp4", {5: "next"}, steps=steps, hold_s=3,
                         voice=voice)
    said = [x["text"] for x in summary.spoken]
    assert said[0] == "Next: Pigeon, right leg forward"
    assert "Switch sides: left leg forward" in said


def test_s_switches_the_side_of_an_asymmetric_pose():
    steps = [Step("pigeon", "right")]
    pose = load_pose("pigeon")
    reader = capture.FileReader(SAMPLES / "pigeon-right-side-correct.mp4", realtime=False)
    grabber = Grabber(reader, keep_all=True).start()
    with Detector() as detector:
        plan = live_plan(steps[0], 0.0)
        judge = Judge([pose], side="right")
        s = Session(grabber, detector.detect, plan, lambda step: judge, Keys({40: "side"}),
                    Options(countdown_s=0.0, advance=False))
        try:
            s.run()
        finally:
            grabber.stop()
    assert judge.sides.fixed == "left"


def malasana_session(grabber: Grabber, display, report: Path) -> PracticeSummary:
    """Live Malasana from `grabber` (started here) on `display`, summary written to `report`."""
    grabber.start()
    with Detector() as detector:
        s = Session(grabber, detector.detect, live_plan(Step("malasana"), 0.0),
                    lambda step: Judge([load_pose("malasana")]), display,
                    Options(countdown_s=0.0, advance=False, report_path=str(report)))
        try:
            return s.run()
        finally:
            grabber.stop()


def test_ctrl_c_keeps_the_summary(tmp_path):
    class Interrupt(Keys):
        def show(self, picture):
            self.shown += 1
            if self.shown == 50:
                raise KeyboardInterrupt
    reader = capture.FileReader(SAMPLES / "malasana-side-correct.mp4", realtime=False)
    summary = malasana_session(Grabber(reader, keep_all=True), Interrupt({}), tmp_path / "s.json")
    assert summary.status == "interrupted"
    saved = json.loads((tmp_path / "s.json").read_text())
    assert saved["status"] == "interrupted" and saved["frames"] == 50


class Dying:
    """A camera that gives `frames` pictures of a clip, then nothing."""

    def __init__(self, frames: int):
        self.left = frames
        self.reader = capture.FileReader(SAMPLES / "malasana-side-correct.mp4", realtime=False)

    def read(self):
        if self.left <= 0:
            return None
        self.left -= 1
        frame, _ = self.reader.read()
        return frame, None

    def close(self):
        self.reader.close()


def test_a_lost_camera_ends_the_session_with_a_message_and_keeps_the_summary(tmp_path,
                                                                             monkeypatch):
    monkeypatch.setattr(capture, "LOST_AFTER_S", 0.3)
    shown = Keys({})
    summary = malasana_session(Grabber(Dying(40)), shown, tmp_path / "s.json")
    assert summary.status == "camera lost"
    assert shown.shown > summary.frames  # the camera-lost picture was shown
    assert json.loads((tmp_path / "s.json").read_text())["status"] == "camera lost"


# --- bad input: one line, non-zero exit ----------------------------------------------------------

def test_no_camera_at_that_index(tmp_path):
    line = one_line_error(invoke("live", "--camera", 7, "--no-window", "--report",
                                 tmp_path / "r.json"))
    assert "no camera at index 7" in line and "--camera 8" in line and "--source" in line


def test_no_display_for_the_window(tmp_path, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    line = one_line_error(invoke("live", "--source", SAMPLES / "malasana-side-correct.mp4",
                                 "--report", tmp_path / "r.json"))
    assert "no display" in line and "--no-window" in line


@pytest.mark.parametrize("args, words", [
    (["--pose", "yoga"], "unknown pose"),
    (["--source", "missing.mp4"], "no such file"),
    (["--every-frame"], "--every-frame needs --source"),
    (["--record", "/nonexistent/out.mp4", "--source", "x.mp4"], "cannot write"),
])
def test_bad_options_are_one_line(tmp_path, args, words):
    line = one_line_error(invoke("live", "--no-window", "--report", tmp_path / "r.json", *args))
    assert words in line


def test_a_photo_is_not_a_source(tmp_path):
    photo = tmp_path / "p.png"
    cv2.imwrite(str(photo), np.zeros((40, 40, 3), np.uint8))
    line = one_line_error(invoke("live", "--source", photo, "--no-window"))
    assert "still image" in line and "posecheck analyze" in line


def test_a_recording_that_fails_is_said_after_the_summary(tmp_path, monkeypatch):
    """A full disk mid-session: the session goes on, its summary is printed and saved, and
    the failure is said in one line with exit code 1."""
    from posecheck.io import recorder

    class FullDisk(recorder.VideoWriter):
        def write(self, frame):
            raise OSError(28, "No space left on device")
    monkeypatch.setattr(recorder, "VideoWriter", FullDisk)
    result, summary = live(tmp_path, "malasana-side-correct.mp4", "--record", tmp_path / "o.mp4")
    assert result.exit_code == 1
    assert "Live session: done" in result.output
    assert result.output.strip().splitlines()[-1] == (
        "Error: the recording stopped: [Errno 28] No space left on device "
        "(the summary above is saved)")
    assert summary["steps"][0]["held_s"] >= 7.0
    assert summary["warnings"] == ["the recording stopped: [Errno 28] No space left on device"]
