"""Hostile input: every file, pose file or output a user can get wrong, through the real CLI.

One table: each row builds its input in tmp_path, runs `posecheck` (click's CliRunner, or a
real process where a real Ctrl-C is needed) and names the exit code and the exact line the
user reads. Bad input is exit 2 and exactly one line, never a traceback; odd but usable input
(1x1, portrait, rotated, a photo named .mp4) is analysed, exit 0. The table is
docs/bad-input.md.

Then fuzzing (hypothesis): the pose-file loader and the report writers get a few thousand
made-up or damaged inputs and must answer with a validation error or a good result, never a
crash, and never leave a half-written report.
"""

from __future__ import annotations

import copy
import csv
import errno
import io
import json
import math
import os
import signal
import struct
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Callable

import cv2
import numpy as np
import pytest
from click.testing import CliRunner
from conftest import REALDATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_poses import BASES, KEYS, mutated, to_toml, values

from posecheck.cli import main
from posecheck.core.poses import PoseFileError, builtin_dir, load_pose, load_pose_file, parse_pose
from posecheck.io import files as files_module
from posecheck.io.video import InputError
from posecheck.report import builder as report_module
from posecheck.report.builder import FrameCsv, write_json

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "samples" / "malasana-side-correct.mp4"
MULTI = REALDATA / "general" / "pose2sim__Demo_MultiPerson_cam01.mp4"
GOOD_POSE = (builtin_dir() / "malasana.toml").read_text(encoding="utf-8")
NO_PERSON = "  No person was found: is the whole body in the picture, and well lit?"
UNREADABLE = ("cannot read {tmp}/{name} as a video or image (is it a video file? supported: "
              "mp4, mov, avi, mkv, webm, gif and common image formats)")
TOP_KEYS = ("name, title, description, camera, best_views, hold_s, priority, visibility, lying, "
            "side, recognise, phases, checks")


# --- building the inputs -------------------------------------------------------------------

def video(path: Path, size: tuple[int, int], frames: int = 3, fps: float = 25.0) -> Path:
    """A small test video (width, height): grey frames, mp4v for .mp4, MJPG for .avi."""
    fourcc = "MJPG" if path.suffix == ".avi" else "mp4v"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, size)
    assert writer.isOpened(), f"cv2 cannot write {path}"
    for i in range(frames):
        writer.write(np.full((size[1], size[0], 3), 60 + 40 * i, np.uint8))
    writer.release()
    return path


def rotate_90(path: Path) -> Path:
    """Sets the MP4's display matrix to a 90-degree turn (phones record portrait this way:
    landscape pixels plus rotation metadata). cv2 cannot write it, so the track header's
    matrix is patched in place."""
    data = bytearray(path.read_bytes())
    box = data.find(b"tkhd") - 4
    version = data[box + 8]
    # box header 8, version/flags 4, times/track id/reserved/duration 20 or 32, reserved 8,
    # layer/alternate group/volume/reserved 8, then the 3x3 matrix (nine 32-bit numbers)
    matrix = box + 8 + 4 + (32 if version == 1 else 20) + 8 + 8
    data[matrix:matrix + 36] = struct.pack(">9i", 0, 1 << 16, 0, -(1 << 16), 0, 0, 0, 0, 1 << 30)
    path.write_bytes(bytes(data))
    return path


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def png(path: Path) -> Path:
    assert cv2.imwrite(str(path.with_suffix(".png")), np.full((48, 64, 3), 90, np.uint8))
    path.with_suffix(".png").rename(path)
    return path


def slow_gif(path: Path) -> Path:
    """A GIF with uneven frame delays (0.1, 0.7, 0.2 s): a variable frame rate."""
    from PIL import Image

    frames = [Image.new("RGB", (64, 48), (80 * i, 40, 40)) for i in range(3)]
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=[100, 700, 200],
                   loop=0)
    return path


def a_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("notes.txt", "not a video\n" * 100)
    return path


def pose_file(tmp: Path, text: str | bytes) -> list[str]:
    """`posecheck poses check` on a pose file holding `text`."""
    return ["poses", "check", str(write(tmp / "mine.toml", text))]


def malasana_with(old: str, new: str) -> str:
    assert GOOD_POSE.count(old) == 1, old
    return GOOD_POSE.replace(old, new)


def analyze(tmp: Path, clip: Path, *options: str) -> list[str]:
    return ["analyze", str(clip), "--pose", "malasana", "--no-progress", *options]


def locked_folder(tmp: Path, monkeypatch) -> Path:
    """A folder nobody may write in. Root may write anywhere, so for root os.access is made
    to honour the folder's mode bits, as it does for everybody else."""
    folder = tmp / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    if os.geteuid() == 0:
        real = os.access
        monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == folder
                            and mode & os.W_OK else real(p, mode, **kw))
    return folder


def read_only_disk(monkeypatch) -> None:
    """A disk mounted read-only: creating any file fails with EROFS (as root too)."""
    real_open = os.open

    def refuse(path, flags, *args, **kwargs):
        if flags & os.O_CREAT:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)


def full_disk_for_reports(monkeypatch) -> None:
    """Every file report.py (and files.py, its atomic writer) opens takes a few bytes, then
    the disk is full (ENOSPC)."""

    class FullFile(io.StringIO):
        def write(self, text):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    real_open = open

    def fake_open(path, mode="r", *args, **kwargs):
        if "w" in mode:
            real_open(path, mode, *args, **kwargs).close()  # created, as a real open would
            return FullFile()
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(report_module, "open", fake_open, raising=False)
    monkeypatch.setattr(files_module, "open", fake_open, raising=False)  # write_json's writer


def two_people(monkeypatch) -> None:
    """The detector as it must run to see both people of this clip: MediaPipe's default
    (one pose, detection confidence 0.5) finds only the nearer, larger person."""
    from posecheck.app import analyze as analysis
    from posecheck.io import detector

    monkeypatch.setattr(analysis, "Detector", partial(detector.Detector, num_poses=2,
                                                      min_detection_confidence=0.3))


# --- the table -------------------------------------------------------------------------------

@dataclass
class Case:
    id: str
    make: Callable  # (tmp_path, monkeypatch) -> CLI arguments
    code: int
    message: str  # the exact line; {tmp} is tmp_path. Exit 2: the only line, after "Error: "
    check: Callable | None = None  # (tmp_path, result) -> None: more to check
    needs: Path | None = None  # a file that must exist, else the row skips
    sigint: bool = False  # run in a process and press Ctrl-C once rows are written


def _portrait_out(tmp, result):
    ok, frame = cv2.VideoCapture(str(tmp / "a.mp4")).read()
    assert ok and frame.shape[:2] == (160, 90)


def _rotated_out(tmp, result):
    # 64x48 pixels stored, shown turned 90 degrees: judged (and drawn) upright, 48x64
    ok, frame = cv2.VideoCapture(str(tmp / "a.mp4")).read()
    assert ok and frame.shape[:2] == (64, 48)


def _photo_report(tmp, result):
    assert json.loads((tmp / "r.json").read_text())["kind"] == "image"


def _crowd_report(tmp, result):
    data = json.loads((tmp / "r.json").read_text())
    assert data["warnings"] == [result.expected.removeprefix("  warning: ")]
    assert data["frames"] == 100


def _report_untouched(tmp, result):
    assert (tmp / "r.json").read_text() == "old report\n"
    assert [p.name for p in tmp.iterdir() if p.name.startswith(".r.json")] == []


def _interrupted(tmp, result):
    data = json.loads((tmp / "r.json").read_text())
    with open(tmp / "rows.csv", newline="", encoding="utf-8") as f:
        text = f.read()
    rows = list(csv.reader(io.StringIO(text)))
    assert data["status"] == "interrupted"
    assert text.endswith("\n")  # no half-written last row
    assert len({len(r) for r in rows}) == 1  # every row complete
    assert 1 <= data["frames"] == len(rows) - 1 < 118  # the frames done so far, not all


CASES = [
    # --- video files
    Case("missing-file", lambda t, m: analyze(t, t / "nope.mp4"), 2,
         "no such file: {tmp}/nope.mp4"),
    Case("directory", lambda t, m: analyze(t, t), 2, "{tmp} is a directory, not a video or image"),
    Case("empty-file", lambda t, m: analyze(t, write(t / "empty.mp4", b"")), 2,
         "{tmp}/empty.mp4 is empty (0 bytes)"),
    Case("truncated-half-sample", lambda t, m: analyze(
        t, write(t / "half.mp4", SAMPLE.read_bytes()[: SAMPLE.stat().st_size // 2])), 2,
         "{tmp}/half.mp4 is an incomplete MP4/MOV: its index ('moov' atom) is missing "
         "(truncated download or unfinished recording?)"),
    Case("text-named-mp4", lambda t, m: analyze(t, write(t / "notes.mp4", "not a video\n" * 50)),
         2, UNREADABLE.format(tmp="{tmp}", name="notes.mp4")),
    Case("zip-named-mov", lambda t, m: analyze(t, a_zip(t / "clip.mov")), 2,
         UNREADABLE.format(tmp="{tmp}", name="clip.mov")),
    Case("zero-frame-mp4", lambda t, m: analyze(t, video(t / "zero.mp4", (64, 48), frames=0)), 2,
         "{tmp}/zero.mp4 holds no video frames (an empty recording?): record again"),
    Case("8000x8000", lambda t, m: analyze(t, video(t / "huge.avi", (8000, 8000), frames=1)), 2,
         "{tmp}/huge.avi is 8000x8000 pixels, too large to analyse (at most 50 megapixels): "
         "scale it down first, e.g. to 1920 pixels wide"),
    Case("png-named-mp4", lambda t, m: analyze(t, png(t / "photo.mp4"), "--report",
                                               str(t / "r.json")),
         0, "  verdict       not in the pose   score 0/100", check=_photo_report),
    Case("video-named-png", lambda t, m: analyze(t, write(
        t / "clip.png", video(t / "v.mp4", (64, 48)).read_bytes())),
         0, "  duration      0.1 s (3 frames)"),
    Case("1x1", lambda t, m: analyze(t, video(t / "dot.avi", (1, 1))), 0, NO_PERSON),
    Case("portrait", lambda t, m: analyze(t, video(t / "tall.mp4", (90, 160)), "--out",
                                          str(t / "a.mp4")),
         0, NO_PERSON, check=_portrait_out),
    Case("rotation-metadata", lambda t, m: analyze(t, rotate_90(video(t / "rot.mp4", (64, 48))),
                                                   "--out", str(t / "a.mp4")),
         0, NO_PERSON, check=_rotated_out),
    Case("variable-frame-rate-gif", lambda t, m: analyze(t, slow_gif(t / "vfr.gif")), 0,
         "  duration      1.2 s (12 frames)"),  # 0.1 + 0.7 + 0.2 s, sampled at 10 fps
    Case("several-people", lambda t, m: (two_people(m), analyze(
        t, MULTI, "--report", str(t / "r.json")))[1],
         0, "  warning: 2 people in view in 68 frames: judged the largest",
         check=_crowd_report, needs=MULTI),
    # --- pose files
    Case("pose-wrong-type", lambda t, m: pose_file(t, malasana_with("hold_s = 30",
                                                                    'hold_s = "30 s"')), 2,
         "{tmp}/mine.toml: top level: 'hold_s' must be int or float, not str"),
    Case("pose-unknown-key", lambda t, m: pose_file(t, "colour = 'red'\n" + GOOD_POSE), 2,
         f"{{tmp}}/mine.toml: top level: unknown key 'colour' (valid: {TOP_KEYS})"),
    Case("pose-missing-field", lambda t, m: pose_file(t, malasana_with(
        'title = "Malasana"\n', "")), 2,
         "{tmp}/mine.toml: top level: missing required key 'title'"),
    Case("pose-huge-float", lambda t, m: pose_file(t, malasana_with("hold_s = 30",
                                                                    "hold_s = 1e400")), 2,
         "{tmp}/mine.toml: top level: 'hold_s' must be a finite number"),
    Case("pose-huge-integer", lambda t, m: pose_file(t, malasana_with("hold_s = 30",
                                                                      "hold_s = " + "9" * 4000)),
         2, "{tmp}/mine.toml: top level: 'hold_s' = 999999...(4000 digits) is out of range "
            "(1 to 3600)"),
    Case("pose-integer-too-long", lambda t, m: pose_file(t, malasana_with(
        "hold_s = 30", "hold_s = " + "9" * 5000)), 2,
         "{tmp}/mine.toml: not valid TOML: a number has too many digits"),
    Case("pose-deeply-nested", lambda t, m: pose_file(t, "x = " + "{a = " * 3000 + "1"
                                                      + "}" * 3000 + "\n" + GOOD_POSE), 2,
         "{tmp}/mine.toml: not valid TOML: arrays or tables nested too deeply"),
    Case("pose-nested-tables", lambda t, m: pose_file(
        t, "[" + ".".join(["deep"] * 5000) + "]\nx = 1\n" + GOOD_POSE), 2,
         f"{{tmp}}/mine.toml: top level: unknown key 'deep' (valid: {TOP_KEYS})"),
    Case("pose-not-utf8", lambda t, m: pose_file(t, malasana_with(
        "Deep squat", "Squat profond, \u00e9l\u00e8ve").encode("latin-1")), 2,
         "{tmp}/mine.toml: pose file is not UTF-8 text"),
    Case("pose-file-is-a-video", lambda t, m: ["analyze", str(SAMPLE), "--pose",
                                               str(write(t / "p.toml", SAMPLE.read_bytes()))],
         2, "{tmp}/p.toml: pose file is not UTF-8 text"),
    # --- outputs
    Case("report-missing-folder", lambda t, m: analyze(
        t, video(t / "v.mp4", (64, 48)), "--report", str(t / "no" / "r.json")), 2,
         "cannot write {tmp}/no/r.json: folder {tmp}/no does not exist (choose another path)"),
    Case("report-read-only-folder", lambda t, m: analyze(
        t, video(t / "v.mp4", (64, 48)), "--report", str(locked_folder(t, m) / "r.json")), 2,
         "cannot write {tmp}/locked/r.json: folder {tmp}/locked is not writable "
         "(choose another path)"),
    Case("out-wrong-extension", lambda t, m: analyze(
        t, video(t / "v.mp4", (64, 48)), "--out", str(t / "a.mov")), 2,
         "cannot write video to {tmp}/a.mov: use a .mp4 or .avi file name"),
    Case("html-wrong-extension", lambda t, m: analyze(
        t, video(t / "v.mp4", (64, 48)), "--html", str(t / "page.txt")), 2,
         "cannot write the report page to {tmp}/page.txt: use a .html file name"),
    Case("report-read-only-disk", lambda t, m: (
        read_only_disk(m), analyze(t, video(t / "v.mp4", (64, 48)), "--report",
                                   str(t / "r.json")))[-1], 2,
         "cannot write {tmp}/r.json: the disk is read-only (choose another path)"),
    Case("pose-name-mistyped", lambda t, m: ["analyze", str(t / "v.mp4"), "--pose", "malasna"],
         2, "unknown pose 'malasna': did you mean malasana? (valid: figure-four, happy-baby, "
            "malasana, pigeon, auto, or a .toml file)"),
    Case("out-is-a-directory", lambda t, m: analyze(
        t, video(t / "v.mp4", (64, 48)), "--out", str(t)), 2,
         "Invalid value for '--out': File '{tmp}' is a directory."),
    Case("frames-disk-full", lambda t, m: analyze(
        t, video(t / "v.mp4", (64, 48)), "--frames", "/dev/full"), 2,
         "cannot write /dev/full: No space left on device (free some space or choose another "
         "path)", needs=Path("/dev/full")),
    Case("report-disk-full", lambda t, m: (
        write(t / "r.json", "old report\n"), full_disk_for_reports(m),
        analyze(t, video(t / "v.mp4", (64, 48)), "--report", str(t / "r.json")))[-1], 2,
         "cannot write {tmp}/r.json: No space left on device (free some space or choose "
         "another path)", check=_report_untouched),
    # --- Ctrl-C
    Case("ctrl-c-midway", lambda t, m: analyze(t, SAMPLE, "--report", str(t / "r.json"),
                                               "--frames", str(t / "rows.csv")),
         130, "Interrupted: the outputs keep the frames analysed so far.", check=_interrupted,
         sigint=True),
]


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """No personal profile or history from the real home folder."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    work = tmp_path / "work"
    work.mkdir()
    return work


def run_with_ctrl_c(args: list[str], rows: Path) -> SimpleNamespace:
    """`posecheck ARGS` in its own process; SIGINT once `rows` has two frames' rows."""
    proc = subprocess.Popen([sys.executable, "-m", "posecheck", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if rows.exists() and rows.read_text(encoding="utf-8").count("\n") >= 3:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    return SimpleNamespace(exit_code=proc.returncode, output=out + err)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_hostile_input(case, home, monkeypatch):
    if case.needs is not None and not case.needs.exists():
        pytest.skip(f"{case.needs} not found (real footage is in ../shared beside the repo)")
    args = case.make(home, monkeypatch)
    if case.sigint:
        result = run_with_ctrl_c(args, home / "rows.csv")
    else:
        result = CliRunner().invoke(main, args)
    expected = case.message.format(tmp=home)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert "Traceback" not in result.output
    assert result.exit_code == case.code, result.output
    if case.code == 2:
        assert lines == [f"Error: {expected}"]
    elif case.code == 130:
        assert lines == [expected]
    else:
        assert expected in lines, result.output
    if case.check:
        result.expected = expected
        case.check(home, result)


def test_the_table_covers_every_kind_of_hostile_input():
    ids = {c.id for c in CASES}
    assert len(CASES) >= 15 and len(ids) == len(CASES)
    for kind in ("missing", "empty", "truncated", "named", "zero-frame", "1x1", "8000",
                 "portrait", "rotation", "variable-frame-rate", "several-people",
                 "pose-wrong-type", "pose-unknown-key", "pose-missing-field", "pose-huge",
                 "nested", "not-utf8", "read-only", "disk-full", "ctrl-c"):
        assert any(kind in i for i in ids), kind


def test_docs_show_the_table():
    """docs/bad-input.md is what users read: every row's message is in it."""
    doc = (REPO / "docs" / "bad-input.md").read_text(encoding="utf-8")
    for case in CASES:
        assert f"`{case.id}`" in doc, case.id
        text = case.message.replace("{tmp}/", "").replace("{tmp}", "clips")
        assert text.strip() in doc, case.id


# --- fuzz: the pose-file loader ---------------------------------------------------------------

HUGE = st.one_of(st.integers(10**15, 10**4000), st.integers(-10**4000, -10**15),
                 st.sampled_from((1e308, -1e308, math.inf, -math.inf, math.nan, 5e-324)))
ODD = st.one_of(HUGE, st.text(max_size=12), st.binary(max_size=4).map(lambda b: b.hex()),
                st.lists(st.integers(), max_size=3), st.none().map(lambda _: {}),
                st.booleans(), st.datetimes().map(lambda d: d.isoformat()))


def _places(obj, prefix=()):
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) \
        if isinstance(obj, list) else ()
    for key, value in items:
        yield prefix + (key,)
        yield from _places(value, prefix + (key,))


@st.composite
def damaged(draw):
    """A real pose file with up to five changes of type or size: a value turned into a huge
    number, a string, a list or a table, a key deleted, an unknown key added."""
    data = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 5))):
        places = list(_places(data))
        if not places:
            break
        place = draw(st.sampled_from(places))
        parent = data
        for key in place[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(("odd", "delete", "unknown")))
        if action == "odd":
            value = draw(ODD)
            parent[place[-1]] = value if value is not None else {}
        elif action == "delete":
            del parent[place[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS + ("x" * 300, "ü", "")))] = draw(values)
    return data


def _only_pose_file_errors(text: str, path: str = "fuzz.toml") -> None:
    try:
        spec = parse_pose(text, path)
    except PoseFileError as e:
        message = str(e)
        assert message.startswith(f"{path}: ") and "\n" not in message and len(message) < 2000
    else:
        assert spec.checks and any(c.core for c in spec.checks)


def _toml(data: dict) -> str | None:
    try:
        return to_toml(data)
    except (TypeError, ValueError):  # a value the tiny TOML writer cannot spell
        return None


def fuzz(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example,
                                           HealthCheck.function_scoped_fixture])


@fuzz(1200)
@given(st.one_of(damaged(), mutated()))
def test_fuzz_damaged_pose_files_give_only_pose_file_errors(data):
    text = _toml(data)
    if text is not None:
        _only_pose_file_errors(text)


@st.composite
def byte_damage(draw):
    """A bundled pose file's bytes with random bytes cut, replaced or inserted."""
    raw = bytearray(draw(st.sampled_from(BUNDLED)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(raw)))
        action = draw(st.sampled_from(("cut", "replace", "insert")))
        chunk = draw(st.binary(min_size=1, max_size=6))
        if action == "cut":
            del raw[at:at + len(chunk)]
        elif action == "replace":
            raw[at:at + len(chunk)] = chunk
        else:
            raw[at:at] = chunk
    return bytes(raw)


BUNDLED = [p.read_bytes() for p in sorted(builtin_dir().glob("*.toml"))]


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@fuzz(1200)
@given(raw=byte_damage())
def test_fuzz_damaged_bytes_give_only_pose_file_errors(raw, fuzz_dir):
    path = fuzz_dir / "damaged.toml"
    path.write_bytes(raw)
    try:
        load_pose_file(path)
    except PoseFileError as e:
        assert str(e).startswith(f"{path}: ") and "\n" not in str(e)


@fuzz(80)
@given(depth=st.integers(1, 2000), kind=st.sampled_from(("[", "{a = ", "a.", "[t.")))
def test_fuzz_deep_nesting_gives_only_pose_file_errors(depth, kind):
    if kind == "[":
        text = "x = " + "[" * depth + "]" * depth
    elif kind == "{a = ":
        text = "x = " + "{a = " * depth + "1" + "}" * depth
    elif kind == "a.":
        text = "a." * depth + "b = 1"
    else:
        text = "[" + "t." * depth + "u]"
    _only_pose_file_errors(text + "\n" + GOOD_POSE)


# --- fuzz: the report writers -----------------------------------------------------------------

class Opaque:
    """A value JSON cannot hold."""


json_leaves = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.sampled_from(("Ünïcödé", "emoji \U0001f9d8", "\u202eRTL", "nul\x00byte", "\ud800")))
json_trees = st.recursive(
    json_leaves,
    lambda kids: st.one_of(st.lists(kids, max_size=4),
                           st.dictionaries(st.text(max_size=8), kids, max_size=4)),
    max_leaves=25)
bad_leaves = st.sampled_from((Opaque(), b"bytes", {1, 2}, complex(1, 2)))


def _nested(depth: int) -> dict:
    data: dict = {"leaf": 1.5}
    for _ in range(depth):
        data = {"x": [data]}
    return data


def _strict(text: str):
    def refuse(name):
        raise AssertionError(f"{name} is not JSON")
    return json.loads(text, parse_constant=refuse)


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


@fuzz(400)
@given(data=st.one_of(
    st.dictionaries(st.text(max_size=10), json_trees, max_size=6),
    st.tuples(st.dictionaries(st.text(max_size=10), json_trees, max_size=4), bad_leaves)
      .map(lambda t: {**t[0], "late key": [1, 2, {"deep": t[1]}]}),
    st.integers(1, 1500).map(_nested)))
def test_fuzz_write_json_is_valid_json_or_leaves_the_old_report(data, fuzz_dir):
    path = fuzz_dir / "r.json"
    path.write_text('{"old": true}\n', encoding="utf-8")
    try:
        write_json(path, data)
    except (TypeError, ValueError, RecursionError):
        assert path.read_text(encoding="utf-8") == '{"old": true}\n'  # untouched
    else:
        assert _strict(path.read_text(encoding="utf-8")) == _finite(data)
    assert sorted(p.name for p in fuzz_dir.iterdir() if p.name.startswith(".r.json")) == []


def test_write_json_failing_midway_leaves_the_old_report(tmp_path, monkeypatch):
    """The disk fills while the new report is half written: the old one stays whole."""
    path = tmp_path / "r.json"
    write_json(path, {"frames": 1})
    full_disk_for_reports(monkeypatch)
    with pytest.raises(InputError) as e:
        write_json(path, {"frames": 2})
    assert str(e.value) == (f"cannot write {path}: No space left on device (free some space "
                            "or choose another path)")
    assert json.loads(path.read_text()) == {"frames": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


cells = st.text(max_size=30) | st.sampled_from(("a,b", 'say "hi"', "two\nlines", "\r\n",
                                               "Ünï \U0001f9d8", ""))
numbers = st.floats(allow_nan=True, allow_infinity=True) | st.none()


@fuzz(200)
@given(frames=st.lists(st.tuples(numbers, cells, cells, numbers, st.booleans()), max_size=12))
def test_fuzz_frame_csv_reads_back_row_for_row(frames, fuzz_dir):
    pose = load_pose("malasana")
    check = pose.checks[0].id
    path = fuzz_dir / "rows.csv"
    out = FrameCsv(path, [pose])
    for t, cue, view, value, person in frames:
        result = SimpleNamespace(
            t=t if t is not None else 0.0, person=person, pose=pose, side=None, view=view,
            phase=None, in_pose=person, correct=False, timer=None,
            cue=SimpleNamespace(text=cue),
            results={check: SimpleNamespace(state="pass", value=value)})
        out.write(result)
    out.close()
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(frames)
    for row, (_, cue, view, value, _) in zip(rows, frames):
        assert row["cue"] == cue and row["view"] == view
        assert row[f"{check}_value"] == ("" if value is None else f"{value:.3f}")
