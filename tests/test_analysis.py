"""analyze() as a library: an interrupted run keeps what was done."""

from __future__ import annotations

import csv
import json

import pytest

from posecheck.analysis import Outputs, analyze
from posecheck.poses import load_pose


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
