"""The randomised clip sets: every draw comes from its seed alone, the sets never share a
seed, and what is drawn stays inside the ranges the sets promise (docs/accuracy.md)."""

from __future__ import annotations

import pytest

from posecheck.synth.randomised import (
    AZIMUTH_SPREAD,
    CORRECT_SHARE,
    DEVICES,
    FAULTS,
    HEIGHT_M,
    SETS,
    SUB_SEEDS,
    VIEWS,
    draw,
    preset_azimuth,
)
from posecheck.synth.scripts import RECIPES, criteria

DRAWS = [draw(name, i) for name in SETS for i in range(150)]


def test_a_draw_is_the_same_every_time_and_differs_between_sets():
    assert draw("test", 7) == draw("test", 7)
    assert draw("test", 7) != draw("validation", 7)
    assert draw("test", 7, attempt=1) != draw("test", 7)


def test_the_sets_never_share_a_seed():
    ranges = sorted((first, first + count * 10) for first, count in SETS.values())
    assert all(a[1] <= b[0] for a, b in zip(ranges, ranges[1:]))
    seeds = [d.spec.seed for d in DRAWS]
    assert len(set(seeds)) == len(seeds)
    assert all(seed % SUB_SEEDS == 0 for seed in seeds)  # first attempts


@pytest.mark.parametrize("d", DRAWS[::7], ids=lambda d: d.spec.name)
def test_a_draw_stays_inside_the_promised_ranges(d):
    spec, timing = d.spec, d.timing
    azimuth, height = spec.camera_at
    assert spec.camera in VIEWS[spec.pose]
    assert abs(azimuth - preset_azimuth(spec.pose, spec.camera, spec.side)) <= AZIMUTH_SPREAD
    assert HEIGHT_M[0] <= height <= HEIGHT_M[1]
    device = DEVICES[d.device]
    assert d.size in device.sizes and device.fov_deg[0] <= spec.fov_deg <= device.fov_deg[1]
    assert (d.size[0] > d.size[1]) == (d.device == "laptop")  # a phone is held upright
    assert 10 <= d.fps <= 30 and 8.0 <= timing.hold <= 30.0
    assert 0.0 < timing.fault[0] < timing.fault[1] < 1.0
    assert (spec.side is None) == (spec.pose in ("malasana", "happy-baby"))


def test_every_fault_of_every_pose_is_drawn_and_correct_form_has_its_share():
    drawn = {(d.spec.pose, d.spec.fault) for d in DRAWS}
    wanted = {(pose, f.check) for pose, faults in FAULTS.items() for f in faults}
    assert wanted <= drawn
    correct = sum(d.spec.fault is None for d in DRAWS) / len(DRAWS)
    assert abs(correct - CORRECT_SHARE) < 0.07


def test_fault_sizes_run_from_just_past_the_limit_to_severe():
    """Size 1 is further from the correct form than size 0, for every parameter drawn (size
    0 is just past the limit: the generator verifies each fault frame truly fails)."""
    for pose, faults in FAULTS.items():
        correct = RECIPES[pose][1]()
        for fault in faults:
            assert fault.check in criteria(pose, "left")
            small, large = fault.change(0.0), fault.change(1.0)
            for name in fault.ranges:
                default = getattr(correct, name)
                assert abs(large[name] - default) > abs(small[name] - default) > 0, name


def test_every_device_size_is_480p_to_1080p():
    for device in DEVICES.values():
        assert sorted(min(s) for s in device.sizes) == [480, 720, 1080]
