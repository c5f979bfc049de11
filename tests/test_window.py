"""The real live window under a virtual X display (Xvfb): it opens, shows the annotated
picture, and closes with the session. Skipped where Xvfb or xwd is missing."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

pytestmark = pytest.mark.skipif(not (shutil.which("Xvfb") and shutil.which("xwd")),
                                reason="needs Xvfb and xwd (apt-get install xvfb x11-apps)")


def read_xwd(data: bytes) -> np.ndarray:
    """An XWD screen dump (ZPixmap, 24/32 bits per pixel) as an H x W x 3 array."""
    header = struct.unpack(">25I", data[:100])
    header_size, width, height = header[0], header[4], header[5]
    bits_per_pixel, bytes_per_line, ncolors = header[11], header[12], header[19]
    start = header_size + 12 * ncolors
    step = bits_per_pixel // 8
    rows = np.frombuffer(data, np.uint8, count=bytes_per_line * height, offset=start)
    rows = rows.reshape(height, bytes_per_line)[:, :width * step].reshape(height, width, step)
    return rows[:, :, :3]


@pytest.fixture
def display():
    number = next(n for n in range(90, 200) if not Path(f"/tmp/.X{n}-lock").exists())
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten",
                               "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    yield f":{number}"
    server.terminate()
    server.wait(timeout=5)


def test_the_live_window_shows_the_annotated_picture(display, tmp_path):
    env = {**os.environ, "DISPLAY": display}
    live = subprocess.Popen(
        ["posecheck", "live", "--pose", "malasana", "--source",
         str(SAMPLES / "malasana-side-correct.mp4"), "--countdown", "0", "--no-sound",
         "--report", str(tmp_path / "r.json")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    time.sleep(4.0)  # the clip is 11.8 s: its hold starts at 2 s
    best = 0
    for _ in range(12):  # look a few times while the hold goes on
        dump = subprocess.run(["xwd", "-root", "-silent", "-display", display],
                              capture_output=True, check=True).stdout
        shown = read_xwd(dump)[:720, :960]
        green = (shown[:, :, 1] > 120) & (shown[:, :, 0] < 90) & (shown[:, :, 2] < 90)
        best = max(best, int(green.sum()) if shown.std() > 20 else 0)  # a picture, not blank
        if best > 5000:  # the green "Good form" band and skeleton
            break
        time.sleep(0.5)
    out, _ = live.communicate(timeout=30)
    assert live.returncode == 0, out.decode()
    assert best > 5000
    assert b"Live session: done" in out
