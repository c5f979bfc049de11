"""The summary of a photo: its verdict says what was wrong, or what could not be seen."""

from __future__ import annotations

import pytest
from bodies import body

from posecheck.core.judge import Judge
from posecheck.core.poses import load_pose
from posecheck.report.builder import ReportBuilder, format_summary
from posecheck.report.summary import AnalysisSummary

FOLD_WORDS = "Your front leg is hidden while you fold: it can't be checked"


def photo_summary(name: str, pose: str = "pigeon", side: str | None = "right") -> AnalysisSummary:
    spec = load_pose(pose)
    judge = Judge([spec], side=side, settle_s=0.0)
    builder = ReportBuilder([spec], f"{name}.png", True, 30.0)
    builder.add(judge.update(body(name), 0.0))
    builder.status = "done"
    return builder.summary()


@pytest.mark.parametrize("name, verdict", [
    ("pigeon_right_upright", "correct form"),
    ("pigeon_back_knee_bent", "form needs work"),
    # nothing fails, but a core check could not be seen: never "needs work"
    ("pigeon_right_folded_hidden", f"not judged: {FOLD_WORDS}"),
])
def test_the_photo_verdict_says_what_was_wrong_or_unseen(name, verdict):
    text = format_summary(photo_summary(name))
    assert f"  verdict       {verdict}   score " in text


def test_the_report_gives_the_folded_phase_words_for_the_hidden_front_leg():
    summary = photo_summary("pigeon_right_folded_hidden")
    assert summary.checks["front-knee-bent"].unknown_because == FOLD_WORDS
    assert summary.checks["back-leg-long"].state == "pass"
