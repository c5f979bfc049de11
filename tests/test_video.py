"""Frame sources and the video writer, on real files made in tmp_path and on real footage."""

from __future__ import annotations

import errno
import math
import os
from pathlib import Path

import cv2
import numpy as np
import pytest

from posecheck.io import video
from posecheck.io.files import unwritable
from posecheck.io.video import (
    IMAGE_EXTS,
    FrameSource,
    ImageSource,
    InputError,
    StderrTrap,
    VideoFileSource,
    VideoWriter,
    check_writable,
    meaningful_line,
    open_source,
    sample_shown,
)

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
W, H, FPS = 160, 120, 24.0


def realdata(rel: str) -> Path:
    """A file of the shared real footage, or skip when the shared folder is absent."""
    if not REALDATA.is_dir():
        pytest.skip("../shared/realdata not found: real-footage tests need the shared folder beside the repo")
    return REALDATA / rel


def grey(i: int) -> int:
    return (5 * i) % 200


def disc_x(i: int) -> int:
    return 10 + (4 * i) % 140


def synthetic_frame(i: int) -> np.ndarray:
    """Frame i of a test clip: a grey level and a red disc, both changing with i."""
    frame = np.full((H, W, 3), grey(i), np.uint8)
    cv2.circle(frame, (disc_x(i), H // 2), 10, (0, 0, 255), -1)
    return frame


def write_clip(path: Path, n: int = 30) -> Path:
    with VideoWriter(path, FPS, (W, H)) as writer:
        for i in range(n):
            writer.write(synthetic_frame(i))
    return path


def head(src: Path, dst: Path, share: float) -> Path:
    """dst holds the first `share` of src's bytes: a truncated download."""
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * share)])
    return dst


# ----------------------------------------------------------------------------- reading videos


@pytest.mark.parametrize("ext", [".mp4", ".avi"])
def test_written_clip_reads_back_with_its_frames_and_times(tmp_path, ext):
    clip = write_clip(tmp_path / f"clip{ext}", n=30)
    with open_source(clip) as source:
        frames = list(source)
        assert not source.is_image
        assert (source.width, source.height) == (W, H)
        assert source.fps == pytest.approx(FPS)
        assert source.frame_count == 30
        assert source.frames_read == 30
        assert not source.truncated
    times = [t for _, t in frames]
    assert times == pytest.approx([i / FPS for i in range(30)], abs=1e-3)
    for i in (0, 15, 29):  # lossy codecs: close to what was written, and in the right order
        frame = frames[i][0]
        assert frame.shape == (H, W, 3) and frame.dtype == np.uint8
        assert abs(float(frame[5, 80].mean()) - grey(i)) < 8
        assert frame[H // 2, disc_x(i), 2] > 180  # the red disc is where it was drawn


def test_loop_left_early_is_not_truncation(tmp_path):
    clip = write_clip(tmp_path / "clip.mp4", n=30)
    with open_source(clip) as source:
        for _, t in source:
            if t > 0.2:
                break
        assert source.frames_read < 10
        assert not source.truncated


def test_truncated_mp4_without_index_says_incomplete(tmp_path):
    # OpenCV's mp4 writer puts the 'moov' index at the end: a cut-off copy cannot be opened.
    clip = write_clip(tmp_path / "clip.mp4", n=60)
    cut = head(clip, tmp_path / "cut.mp4", 0.3)
    with pytest.raises(InputError, match="incomplete MP4/MOV.*truncated download or unfinished recording"):
        open_source(cut)


def test_truncated_real_mp4_with_index_at_end(tmp_path):
    cut = head(realdata("general/pose2sim__Demo_SinglePerson_cam01.mp4"), tmp_path / "cut.mp4", 0.3)
    with pytest.raises(InputError, match="incomplete MP4/MOV"):
        open_source(cut)


def test_truncated_real_video_with_index_first_reports_truncation(tmp_path, capfd):
    # sports2d's 'moov' comes first: a cut-off copy opens, claims 230 frames and decodes 60.
    cut = head(realdata("general/sports2d__demo.mp4"), tmp_path / "cut.mp4", 0.3)
    with open_source(cut) as source:
        times = [t for _, t in source]
        assert source.frame_count == 230
        assert 10 < source.frames_read < 200
        assert source.truncated
    assert np.all(np.diff(times) > 0)
    assert capfd.readouterr().err == ""  # FFmpeg's "partial file" lines are not shown


def test_video_with_index_but_no_frame_data(tmp_path):
    header_only = head(realdata("general/sports2d__demo.mp4"), tmp_path / "header.mp4", 0.001)
    with pytest.raises(InputError, match=r"has no decodable frames \(corrupt or truncated\?\)"):
        open_source(header_only)


def test_real_clip_times_and_count(tmp_path):
    with open_source(realdata("general/GVHMR__tennis.mp4")) as source:
        times = [t for _, t in source]
        assert source.frame_count == source.frames_read == 312
        assert not source.truncated
    gaps = np.diff(times)
    assert np.all(gaps > 0)
    # the container's own timestamps are kept: this clip has uneven gaps (33 and 49 ms)
    assert gaps.max() - gaps.min() > 0.01


# ----------------------------------------------------------------------------- GIFs and images


def test_slow_gif_is_sampled_at_10_fps_keeping_its_uneven_frame_delays():
    """Frames shown 720, 680 and (last, the mean delay) 480 ms: each counts for as long as it
    is on show, as for a person watching (not index / fps, and the last frame not dropped)."""
    with open_source(realdata("figure_four/near_miss/correrjuntos-web__hip-mobility-90-90.gif")) as source:
        samples = list(source)
        assert not source.is_image and source.fps == 10.0 and source.frames_read == 3
    times = [t for _, t in samples]
    assert times == pytest.approx([k / 10 for k in range(19)])
    runs = [1]
    for (a, _), (b, _) in zip(samples, samples[1:]):
        if a is b:
            runs[-1] += 1
        else:
            runs.append(1)
    assert runs == [8, 6, 5]


@pytest.mark.parametrize("times, last_s, expected", [
    ([0.0, 1.0], 1.0, [0] * 10 + [1] * 10),
    ([0.0, 0.02, 0.05, 0.3], 0.3, [0, 2, 2, 3, 3, 3]),  # frame 1, shown 0.03 s, falls between
    ([0.25, 0.5], 0.25, [0, 0, 1, 1, 1]),  # starts at the first sample time after the first frame
    ([], 1.0, []),
])
def test_sample_shown(times, last_s, expected):
    got = list(sample_shown(iter([(i, t) for i, t in enumerate(times)]), 10.0, last_s))
    assert [i for i, _ in got] == expected
    assert all(t == pytest.approx(k / 10 + (0.3 if times and times[0] > 0.2 else 0))
               for k, (_, t) in enumerate(got))


def test_gif_with_absurd_frame_count_reads_all_frames():
    with open_source(realdata("pigeon/correct/Health_Page_Aadi_Foundation__pigeon_pose.gif")) as source:
        frames = list(source)
        assert source.frame_count is None  # the container claims about -3e16
        assert len(frames) == source.frames_read > 1
        assert not source.truncated


def test_gif_that_video_decoding_rejects_falls_back_to_a_still(tmp_path, monkeypatch):
    gif = tmp_path / "still.gif"
    assert cv2.imwrite(str(gif), synthetic_frame(10))

    class NoFrames:  # what VideoCapture does with some GIFs: opens, yields nothing
        def __init__(self, *args):
            pass

        def isOpened(self):
            return True

        def read(self):
            return False, None

        def release(self):
            pass

    monkeypatch.setattr(video.cv2, "VideoCapture", NoFrames)
    with open_source(gif) as source:
        assert source.is_image
        assert [t for _, t in source] == [0.0]


@pytest.mark.parametrize("name", ["photo.png", "photo.jpg", "photo.bmp", "photo_without_extension"])
def test_still_image_is_one_frame_at_time_zero(tmp_path, name):
    path = tmp_path / name
    image = synthetic_frame(20)
    ok, data = cv2.imencode(".png", image)  # PNG bytes, whatever the name says
    path.write_bytes(data.tobytes())
    with open_source(path) as source:
        frames = list(source)
        assert source.is_image
        assert (source.width, source.height, source.frame_count) == (W, H, 1)
    assert len(frames) == 1 and frames[0][1] == 0.0
    assert np.array_equal(frames[0][0], image)


def test_image_exts_are_lower_case_with_dot():
    assert {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"} <= IMAGE_EXTS
    assert all(ext.startswith(".") and ext == ext.lower() for ext in IMAGE_EXTS)


# ----------------------------------------------------------------------------- errors


def _text(path: Path, content: str = "hello, this is not a video\n") -> Path:
    path.write_text(content)
    return path


UNREADABLE = "cannot read {p} as a video or image (is it a video file? supported: mp4, mov"


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda d: d / "missing.mp4", "no such file: {p}"),
        (lambda d: d, "{p} is a directory, not a video or image"),
        (lambda d: _text(d / "empty.mp4", ""), "{p} is empty (0 bytes)"),
        (lambda d: _text(d / "notes.mp4"), UNREADABLE),
        (lambda d: _text(d / "notes.txt"), UNREADABLE),
        (lambda d: _text(d / "notes.png"), UNREADABLE),
        (lambda d: _text(d / "notes.gif", "GIF89a but nothing more"), "{p} has no decodable frames"),
    ],
    ids=["missing", "directory", "empty", "text-as-mp4", "text", "text-as-png", "broken-gif"],
)
def test_unreadable_inputs_give_one_line_errors(tmp_path, capfd, make, expected):
    path = make(tmp_path)
    with pytest.raises(InputError) as err:
        open_source(path)
    message = str(err.value)
    assert message.startswith(expected.format(p=path))
    assert "\n" not in message
    assert capfd.readouterr().err == ""  # no "moov atom not found" from FFmpeg


# ----------------------------------------------------------------------------- timestamp rule


class FakeCapture:
    """Stands in for cv2.VideoCapture: n frames with the given POS_MSEC after each read."""

    def __init__(self, pos_ms: list[float], fps: float = 25.0, count: float = -1.0) -> None:
        self.pos_ms, self.fps, self.count, self.i = list(pos_ms), fps, count, 0

    def read(self):
        if self.i >= len(self.pos_ms):
            return False, None
        self.i += 1
        return True, np.zeros((4, 6, 3), np.uint8)

    def get(self, prop):
        return {cv2.CAP_PROP_FPS: self.fps, cv2.CAP_PROP_FRAME_COUNT: self.count,
                cv2.CAP_PROP_POS_MSEC: self.pos_ms[self.i - 1]}[prop]

    def release(self):
        pass


def fake_source(pos_ms: list[float], fps: float = 25.0, count: float = -1.0) -> VideoFileSource:
    capture = FakeCapture(pos_ms, fps, count)
    ok, first = capture.read()
    return VideoFileSource(Path("fake.mp4"), capture, first, StderrTrap())


@pytest.mark.parametrize(
    "pos_ms, expected_s",
    [
        ([0, 40, 80, 120], [0, 0.04, 0.08, 0.12]),  # constant rate
        ([0, 33, 82, 115], [0, 0.033, 0.082, 0.115]),  # variable rate: kept
        ([0, 0, 80, 120], [0, 0.04, 0.08, 0.12]),  # repeated: previous + 1/fps
        ([0, 40, math.nan, 120], [0, 0.04, 0.08, 0.12]),  # missing
        ([0, 40, 20, 120], [0, 0.04, 0.08, 0.12]),  # going back
        ([0, 40, 99_000, 120], [0, 0.04, 0.08, 0.12]),  # jump over 10 s
        ([-1, -1, -1], [0, 0.04, 0.08]),  # none usable: index / fps
        ([500, 540], [0.5, 0.54]),  # a start offset is kept
    ],
)
def test_timestamp_rule(pos_ms, expected_s):
    with fake_source(pos_ms) as source:
        assert [t for _, t in source] == pytest.approx(expected_s, abs=1e-9)


@pytest.mark.parametrize("fps, expected", [(25.0, 25.0), (0.0, 30.0), (math.nan, 30.0), (90_000.0, 30.0), (-1, 30.0)])
def test_absurd_frame_rates_fall_back_to_30(fps, expected):
    assert fake_source([0, 1], fps=fps).fps == expected


@pytest.mark.parametrize(
    "claimed, decoded, truncated",
    [(100, 100, False), (100, 98, False), (100, 91, False), (100, 89, True), (10, 8, False),
     (10, 7, True), (-1, 3, False), (math.nan, 3, False)],
)
def test_truncation_rule(claimed, decoded, truncated):
    with fake_source([40.0 * i for i in range(decoded)], count=claimed) as source:
        assert source.truncated is False  # not before the end
        list(source)
        assert source.truncated is truncated


def test_source_is_single_pass_and_empty_after_close(tmp_path):
    clip = write_clip(tmp_path / "clip.mp4", n=5)
    source = open_source(clip)
    assert len(list(source)) == 5
    assert list(source) == []
    source.close()
    source.close()
    assert list(source) == []


def test_camera_source_can_share_the_frame_source_api():
    assert issubclass(VideoFileSource, FrameSource) and issubclass(ImageSource, FrameSource)


# ----------------------------------------------------------------------------- writing


@pytest.mark.parametrize("name", ["out.mkv", "out.mov", "out.gif", "out"])
def test_writer_refuses_formats_it_cannot_write(tmp_path, name):
    with pytest.raises(InputError, match=r"cannot write video to .*: use a \.mp4 or \.avi file name"):
        VideoWriter(tmp_path / name, 30, (W, H))
    assert not (tmp_path / name).exists()


def test_writer_refuses_missing_folder(tmp_path):
    target = tmp_path / "nope" / "out.mp4"
    with pytest.raises(InputError, match=f"cannot write {target}: folder .*nope does not exist"):
        VideoWriter(target, 30, (W, H))


def test_writer_rejects_frames_of_another_size_instead_of_dropping_them(tmp_path):
    with VideoWriter(tmp_path / "out.mp4", 30, (W, H)) as writer:
        writer.write(synthetic_frame(0))
        with pytest.raises(ValueError, match="frame is 100x50"):
            writer.write(np.zeros((50, 100, 3), np.uint8))
        writer.write(cv2.cvtColor(synthetic_frame(1), cv2.COLOR_BGR2GRAY))  # grey is fine
        assert writer.frames_written == 2
    with open_source(tmp_path / "out.mp4") as source:
        assert len(list(source)) == 2


def test_write_after_close_is_an_error(tmp_path):
    writer = VideoWriter(tmp_path / "out.avi", 30, (W, H))
    writer.close()
    writer.close()
    with pytest.raises(RuntimeError, match="closed"):
        writer.write(synthetic_frame(0))


def test_check_writable_accepts_a_new_file_without_creating_it(tmp_path):
    check_writable(tmp_path / "report.json")
    assert list(tmp_path.iterdir()) == []  # its trial file is gone too


def test_check_writable_tries_the_folder_a_real_write_would_meet():
    """/proc exists and, for root, passes every permission check, yet takes no files."""
    with pytest.raises(InputError) as err:
        check_writable("/proc/r.json")
    assert str(err.value) in (
        "cannot write /proc/r.json: /proc is not a folder files can be saved in (choose "
        "another path)",  # root
        "cannot write /proc/r.json: folder /proc is not writable (choose another path)")


@pytest.mark.parametrize("code, words", [
    (errno.ENOSPC, "No space left on device (free some space or choose another path)"),
    (errno.EDQUOT, "Disk quota exceeded (free some space or choose another path)"),
    (errno.EACCES, "permission denied (choose another path)"),
    (errno.EPERM, "permission denied (choose another path)"),
    (errno.EROFS, "the disk is read-only (choose another path)"),
    (errno.ENOENT, "{d} is not a folder files can be saved in (choose another path)"),
    (errno.EIO, "Input/output error (choose another path)"),
])
def test_a_failed_write_says_what_went_wrong_and_what_to_do(tmp_path, code, words):
    error = OSError(code, os.strerror(code))
    assert unwritable(tmp_path / "r.json", error) == words.format(d=tmp_path)
    assert unwritable(tmp_path / "gone" / "r.json", OSError(errno.ENOENT, "x")) == (
        f"folder {tmp_path}/gone does not exist (choose another path)")


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda d: d / "missing" / "r.json", "folder {d}/missing does not exist"),
        (lambda d: d, "it is a directory"),
        (lambda d: _text(d / "file.txt") / "r.json", "{d}/file.txt is not a folder"),
    ],
    ids=["missing-folder", "directory", "parent-is-file"],
)
def test_check_writable_names_the_problem(tmp_path, make, reason):
    path = make(tmp_path)
    with pytest.raises(InputError) as err:
        check_writable(path)
    assert str(err.value) == f"cannot write {path}: {reason.format(d=tmp_path)} (choose another path)"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_check_writable_read_only_folder(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(InputError, match="is not writable"):
            check_writable(folder / "r.json")
    finally:
        folder.chmod(0o700)


# ----------------------------------------------------------------------------- stderr trap


def test_stderr_trap_hides_and_keeps_what_c_code_prints(capfd):
    trap = StderrTrap()
    with trap:
        os.write(2, b"[h264 @ 0x55aa] Invalid NAL unit size\n")
    with trap:
        os.write(2, b"second\n")
    os.write(2, b"visible\n")
    assert capfd.readouterr().err == "visible\n"
    assert trap.text() == "[h264 @ 0x55aa] Invalid NAL unit size\nsecond\n"
    trap.close()


@pytest.mark.parametrize(
    "text, line",
    [
        ("INFO: chatter\nERROR: The model is not a valid Flatbuffer buffer\n", "The model is not a valid Flatbuffer buffer"),
        ("E0000 00:00:1795.1 6346 calc.cc:467] RET_CHECK failure x == 4\nStack trace:\n    @     0x7f  absl()\n",
         "RET_CHECK failure x == 4"),
        ("[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55c31c1b4a80] moov atom not found\n", "moov atom not found"),
        ("[ WARN:0@0.027] global cap_ffmpeg.cpp:219 write FFmpeg: Failed to write frame\n", "write FFmpeg: Failed to write frame"),
        ("\n  \nINFO: only chatter\n", ""),
    ],
)
def test_meaningful_line(text, line):
    assert meaningful_line(text) == line
