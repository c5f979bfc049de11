"""Personal profiles and `posecheck calibrate`: what a user sees (XDG_CONFIG_HOME is a fresh
folder in every test: see conftest)."""

from __future__ import annotations

import tomllib

import bodies
import cv2
import numpy as np
import pytest
from checking import pose
from click.testing import CliRunner
from clirun import invoke

from posecheck.cli import main
from posecheck.core import checks as ck
from posecheck.core.proportions import POPULATION
from posecheck.io.profile import load_profile, profile_path


@pytest.fixture(scope="module")
def standing_photo(tmp_path_factory):
    """A rendered person standing facing the camera, whole body in view."""
    from posecheck.synth import Camera, load_body, pose_body, render
    from posecheck.synth.validate import standing

    body = load_body("neutral")
    posed = pose_body(body, standing(body))
    cam = Camera.fit(posed.vertices, 0, camera_z=1.1, fill=0.8, width=480, height=640)
    path = tmp_path_factory.mktemp("photos") / "standing.png"
    cv2.imwrite(str(path), render(posed, cam))
    return path


def write_profile(name: str, text: str):
    path = profile_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_calibrate_writes_a_profile_with_plausible_proportions(standing_photo):
    result = invoke("calibrate", standing_photo, "--profile", "sam")
    assert result.exit_code == 0, result.output
    path = profile_path("sam")
    assert result.output.splitlines()[-1] == f"Saved profile 'sam': {path}"
    data = tomllib.loads(path.read_text())
    for bone, value in data["proportions"].items():
        assert POPULATION[bone].low < value < POPULATION[bone].high
    assert 0.6 < data["proportions"]["thigh"] < 1.1
    assert data["calibration"]["frames"] == 1
    assert invoke("profile", "list").output == "sam\n"
    assert "thigh" in invoke("profile", "show", "sam").output


def test_recalibrating_keeps_the_adjustments_and_the_voice(standing_photo):
    write_profile("default", '[adjust."malasana/feet-wide"]\nmin = 0.9\n[voice]\non = false\n')
    assert invoke("calibrate", standing_photo).exit_code == 0
    profile = load_profile(None)
    assert profile.adjust == {("malasana", "feet-wide", "ankle_gap"): (0.9, None)}
    assert profile.voice == {"on": False}
    assert set(profile.proportions) == set(POPULATION)


def test_ctrl_c_while_measuring_leaves_the_profile_as_it_was(standing_photo, monkeypatch):
    from posecheck.app import calibrate

    path = write_profile("default", '[adjust."malasana/feet-wide"]\nmin = 0.9\n')
    before = path.read_text()

    def pressed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(calibrate, "measure_frames", pressed)
    result = invoke("calibrate", standing_photo)
    assert result.exit_code == 130 and "Traceback" not in result.output
    assert result.output == "Interrupted: no profile written (profile 'default' is as it was).\n"
    assert path.read_text() == before


def _crop_top(photo, tmp_path):
    image = cv2.imread(str(photo))
    path = tmp_path / "top.png"
    cv2.imwrite(str(path), image[: image.shape[0] // 2])
    return path


def _blank(photo, tmp_path):
    path = tmp_path / "blank.png"
    cv2.imwrite(str(path), np.full((480, 640, 3), 200, np.uint8))
    return path


@pytest.mark.parametrize("make, message", [
    (_blank, "no person found in {p}: stand in good light, whole body in the picture"),
    (_crop_top, "your whole body is not in view in {p}: step back until you are seen from "
                "head to feet"),
], ids=["nobody", "half-body"])
def test_calibrate_rejects_bad_pictures(make, message, standing_photo, tmp_path):
    photo = make(standing_photo, tmp_path)
    result = invoke("calibrate", photo)
    assert result.exit_code == 2
    assert result.output == f"Error: {message.format(p=photo)}\n"
    assert not profile_path("default").exists()


@pytest.mark.parametrize("args, message", [
    ((), "give a photo or video to calibrate from, or --camera N"),
    (("--profile", "../x", "p.png"), "bad profile name '../x': use letters, digits, '-' and '_'"),
])
def test_calibrate_usage_errors(args, message):
    result = invoke("calibrate", *args)
    assert (result.exit_code, result.output) == (2, f"Error: {message}\n")


def test_a_missing_profile_says_how_to_make_it(standing_photo):
    result = invoke("analyze", standing_photo, "--profile", "kim")
    assert result.exit_code == 2
    assert result.output == (f"Error: no profile 'kim' ({profile_path('kim')}): run "
                             "posecheck calibrate --profile kim\n")


def test_analyze_uses_the_default_profile(standing_photo):
    write_profile("default", "[proportions]\nthigh = 0.8\n")
    result = CliRunner().invoke(main, ["analyze", str(standing_photo), "--pose", "malasana"])
    assert result.exit_code == 0
    assert result.stderr == f"Using profile 'default' ({profile_path('default')})\n"


@pytest.mark.parametrize("text, problem", [
    ("[adjust.\"yoga/feet-wide\"]\nmin = 1\n",
     "[adjust.\"yoga/feet-wide\"]: unknown pose 'yoga' (valid: figure-four, happy-baby, "
     "malasana, pigeon; key is \"pose/check\")"),
    ("[adjust.\"malasana/feet\"]\nmin = 1\n",
     "[adjust.\"malasana/feet\"]: unknown check 'feet' (valid: feet-wide, deep-squat, "
     "heels-down, spine-upright, palms-together, elbows-in-knees)"),
    ("[adjust.\"malasana/feet-wide\"]\nlow = 1\n",
     "[adjust.\"malasana/feet-wide\"]: unknown key 'low' (valid: ankle_gap)"),
    ("[adjust.\"malasana/feet-wide\"]\nmin = 3\n",
     "[adjust.\"malasana/feet-wide\"]: 'min' (3) would be greater than 'max' (2)"),
    ("[adjust.\"malasana/deep-squat\"]\nmax = 1\n",
     "[adjust.\"malasana/deep-squat\"]: the check has several conditions: give the bounds "
     "per feature (valid: hip_above_knee, knee_angle)"),
    ("[proportions]\nneck = 0.2\n",
     "[proportions]: unknown key 'neck' (valid: upper_arm, forearm, thigh, shin, shoulders, "
     "hips)"),
    ("colour = 'red'\n", "top level: unknown key 'colour' (valid: proportions, calibration, "
     "adjust, voice)"),
    ("[voice]\nvolume = 2\n", "[voice]: 'volume' = 2 is out of range (0 to 1)"),
    ("[voice]\non = 'yes'\n", "[voice]: 'on' must be bool, not str"),
], ids=["pose", "check", "key", "min-over-max", "ambiguous", "bone", "top", "volume", "on"])
def test_bad_profiles_give_one_line(text, problem, standing_photo):
    path = write_profile("default", text)
    result = invoke("analyze", standing_photo)
    assert (result.exit_code, result.output) == (2, f"Error: {path}: {problem}\n")


@pytest.mark.parametrize("adjust, state", [
    ("", ck.FAIL),
    ("[adjust.\"malasana/feet-wide\"]\nmin = 0.5\n", ck.PASS),
], ids=["as-shipped", "adjusted"])
def test_an_adjustment_changes_the_verdict(adjust, state):
    """Feet 0.67 shoulder widths apart fail Malasana's feet-wide (min 1.0) unless a physio
    lowered the minimum for this person."""
    write_profile("default", adjust)
    spec = load_profile(None).apply([pose("malasana")])[0]
    lm = bodies.body("malasana_feet_narrow")
    results = ck.evaluate_all(spec, lm, ck.visible_set(lm, spec.visibility), None, "front")
    assert results["feet-wide"].state == state


def test_per_feature_adjustment_changes_only_that_condition():
    write_profile("default", "[adjust.\"malasana/deep-squat\".knee_angle]\nmax = 100\n")
    spec = load_profile(None).apply([pose("malasana")])[0]
    check = next(c for c in spec.checks if c.id == "deep-squat")
    bounds = {c.feature: (c.min, c.max) for c in check.conditions}
    assert bounds == {"hip_above_knee": (None, 0.15), "knee_angle": (None, 100.0)}


def test_the_profiles_voice_settings_apply_unless_an_option_says_otherwise(tmp_path, monkeypatch):
    """[voice] in the profile: `on = false` silences live; --voice wins over it; calibrate
    keeps the table when it measures the person again (above)."""
    from posecheck.cli import _setup

    write_profile("default", "[voice]\non = false\nvolume = 0.4\n")
    quiet = _setup(0, None, False, True, False, None, None, 5, None, True, None, None, None, None)
    assert (quiet.voice, quiet.volume) == (False, 0.4)
    loud = _setup(0, None, False, True, False, None, None, 5, None, True, True, 0.9, None, None)
    assert (loud.voice, loud.volume) == (True, 0.9)
    assert "Voice: on false, volume 0.4" in invoke("profile", "show", "default").output
