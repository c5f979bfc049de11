"""The command line as a user meets it: outputs, summaries and one-line errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from clirun import invoke, one_line_error

REPORT_KEYS = {"pose", "side", "duration_s", "in_pose_s", "correct_s", "longest_hold_s",
               "score", "correct", "checks"}


def write_video(path: Path, frames: list[np.ndarray], fps: float = 25.0) -> Path:
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    for f in frames:
        writer.write(f)
    writer.release()
    return path


# --- poses commands ------------------------------------------------------------------------

def test_poses_list_names_all_four():
    result = invoke("poses", "list")
    assert result.exit_code == 0
    for name in ("happy-baby", "pigeon", "figure-four", "malasana"):
        assert name in result.output


def test_poses_show_gives_checks_cues_and_camera():
    result = invoke("poses", "show", "malasana")
    assert result.exit_code == 0
    assert "Camera:" in result.output
    assert "spine-upright" in result.output
    assert "Lift your chest and lengthen your spine" in result.output


def test_poses_show_names_the_phases_and_what_a_phase_hides():
    lines = invoke("poses", "show", "pigeon").output.splitlines()
    assert "Phase: upright" in lines
    assert ('Phase: folded: hides the working leg, and says "Your front leg is hidden while '
            'you fold: it can\'t be checked"') in lines


def test_poses_check_accepts_a_bundled_file():
    path = Path(__file__).resolve().parents[1] / "poses" / "pigeon.toml"
    result = invoke("poses", "check", path)
    assert result.exit_code == 0 and "OK" in result.output


def test_poses_check_rejects_a_bad_file_in_one_line(tmp_path):
    bad = tmp_path / "mine.toml"
    bad.write_text('name = "x"\ntitle = "X"\ncheks = []\n')
    line = one_line_error(invoke("poses", "check", bad))
    assert "mine.toml" in line and "unknown key 'cheks'" in line


# --- analyze: bad input ----------------------------------------------------------------------

def test_missing_file(tmp_path):
    line = one_line_error(invoke("analyze", tmp_path / "nope.mp4"))
    assert "no such file" in line


def test_not_a_video(tmp_path):
    path = tmp_path / "notes.mp4"
    path.write_text("this is not a video\n" * 50)
    line = one_line_error(invoke("analyze", path))
    assert "notes.mp4" in line


def test_empty_file(tmp_path):
    path = tmp_path / "empty.mp4"
    path.write_bytes(b"")
    assert "empty" in one_line_error(invoke("analyze", path))


def test_unknown_pose(tmp_path):
    line = one_line_error(invoke("analyze", tmp_path / "x.mp4", "--pose", "warrior"))
    assert "unknown pose 'warrior'" in line and "malasana" in line


def test_malformed_pose_file(tmp_path):
    pose = tmp_path / "broken.toml"
    pose.write_text("name = [unclosed\n")
    line = one_line_error(invoke("analyze", tmp_path / "x.mp4", "--pose", pose))
    assert "broken.toml" in line and "not valid TOML" in line


def test_unwritable_output_fails_before_work(tmp_path):
    video = write_video(tmp_path / "blank.mp4", [np.zeros((120, 160, 3), np.uint8)] * 5)
    line = one_line_error(invoke("analyze", video, "--report", tmp_path / "no" / "dir" / "r.json"))
    assert "r.json" in line


def test_missing_model(tmp_path):
    video = write_video(tmp_path / "blank.mp4", [np.zeros((120, 160, 3), np.uint8)] * 5)
    line = one_line_error(invoke("analyze", video, "--model", tmp_path / "none.task"))
    assert "model file not found" in line


def test_video_with_nobody_is_not_an_error(tmp_path):
    rng = np.random.default_rng(0)
    frames = [rng.integers(0, 60, (240, 320, 3), dtype=np.uint8) for _ in range(12)]
    video = write_video(tmp_path / "empty_room.mp4", frames)
    report = tmp_path / "r.json"
    result = invoke("analyze", video, "--pose", "malasana", "--report", report, "--no-progress")
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text())
    assert data["person_found"] is False
    assert "No person was found" in data["message"]
    assert data["correct"] is False and data["correct_s"] == 0


def test_truncated_video_keeps_results_and_exits_non_zero(tmp_path, realdata):
    # sports2d's demo has its index first, so a cut copy still opens and decodes part-way.
    source = realdata / "general" / "sports2d__demo.mp4"
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(source.read_bytes()[: source.stat().st_size // 4])
    report = tmp_path / "r.json"
    result = invoke("analyze", cut, "--report", report, "--no-progress")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "truncated or corrupt" in result.output.splitlines()[-1]
    data = json.loads(report.read_text())
    assert data["frames"] > 0 and data["status"] == "done"


# --- analyze: real footage, end to end -------------------------------------------------------

def test_photo_of_correct_malasana(tmp_path, realdata):
    photo = realdata / "malasana" / "correct" / "newEdaiProject__Malasana_f1.png"
    report, out = tmp_path / "r.json", tmp_path / "annotated.png"
    result = invoke("analyze", photo, "--pose", "malasana", "--report", report, "--out", out)
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text())
    assert REPORT_KEYS <= set(data)
    assert data["correct"] is True and data["score"] == 100
    assert data["checks"]["spine-upright"]["state"] == "pass"
    assert data["checks"]["feet-wide"]["state"] == "unknown"  # front-only check, side photo
    assert cv2.imread(str(out)).shape == cv2.imread(str(photo)).shape
    assert "correct form" in result.output


def test_photo_of_figure_four_with_head_lifted_is_not_correct(tmp_path, realdata):
    photo = realdata / "figure_four" / "flawed" / "free-exercise-db__Ankle_On_The_Knee_1.jpg"
    report = tmp_path / "r.json"
    result = invoke("analyze", photo, "--report", report)  # --pose auto
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text())
    assert data["pose"] == "figure-four"
    assert data["correct"] is False
    assert data["checks"]["head-down"]["state"] == "fail"
    assert "Keep your head and shoulders down" not in data["message"]


@pytest.mark.parametrize("rel", [
    "happy_baby/near_miss/free-exercise-db__Hug_Knees_To_Chest_1.jpg",
    "figure_four/near_miss/free-exercise-db__Ankle_On_The_Knee_0.jpg",
    "malasana/near_miss/free-exercise-db__Barbell_Full_Squat_1.jpg",
    "pigeon/near_miss/Fitness_App__Eka-Pada-Rajakapotasana.png",
    "happy_baby/near_miss/newEdaiProject__knee-to-chest-stretch.gif",  # a 12-frame clip
])
def test_near_misses_are_not_taken_for_any_pose(tmp_path, realdata, rel):
    report = tmp_path / "r.json"
    result = invoke("analyze", realdata / rel, "--report", report, "--no-progress")
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text())
    assert data["correct"] is False
    assert data["pose"] is None and data["poses_seen_s"] == {}
    assert "not in any of the poses" in data["message"]


def test_video_writes_annotated_video_report_and_frames(tmp_path, realdata):
    clip = realdata / "malasana" / "flawed" / "mi-rutina-saludable__deep-squat.mov"
    out, report, frames = tmp_path / "a.mp4", tmp_path / "r.json", tmp_path / "f.csv"
    result = invoke("analyze", clip, "--pose", "malasana", "--out", out, "--report", report,
                    "--frames", frames, "--no-progress")
    assert result.exit_code == 0, result.output
    source_count = int(cv2.VideoCapture(str(clip)).get(cv2.CAP_PROP_FRAME_COUNT))
    written = cv2.VideoCapture(str(out))
    assert int(written.get(cv2.CAP_PROP_FRAME_COUNT)) == source_count
    ok, frame = written.read()
    assert ok and frame.shape[:2] == (240, 426)
    data = json.loads(report.read_text())
    assert REPORT_KEYS <= set(data)
    assert data["duration_s"] == pytest.approx(source_count / 25.0, abs=0.1)
    assert data["correct"] is False  # banded squats to parallel: never a held Malasana
    rows = list(csv.DictReader(frames.open()))
    assert len(rows) == source_count
    assert {"time_s", "pose", "spine-upright", "spine-upright_value"} <= set(rows[0])
    assert "score" in result.output and "correct hold" in result.output


# --- every option and output checked before any work (issue 16, item 4) ---------------------

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
CLIP = SAMPLES / "malasana-side-correct.mp4"


@pytest.fixture
def no_model(monkeypatch):
    """The model must not load: every check below comes before any work."""
    from posecheck.io import detector

    def refuse(*args, **kwargs):
        raise AssertionError("the model loaded before the options were checked")

    monkeypatch.setattr(detector.Detector, "__init__", refuse)


@pytest.mark.parametrize("args, error", [
    (["live", "--source", CLIP, "--no-window", "--record", "{tmp}/out.txt"],
     "cannot write video to {tmp}/out.txt: use a .mp4 or .avi file name"),
    (["routine", "--source", CLIP, "--no-window", "--record", "{tmp}/out.mov"],
     "cannot write video to {tmp}/out.mov: use a .mp4 or .avi file name"),
    (["live", "--source", CLIP, "--no-window", "--record", "{tmp}/no/out.mp4"],
     "cannot write {tmp}/no/out.mp4: folder {tmp}/no does not exist (choose another path)"),
    (["analyze", CLIP, "--out", "{tmp}/a.png"],
     "cannot write video to {tmp}/a.png: use a .mp4 or .avi file name"),
    (["analyze", CLIP, "--html", "{tmp}/x.txt"],
     "cannot write the report page to {tmp}/x.txt: use a .html file name"),
    (["live", "--pose", "malasana", "--side", "left", "--source", CLIP, "--no-window"],
     "--side left: Malasana has no working side; --side is only for the poses with one "
     "(figure-four, pigeon)"),
    (["analyze", CLIP, "--pose", "happy-baby", "--side", "right"],
     "--side right: Happy Baby has no working side; --side is only for the poses with one "
     "(figure-four, pigeon)"),
    (["calibrate", "--camera", "9"],
     "no camera at index 9: connect one, try another index (--camera 10), or calibrate from "
     "a photo or video of you standing: posecheck calibrate PHOTO|VIDEO"),
], ids=["live-record-txt", "routine-record-mov", "live-record-no-folder", "analyze-out-png",
        "analyze-html-txt", "live-side-malasana", "analyze-side-happy-baby",
        "calibrate-no-camera"])
def test_bad_options_fail_in_one_line_before_the_model_loads(tmp_path, no_model, args, error):
    args = [str(a).format(tmp=tmp_path) for a in args]
    assert one_line_error(invoke(*args)) == "Error: " + error.format(tmp=tmp_path)
    assert list(tmp_path.iterdir()) == []  # nothing was written


@pytest.mark.parametrize("command", [["analyze", CLIP, "--report"],
                                     ["live", "--source", CLIP, "--no-window", "--record"]])
def test_a_system_folder_says_choose_another_path_not_free_space(no_model, command):
    name = "/proc/r.json" if command[0] == "analyze" else "/proc/out.mp4"
    line = one_line_error(invoke(*command, name))
    assert line.startswith(f"Error: cannot write {name}: ") and "space" not in line
    assert line.endswith("(choose another path)")  # /proc takes no files, root or not


def test_calibrate_checks_where_the_profile_goes_before_measuring(monkeypatch, no_model):
    monkeypatch.setenv("XDG_CONFIG_HOME", "/proc/config")
    line = one_line_error(invoke("calibrate", CLIP))
    assert line.startswith("Error: cannot write /proc/config: ") and "space" not in line
    assert line.endswith("(choose another path)")


@pytest.mark.parametrize("args", [
    ["analyze", CLIP, "--pose", "malasna"], ["live", "--pose", "malasna", "--no-window"],
    ["score", CLIP, "--pose", "malasna"], ["poses", "show", "malasna"],
    ["history", "--pose", "malasna"]])
def test_a_mistyped_pose_is_named_with_the_poses_and_a_suggestion(no_model, args):
    line = one_line_error(invoke(*args))
    assert line.startswith("Error: unknown pose 'malasna': did you mean malasana? (valid: "
                           "figure-four, happy-baby, malasana, pigeon")


def test_a_pose_typo_lists_auto_where_auto_is_valid(no_model):
    assert one_line_error(invoke("live", "--pose", "atuo", "--no-window")) == (
        "Error: unknown pose 'atuo': did you mean auto? (valid: figure-four, happy-baby, "
        "malasana, pigeon, auto, or a .toml file)")


def test_history_knows_a_custom_pose_it_has_recorded():
    from posecheck.report import history as h

    h.save(h.Run("analyze", "2024-05-01T09:00:00+00:00", "2024-05-01T09:01:00+00:00",
                 "clip.mp4", "done", {}, (h.PoseResult("my-lunge", None, 5.0, 5.0),)))
    shown = invoke("history", "--pose", "my-lunge")
    assert shown.exit_code == 0 and shown.output.startswith("my-lunge: 1 session")
    assert invoke("history", "--pose", "pigeon").output == (
        "No sessions of pigeon in the history yet.\n")
    assert one_line_error(invoke("history", "--pose", "yoga")) == (
        "Error: unknown pose 'yoga' (valid: figure-four, happy-baby, malasana, pigeon, "
        "my-lunge)")


# --- what the summary says --------------------------------------------------------------------

def test_no_pose_found_says_so_instead_of_a_zero_target(tmp_path):
    video = write_video(tmp_path / "room.mp4", [np.full((120, 160, 3), 90, np.uint8)] * 10)
    result = invoke("analyze", video, "--no-progress", "--no-history")
    assert result.exit_code == 0, result.output
    assert "  correct hold  none: no pose was recognised, so there was no hold target" in (
        result.output.splitlines())
    assert "0 s target" not in result.output and "score" not in result.output
