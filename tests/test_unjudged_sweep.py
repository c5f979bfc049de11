"""The sweep behind hips-square, shin-parallel and knee-open (benchmarks/unjudged_sweep.py):
cameras named by where they stand round the mat, the ROC figures, and one real form rendered
from every camera through the pose model with its mask."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "unjudged_sweep.py"


@pytest.fixture(scope="module")
def sweep():
    spec = importlib.util.spec_from_file_location("unjudged_sweep", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_cameras_are_named_by_where_they_stand(sweep):
    assert sweep.placement(0, "pigeon") == "front"
    assert sweep.placement(180, "pigeon", True) == "back"  # an end has no near leg
    assert sweep.placement(-90, "pigeon", True) == "side W"
    assert sweep.placement(45 + 20, "pigeon", False) == "front 3/4 O"  # 20 deg off still 3/4
    assert sweep.placement(135, "figure-four", True) == "head 3/4 W"
    assert sweep.placements("figure-four")[0] == "feet" and len(sweep.placements("pigeon")) == 8


def test_auc_and_threshold(sweep):
    assert sweep.auc([3, 4, 5], [0, 1, 2]) == 1.0
    assert sweep.auc([1, 1], [1, 1]) == 0.5
    assert sweep.auc([], [1]) is None
    threshold = sweep.fit_threshold(list(range(100)))
    assert 4 <= threshold <= 5  # passes at most 5 % of the training faults
    assert sweep.f1_at([10, 11], [0, 12], 5) == pytest.approx((2 / 3, 1.0, 0.8))


def test_an_open_pigeon_is_rendered_from_every_camera_and_measured(sweep):
    task = next(t for t in sweep.tasks("hips-square")
                if dict(t.change) == {"hip_yaw": 40} and t.side == "right" and t.variant == "male")
    records = sweep.run_task(task)
    assert len(records) == len(sweep.AZIMUTHS) * len(sweep.HEIGHTS)
    assert {r["truth"] for r in records} == {"fail"} and records[0]["size"] == pytest.approx(40, abs=1)
    measured = [r for r in records if r["signals"]]
    assert len(measured) >= 0.8 * len(records)
    assert all(set(r["signals"]) == set(sweep.SIGNALS["hips-square"]) for r in measured)
    assert {r["placement"] for r in records} == set(sweep.placements("pigeon"))
    widths = [r["signals"]["hip / shoulder width, mask"] for r in measured]
    assert all(w is None or 0.3 < w < 5 for w in widths)  # the mask was there and sensible
