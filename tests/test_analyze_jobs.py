"""analyze --jobs N: one video detected in segments by worker processes and judged in one
loop gives the report of --jobs 1 (within the detector's own variation), every frame once,
in order; Ctrl-C stops the workers and keeps the report."""

from __future__ import annotations

import csv
import json
import multiprocessing
from pathlib import Path

import cv2
import pytest

from clirun import invoke, one_line_error
from posecheck.app import analyze as analyze_module
from posecheck.app import split
from posecheck.app.analyze import Outputs, analyze
from posecheck.core.poses import load_pose
from posecheck.io.video import open_source

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
CLIP = SAMPLES / "pigeon-left-side-correct.mp4"  # 118 frames at 10 fps, an 8.6 s hold
#: Small segments, so the 118 frames make 5 of them: 4 joins in 12 s
SMALL = split.Splitting(jobs=2, per_job=3, min_frames=20, warmup=10)


@pytest.fixture
def splits(monkeypatch) -> list:
    """The split detections analyze() makes, to see that they ran (and never fell back)."""
    made = []

    class Recorded(split.SplitDetection):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(analyze_module, "SplitDetection", Recorded)
    return made


def run(tmp_path: Path, name: str, clip: Path = CLIP, **kwargs) -> tuple[dict, list[dict]]:
    outputs = Outputs(report=str(tmp_path / f"{name}.json"), frames=str(tmp_path / f"{name}.csv"))
    analyze(str(clip), [load_pose("pigeon")], outputs, **kwargs)
    rows = list(csv.DictReader((tmp_path / f"{name}.csv").open()))
    return json.loads((tmp_path / f"{name}.json").read_text()), rows


def test_two_jobs_give_the_report_of_one_with_every_frame_once_in_order(tmp_path, splits):
    one, one_rows = run(tmp_path, "one")
    two, two_rows = run(tmp_path, "two", split=SMALL)
    with open_source(CLIP) as source:
        assert len(split.plan(source, SMALL)) == 5
    assert [s.fell_back for s in splits] == [None]
    assert (two["status"], two["pose"], two["side"]) == ("done", one["pose"], one["side"])
    assert one["correct_s"] > 5
    assert two["correct_s"] == pytest.approx(one["correct_s"], abs=0.2)
    assert two["longest_hold_s"] == pytest.approx(one["longest_hold_s"], abs=0.2)
    for check, a in one["checks"].items():
        for key in ("pass_s", "fail_s", "unknown_s"):
            assert two["checks"][check][key] == pytest.approx(a[key], abs=0.3), (check, key)
    assert [r["frame"] for r in two_rows] == [str(i) for i in range(len(one_rows))]
    assert [r["time_s"] for r in two_rows] == [r["time_s"] for r in one_rows]
    assert two["frames"] == one["frames"] == 118


def test_a_clip_too_short_to_split_is_analysed_in_this_process(tmp_path, splits):
    """With the default segments (60 frames or more) 118 frames make one: no workers, and
    the very report of --jobs 1."""
    one, _ = run(tmp_path, "one")
    two, rows = run(tmp_path, "two", split=split.Splitting(jobs=2))
    assert splits == []
    assert two == one
    assert len(rows) == 118


def test_the_cli_takes_jobs_for_a_short_clip_and_a_photo(tmp_path):
    photo = tmp_path / "still.png"
    capture = cv2.VideoCapture(str(CLIP))
    capture.set(cv2.CAP_PROP_POS_FRAMES, 60)
    cv2.imwrite(str(photo), capture.read()[1])
    for name, path in (("clip", CLIP), ("photo", photo)):
        report = tmp_path / f"{name}.json"
        result = invoke("analyze", path, "--pose", "pigeon", "--jobs", 2, "--report", report,
                        "--no-progress", "--no-history")
        assert result.exit_code == 0, result.output
        assert json.loads(report.read_text())["status"] == "done"


def test_ctrl_c_stops_the_workers_and_keeps_the_report(tmp_path, splits):
    seen = []

    def interrupt_after_30(result):
        seen.append(result)
        if len(seen) == 30:
            raise KeyboardInterrupt

    outputs = Outputs(report=str(tmp_path / "r.json"), frames=str(tmp_path / "f.csv"))
    with pytest.raises(KeyboardInterrupt):
        analyze(str(CLIP), [load_pose("pigeon")], outputs, on_frame=interrupt_after_30,
                split=SMALL)
    report = json.loads((tmp_path / "r.json").read_text())
    assert (report["status"], report["frames"]) == ("interrupted", 30)
    assert len(list(csv.DictReader((tmp_path / "f.csv").open()))) == 30
    assert len(splits) == 1
    assert multiprocessing.active_children() == []


def test_frames_the_workers_read_otherwise_are_detected_here(tmp_path, splits, monkeypatch):
    """A worker's frame whose time differs from this process's reading (as a file a seek
    reads differently would give): the rest of the video is detected in this process, and
    the report still has every frame."""

    class Misread(split.FrameClock):
        def __init__(self, fps):
            super().__init__(fps)
            self.calls = 0

        def __call__(self, pos_ms):
            self.calls += 1
            return super().__call__(pos_ms) + (1.0 if self.calls == 50 else 0.0)

    monkeypatch.setattr(split, "FrameClock", Misread)
    one, _ = run(tmp_path, "one")
    two, rows = run(tmp_path, "two", split=SMALL)
    assert splits[0].fell_back.startswith("frame times differ")
    assert multiprocessing.active_children() == []
    assert (two["status"], two["frames"], len(rows)) == ("done", 118, 118)
    assert two["correct_s"] == pytest.approx(one["correct_s"], abs=0.2)


@pytest.mark.parametrize("args, error", [
    (["--fast", "--jobs", "2"], "--fast and --jobs do not combine: use --fast (about 10 frames "
                                "a second judged) or --jobs N (every frame, detected on N "
                                "processes)"),
    (["--jobs", "0"], "Invalid value for '--jobs' / '-j': 0 is not in the range 1<=x<=64."),
])
def test_bad_jobs_fail_in_one_line(args, error):
    assert one_line_error(invoke("analyze", CLIP, *args)) == "Error: " + error


def test_a_bad_model_fails_before_any_output_as_with_one_job(tmp_path):
    import zipfile

    from posecheck.io.detector import ModelError

    model = tmp_path / "bad.task"
    with zipfile.ZipFile(model, "w") as bundle:
        for name in ("pose_detector.tflite", "pose_landmarks_detector.tflite"):
            bundle.writestr(name, b"not a model" * 50)
    with pytest.raises(ModelError, match="is not a pose-landmarker .task model"):
        run(tmp_path, "bad", model=str(model), split=SMALL)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.task"]
    assert multiprocessing.active_children() == []
