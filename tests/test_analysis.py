"""analyze() as a library: an interrupted run keeps what was done."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from posecheck.app.analyze import Outputs, analyze
from posecheck.core.poses import load_pose

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_ctrl_c_keeps_report_and_frames_done_so_far(tmp_path, realdata):
    clip = realdata / "malasana" / "flawed" / "mi-rutina-saludable__deep-squat.mov"
    outputs = Outputs(video=str(tmp_path / "a.mp4"), report=str(tmp_path / "r.json"),
                      frames=str(tmp_path / "f.csv"))
    seen = []

    def interrupt_after_20(result):
        seen.append(result)
        if len(seen) == 20:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        analyze(str(clip), [load_pose("malasana")], outputs, on_frame=interrupt_after_20)
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["status"] == "interrupted"
    assert report["frames"] == 20
    assert len(list(csv.DictReader((tmp_path / "f.csv").open()))) == 20
    import cv2

    assert int(cv2.VideoCapture(outputs.video).get(cv2.CAP_PROP_FRAME_COUNT)) == 20


def test_ctrl_c_between_two_outputs_still_gives_both_the_frame(tmp_path, realdata, monkeypatch):
    """A real SIGINT that lands just after the CSV took a frame, before the report did: the
    frame reaches every output before the run stops (CI once saw 2 CSV rows, 1 counted)."""
    import os
    import signal

    from posecheck.report import builder as report

    clip = realdata / "malasana" / "flawed" / "mi-rutina-saludable__deep-squat.mov"
    outputs = Outputs(report=str(tmp_path / "r.json"), frames=str(tmp_path / "f.csv"))
    write = report.FrameCsv.write
    rows = []

    def write_then_ctrl_c(self, result):
        write(self, result)
        rows.append(result)
        if len(rows) == 5:
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(report.FrameCsv, "write", write_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        analyze(str(clip), [load_pose("malasana")], outputs)
    summary = json.loads((tmp_path / "r.json").read_text())
    assert summary["status"] == "interrupted"
    assert summary["frames"] == 5
    assert len(list(csv.DictReader((tmp_path / "f.csv").open()))) == 5


def test_a_held_ctrl_c_arrives_once_the_block_is_done():
    import os
    import signal

    from posecheck.io.interrupts import held_interrupt

    done = []
    with pytest.raises(KeyboardInterrupt):
        with held_interrupt():
            os.kill(os.getpid(), signal.SIGINT)
            done.append("rest of the frame")
    assert done == ["rest of the frame"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with held_interrupt():  # nothing pressed: nothing raised
        done.append("next frame")
    assert done[-1] == "next frame"


@pytest.mark.parametrize("error", [KeyboardInterrupt, RuntimeError])
def test_an_interrupted_run_stops_its_threads_before_the_file_and_model_close(error):
    """Closing a capture while another thread reads from it crashes OpenCV (a segfault, seen
    once in the test above): when analyze() raises, the decoding and detection threads are
    gone, whatever still refers to them."""
    import threading

    def stop_at_5(result, seen=[]):
        seen.append(result)
        if len(seen) == 5:
            raise error

    with pytest.raises(error):
        analyze(str(SAMPLES / "malasana-side-correct.mp4"), [load_pose("malasana")], Outputs(),
                on_frame=stop_at_5)
    workers = [t.name for t in threading.enumerate()
               if t.name in ("posecheck-decode", "posecheck-detect")]
    assert workers == []


def _clip_30fps(sample, out, repeat=3):
    """The sample clip (10 fps) at 30 fps: each frame three times."""
    import cv2

    capture = cv2.VideoCapture(str(sample))
    fps = capture.get(cv2.CAP_PROP_FPS)
    writer = None
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        if writer is None:
            size = (frame.shape[1], frame.shape[0])
            writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps * repeat, size)
        for _ in range(repeat):
            writer.write(frame)
    writer.release()
    capture.release()
    return out


def test_fast_judges_a_third_of_a_30fps_clip_and_credits_the_same_hold(tmp_path):
    """--fast on a 30 fps clip judges every 3rd frame (10 a second), still writes every
    frame of the annotated video, and credits the hold within 0.2 s of judging them all.
    The summary counts the clip's frames and says how many were judged."""
    from pathlib import Path

    import cv2

    from posecheck.report.builder import format_summary

    sample = Path(__file__).resolve().parents[1] / "samples" / "malasana-front-correct.mp4"
    clip = _clip_30fps(sample, tmp_path / "clip30.mp4")
    frames = int(cv2.VideoCapture(str(clip)).get(cv2.CAP_PROP_FRAME_COUNT))
    pose = [load_pose("malasana")]
    full = analyze(str(clip), pose, Outputs()).summary
    out = str(tmp_path / "fast.mp4")
    report = tmp_path / "fast.json"
    fast = analyze(str(clip), pose, Outputs(video=out, report=str(report)), fast=True).summary
    judged = -(-frames // 3)
    assert (fast.frames, fast.judged_frames) == (frames, judged)
    assert (full.frames, full.judged_frames) == (frames, frames)
    saved = json.loads(report.read_text())
    assert (saved["frames"], saved["judged_frames"]) == (frames, judged)
    assert f"({frames} frames, {judged} of them judged)" in format_summary(fast)
    assert f"({frames} frames)" in format_summary(full)
    assert int(cv2.VideoCapture(out).get(cv2.CAP_PROP_FRAME_COUNT)) == frames
    assert full.correct_s > 5
    assert abs(fast.correct_s - full.correct_s) <= 0.2


def test_a_folded_pigeon_video_says_why_its_front_knee_was_not_judged(tmp_path):
    """The rendered folded Pigeon (real model): through the fold the report gives the
    phase's words for front-knee-bent, not "Can't see your left ankle"."""
    clip = SAMPLES / "pigeon-left-side-folded.mp4"
    outputs = Outputs(report=str(tmp_path / "r.json"))
    analyze(str(clip), [load_pose("pigeon")], outputs)
    check = json.loads((tmp_path / "r.json").read_text())["checks"]["front-knee-bent"]
    reasons = check["unknown_because"]
    assert next(iter(reasons)) == "Your front leg is hidden while you fold: it can't be checked"
    assert reasons[next(iter(reasons))] >= 5.0  # seconds of the fold
