"""Typed summaries: an analysis (video and photo) and a practice session give the JSON users
already have (the same keys in the same order), and read back from it unchanged."""

from __future__ import annotations

import ast
import json
from dataclasses import replace
from pathlib import Path

import pytest
from bodies import body
from clirun import invoke

from posecheck.core.judge import Judge
from posecheck.core.poses import load_pose
from posecheck.report.builder import ReportBuilder, format_summary, write_json
from posecheck.report.summary import (
    AnalysisSummary,
    CheckSummary,
    PracticeSummary,
    SideHold,
    StepSummary,
)

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

#: The keys of the JSON reports as users' files have them, in order.
VIDEO_KEYS = ["source", "status", "kind", "pose", "pose_title", "side", "frames",
              "person_found", "person_frames", "message", "warnings", "poses_seen_s",
              "sides_s", "duration_s", "in_pose_s", "correct_s", "correct_form_s",
              "longest_hold_s", "hold_target_s", "score", "correct", "by_side", "checks",
              "judged_frames"]
PHOTO_KEYS = ["source", "status", "kind", "pose", "pose_title", "side", "frames",
              "person_found", "person_frames", "message", "warnings", "poses_seen_s",
              "sides_s", "duration_s", "in_pose_s", "correct_s", "correct_form_s",
              "longest_hold_s", "hold_target_s", "in_pose", "score", "correct", "checks"]
VIDEO_CHECK_KEYS = ["title", "kind", "core", "pass_s", "fail_s", "unknown_s"]
PHOTO_CHECK_KEYS = ["title", "kind", "core", "pass_s", "fail_s", "unknown_s", "state", "value"]
PRACTICE_KEYS = ["mode", "source", "status", "started_at", "frames", "dropped_frames", "fps",
                 "steps", "cues_s", "countdown_s"]
STEP_KEYS = ["pose", "side", "target_s", "held_s", "longest_s", "outcome", "started_s",
             "ended_s", "faults_s", "poses_seen_s", "score"]


def video_summary() -> AnalysisSummary:
    """Two seconds of an upright right Pigeon at 10 fps (hips-square can never be judged)."""
    pigeon = load_pose("pigeon")
    judge = Judge([pigeon])
    builder = ReportBuilder([pigeon], "clip.mp4", False, 10.0)
    for i in range(20):
        builder.add(judge.update(body("pigeon_right_upright"), i / 10))
    builder.status = "done"
    return builder.summary()


def photo_summary(name: str = "pigeon_right_folded_hidden") -> AnalysisSummary:
    pigeon = load_pose("pigeon")
    builder = ReportBuilder([pigeon], f"{name}.png", True, 30.0)
    builder.add(Judge([pigeon], side="right", settle_s=0.0).update(body(name), 0.0))
    builder.status = "done"
    return builder.summary()


def practice_summary(warnings: list[str] | None = None) -> PracticeSummary:
    return PracticeSummary(
        mode="routine", source="camera 0", status="done", started_at="2024-05-02T07:00:00+00:00",
        frames=900, dropped_frames=2, fps=29.7, cues_s={"Lift your chest": 1.5},
        warnings=warnings or [], steps=[
            StepSummary("malasana", None, 30.0, correct_s=31.0, longest_hold_s=30.0,
                        outcome="completed", started_s=1.0, ended_s=40.0,
                        faults_s={"spine-upright": 1.5}, poses_seen_s={"malasana": 33.2},
                        score=96),
            StepSummary("pigeon", "right", 30.0, correct_s=0.0, longest_hold_s=0.0,
                        outcome="not reached", started_s=None, ended_s=None, faults_s={})])


def through_json_text(data: dict) -> dict:
    return json.loads(json.dumps(data))


# --- the JSON users already have ---------------------------------------------------------------

def test_a_video_analysis_gives_the_report_keys_in_order():
    data = video_summary().to_json()
    assert list(data) == VIDEO_KEYS
    assert (data["pose"], data["side"], data["kind"]) == ("pigeon", "right", "video")
    assert list(data["by_side"]) == ["right"]
    assert list(data["by_side"]["right"]) == ["correct_s", "longest_hold_s"]
    assert list(data["checks"]) == [c.id for c in load_pose("pigeon").checks]
    assert list(data["checks"]["back-leg-long"]) == VIDEO_CHECK_KEYS
    assert list(data["checks"]["hips-square"]) == [*VIDEO_CHECK_KEYS, "unknown_because"]
    assert isinstance(data["checks"]["hips-square"]["unknown_because"], dict)


def test_a_photo_analysis_gives_the_report_keys_in_order():
    data = photo_summary().to_json()
    assert list(data) == PHOTO_KEYS
    assert data["kind"] == "image" and data["in_pose"] is True
    assert list(data["checks"]["back-leg-long"]) == PHOTO_CHECK_KEYS
    assert list(data["checks"]["front-knee-bent"]) == [*PHOTO_CHECK_KEYS, "unknown_because"]
    assert data["checks"]["front-knee-bent"]["unknown_because"] == (
        "Your front leg is hidden while you fold: it can't be checked")


def test_attributes_name_the_same_things_as_the_reports_keys():
    s = video_summary()
    data = s.to_json()
    assert (s.correct_s, s.longest_hold_s, s.target_s) == (
        data["correct_s"], data["longest_hold_s"], data["hold_target_s"])
    step = practice_summary().steps[0]
    assert (step.correct_s, step.longest_hold_s, step.target_s) == (31.0, 30.0, 30.0)
    assert step.to_json() == {"pose": "malasana", "side": None, "target_s": 30.0,
                              "held_s": 31.0, "longest_s": 30.0, "outcome": "completed",
                              "started_s": 1.0, "ended_s": 40.0,
                              "faults_s": {"spine-upright": 1.5},
                              "poses_seen_s": {"malasana": 33.2}, "score": 96}


def test_a_practice_session_gives_the_summary_keys_in_order():
    data = practice_summary().to_json()
    assert list(data) == PRACTICE_KEYS
    assert [list(step) for step in data["steps"]] == [STEP_KEYS, STEP_KEYS]
    warned = practice_summary(["the recording stopped: disk full"]).to_json()
    assert list(warned) == [*PRACTICE_KEYS, "warnings"]  # only when there are some
    assert warned["warnings"] == ["the recording stopped: disk full"]


def test_warnings_added_after_the_session_are_in_its_json():
    summary = practice_summary()
    summary.warnings.append("the recording stopped: disk full")  # as practice.py does
    assert summary.to_json()["warnings"] == ["the recording stopped: disk full"]


# --- back from JSON ----------------------------------------------------------------------------

@pytest.mark.parametrize("make, kind", [(video_summary, AnalysisSummary),
                                        (photo_summary, AnalysisSummary),
                                        (practice_summary, PracticeSummary),
                                        (lambda: practice_summary(["w"]), PracticeSummary)])
def test_a_summary_reads_back_from_its_json_unchanged(make, kind):
    summary = make()
    data = summary.to_json()
    assert kind.from_json(data) == summary
    assert kind.from_json(through_json_text(data)) == summary
    # and the JSON text is the same to the byte (a 0 stays 0, a 0.0 stays 0.0)
    assert json.dumps(kind.from_json(through_json_text(data)).to_json()) == json.dumps(data)


def test_parts_read_back_from_their_json():
    for check in (CheckSummary("fault", True, 1.0, 0, 0.5, unknown_because={"why": 0.5}),
                  CheckSummary("tip", False, 0, 0.0, 0, "unknown", None, "why")):
        assert CheckSummary.from_json(through_json_text(check.to_json())) == check
    assert SideHold.from_json(SideHold(1.5, 1.0).to_json()) == SideHold(1.5, 1.0)
    step = practice_summary().steps[1]
    assert StepSummary.from_json(step.to_json()) == step


def test_a_summary_saved_before_poses_scores_and_the_countdown_were_kept_reads_back():
    data = practice_summary().to_json()
    del data["countdown_s"]
    for step in data["steps"]:
        del step["poses_seen_s"], step["score"]
    summary = PracticeSummary.from_json(data)
    assert [(s.poses_seen_s, s.score) for s in summary.steps] == [({}, None), ({}, None)]
    assert summary == replace(practice_summary(), steps=[
        replace(s, poses_seen_s={}, score=None) for s in practice_summary().steps])


def test_summaries_are_written_as_their_json(tmp_path):
    summary = video_summary()
    write_json(tmp_path / "typed.json", summary)
    write_json(tmp_path / "dict.json", summary.to_json())
    assert (tmp_path / "typed.json").read_text() == (tmp_path / "dict.json").read_text()


def test_the_printed_summary_of_a_photo_and_a_video():
    assert format_summary(photo_summary("pigeon_right_upright")).splitlines()[:2] == [
        "Pigeon (right) - pigeon_right_upright.png",
        "  verdict       correct form   score 100/100"]
    lines = format_summary(video_summary()).splitlines()
    assert lines[0] == "Pigeon (right) - clip.mp4"
    assert lines[1] == "  duration      2.0 s (20 frames)"


def test_the_summaries_need_only_the_standard_library():
    source = Path(__file__).resolve().parents[1] / "posecheck" / "report" / "summary.py"
    tree = ast.parse(source.read_text())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert imported <= {"__future__", "dataclasses", "typing"}


# --- posecheck analyze ---------------------------------------------------------------------------

def test_the_analyze_report_is_the_summary_json(tmp_path):
    report = tmp_path / "r.json"
    result = invoke("analyze", SAMPLES / "malasana-side-correct.mp4", "--pose", "malasana",
                    "--report", report, "--no-progress", "--no-history")
    assert result.exit_code == 0, result.output
    text = report.read_text()
    data = json.loads(text)
    assert list(data) == VIDEO_KEYS
    assert all(list(c)[:6] == VIDEO_CHECK_KEYS for c in data["checks"].values())
    summary = AnalysisSummary.from_json(data)
    assert json.dumps(summary.to_json(), indent=2) + "\n" == text
    assert result.output.startswith(format_summary(summary) + "\n")
