"""The ground-truth sample clips (samples/) and their generator (posecheck.synth.samples)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from posecheck.core.poses import load_pose
from posecheck.eval.labels import load_labels
from posecheck.eval.scoring import judgeable
from posecheck.synth import samples as sm
from posecheck.synth import scripts as sc
from posecheck.synth.skeleton import load_body, pose_body

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
POSES = ("malasana", "happy-baby", "pigeon", "figure-four")


@pytest.fixture(scope="module")
def labels():
    return load_labels(SAMPLES / "labels.json")


def test_labels_cover_every_clip_and_only_them(labels):
    clips = {p.name for p in SAMPLES.glob("*.mp4")}
    assert clips, "no clips in samples/"
    assert set(labels) == clips
    assert set(labels) == {s.file for s in sm.SPECS}  # generated from the current specs


def test_label_spans_are_consistent(labels):
    for label in labels.values():
        (h0, h1), = label.in_pose
        assert 0 < h0 < h1 < label.duration_s
        faulted = 0.0
        pose = load_pose(label.pose)
        kinds = {c.id: c.kind for c in pose.checks}
        for check_id, spans in label.fails.items():
            for a, b in spans:
                assert h0 < a < b < h1, (label.file, check_id)
            if kinds[check_id] == "fault":
                faulted = max(faulted, sum(b - a for a, b in spans))
        assert label.correct_hold_s == pytest.approx(h1 - h0 - faulted, abs=1e-6), label.file
        assert (label.side is None) == (label.pose in ("malasana", "happy-baby"))


def test_every_check_is_faulted_somewhere(labels):
    faulted = {(c.pose, check_id) for c in labels.values() for check_id in c.fails}
    for pose_name in POSES:
        for check in load_pose(pose_name).checks:
            assert (pose_name, check.id) in faulted or check.id in sm.NOT_FAKEABLE, (pose_name, check.id)


def test_each_fault_is_shown_from_a_view_that_can_judge_it(labels):
    for spec in sm.SPECS:
        if spec.fault is None:
            continue
        label = labels[spec.file]
        check = next(c for c in load_pose(spec.pose).checks if c.id == spec.fault)
        if check.unsupported:  # no view can judge it: the clip shows it stays unknown
            continue
        assert judgeable(check, label.view), (spec.name, label.view)


def test_correct_clips_both_sides_and_recommended_views(labels):
    correct = {(c.pose, c.side, c.view) for c in labels.values() if not c.fails}
    for want in [("malasana", None, "front"), ("malasana", None, "side"), ("happy-baby", None, "side"),
                 ("pigeon", "left", "side"), ("pigeon", "right", "side"), ("pigeon", "right", "front"),
                 ("figure-four", "left", "side"), ("figure-four", "right", "side")]:
        assert want in correct, want


def test_the_held_span_widens_over_entry_and_exit_frames_already_in_form():
    """The body is in the pose once every check truly reads as it does at the hold's start
    (none unclear), which can be before the scripted hold begins."""
    phases = ["rest"] * 2 + ["entry"] * 4 + ["hold"] * 5 + ["exit"] * 3 + ["rest"]
    frames = [sm.Frame(i / 10, ph, None, 0.0) for i, ph in enumerate(phases)]
    ok, off, unclear = {"a": "pass", "b": "pass"}, {"a": "fail", "b": "pass"}, {"a": "unclear", "b": "pass"}
    verdicts = [off, off, off, unclear, ok, ok] + [ok] * 5 + [ok, unclear, off, off]
    h0, h1 = sm.held_span(frames, verdicts, 10)
    assert (h0, h1) == pytest.approx((0.35, 1.15))  # frames 4..11, edges midway between frames


def test_fault_weight_blends_around_the_labelled_edges():
    span = (4.0, 7.0)
    assert sm.fault_weight(3.0, span) == 0.0
    assert sm.fault_weight(4.0, span) == pytest.approx(0.5)
    assert sm.fault_weight(4.0 + sm.BLEND_S / 2, span) == 1.0
    assert sm.fault_weight(5.5, span) == 1.0
    assert sm.fault_weight(7.0, span) == pytest.approx(0.5)
    assert sm.fault_weight(7.0 + sm.BLEND_S / 2, span) == 0.0


def _truth(variant, pose, form, side=None):
    body = load_body(variant)
    recipe, _ = sc.RECIPES[pose]
    values = sc.truth_values(pose_body(body, recipe.build(body, form, side)))
    return values, sc.judge_truth(pose, side, values)


def test_truth_of_designed_malasana_frames():
    values, verdicts = _truth("neutral", "malasana", sc.MalasanaForm())
    assert values["trunk_from_vertical"] == pytest.approx(20.0, abs=1.0)
    assert values["knee_angle_left"] == pytest.approx(45.0, abs=0.5)
    assert values["ankle_gap"] == pytest.approx(1.4, abs=0.02)
    assert set(verdicts.values()) == {"pass"}
    values, verdicts = _truth("neutral", "malasana", sc.MalasanaForm(lean=55.0))
    assert values["trunk_from_vertical"] == pytest.approx(55.0, abs=1.0)
    assert verdicts["spine-upright"] == "fail"
    values, verdicts = _truth("neutral", "malasana", sc.MalasanaForm(heel_lift=0.075))
    assert min(values["heel_lift_m_left"], values["heel_lift_m_right"]) > 0.06
    assert verdicts["heels-down"] == "fail" and verdicts["deep-squat"] == "pass"


def test_truth_of_designed_floor_frames():
    values, verdicts = _truth("female", "happy-baby", sc.HappyBabyForm())
    assert values["knee_angle_left"] == pytest.approx(90.0, abs=0.5)
    assert set(verdicts.values()) == {"pass"}
    values, verdicts = _truth("female", "happy-baby", sc.HappyBabyForm(head_lift=30.0))
    assert values["head_lift"] == pytest.approx(30.0, abs=1.0)
    assert verdicts["head-down"] == "fail"
    values, verdicts = _truth("male", "pigeon", sc.PigeonForm(back_knee=118.0), "right")
    assert values["knee_angle_left"] == pytest.approx(118.0, abs=1.0)  # the back leg of a right pigeon
    assert verdicts["back-leg-long"] == "fail" and verdicts["front-knee-bent"] == "pass"
    values, verdicts = _truth("male", "figure-four", sc.FigureFourForm(), "left")
    assert values["ankle_to_other_knee_left"] < 0.25  # the left ankle rests on the right knee
    assert set(verdicts.values()) == {"pass"}
    # crossed too far: the ankle half-way down the other shin, which brings the knee in too
    values, verdicts = _truth("male", "figure-four", sc.FigureFourForm(ankle_on_shin=0.7), "left")
    assert values["ankle_to_other_knee_left"] >= 0.45
    assert verdicts["ankle-on-knee"] == "fail" and verdicts["knee-open"] == "fail"
    assert {verdicts[c] for c in ("thigh-to-chest", "hands-behind-thigh", "head-down")} == {"pass"}


def test_a_short_clip_renders_to_the_same_bytes_twice(tmp_path):
    spec = next(s for s in sm.SPECS if s.name == "figure-four-right-side-ankle-off")
    timing = sm.Timing(rest=0.1, entry=0.3, hold=1.2, exit=0.3, rest_end=0.1, fault=(0.3, 0.7))
    a = sm.render_clip(spec, tmp_path / "a", timing=timing, size=(160, 120))
    b = sm.render_clip(spec, tmp_path / "b", timing=timing, size=(160, 120))
    digest = [hashlib.sha256((tmp_path / d / spec.file).read_bytes()).hexdigest() for d in "ab"]
    assert digest[0] == digest[1]
    strip = lambda e: {k: v for k, v in e.items() if k != "_stats"}  # noqa: E731
    assert strip(a) == strip(b)
    span = [[0.4 + 0.36, 0.4 + 0.84]]
    assert a["fails"] == {"ankle-on-knee": span, "knee-open": span}  # crossed too far: knee in too
    assert a["duration_s"] == pytest.approx(2.0)
