"""Frames in and pictures out: still images, video files and the annotated-video writer.

Only OpenCV is used here. A source is opened with `open_source(path)` and iterated once, like
a file, yielding `(frame_bgr, t_s)`:

    with open_source("clip.mp4") as source:
        for frame, t_s in source:
            ...
        if source.truncated:
            ...

Every error a user can cause (missing, empty, unreadable or truncated file; unwritable output)
is an `InputError` with a one-line message saying what is wrong and what to do.

A live camera fits the same shape: a `CameraSource(index)` would subclass `FrameSource`, open
`cv2.VideoCapture(index)`, yield frames with timestamps from a clock passed in (a camera's
POS_MSEC is not reliable), and leave `frame_count` as None. It is not written yet.

FFmpeg and OpenCV print their own diagnostics ("moov atom not found", "partial file", ...)
straight to file descriptor 2; those are trapped with `StderrTrap` so a user sees only the
one-line message, and `truncated` tells the caller when a video stopped early.
"""

from __future__ import annotations

import math
import os
import re
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import cv2
import numpy as np

from posecheck.io.files import try_creating_in, unreadable, unwritable

IMAGE_EXTS: frozenset[str] = frozenset({".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"})
VIDEO_EXTS: frozenset[str] = frozenset(
    {".mp4", ".m4v", ".mov", ".avi", ".mkv", ".webm", ".gif", ".mpg", ".mpeg", ".wmv", ".flv", ".3gp"}
)
#: Output extension -> FourCC code cv2.VideoWriter can encode with OpenCV's bundled FFmpeg.
WRITER_FOURCC: dict[str, str] = {".mp4": "mp4v", ".avi": "MJPG"}
#: What a photo's annotated copy may be written as (`write_image`).
PICTURE_EXTS = frozenset({".png", ".jpg", ".jpeg"})

DEFAULT_FPS = 30.0
MAX_FPS = 1000.0
#: A gap between two frames' container timestamps longer than this is treated as broken.
MAX_FRAME_GAP_S = 10.0
#: A slow animated GIF (frames shown longer than this on average) is sampled at this rate, as
#: a camera filming the screen would: each frame counts for as long as it is shown.
GIF_SAMPLE_FPS = 10.0
_UNSUPPORTED = "is it a video file? supported: mp4, mov, avi, mkv, webm, gif and common image formats"
#: Frames larger than this (50 megapixels, e.g. 8192x6144) are refused: one takes seconds and
#: a gigabyte to judge, and the pose model sees a 256-pixel copy anyway.
MAX_PIXELS = 50_000_000
#: How image files begin: a photo with a video's name is read as the photo it is.
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"BM", b"II*\x00", b"MM\x00*")


class InputError(Exception):
    """A file the user named cannot be read or written; the message says what to do."""


class StderrTrap:
    """Redirects file descriptor 2 into a temporary file while active.

    C and C++ libraries (FFmpeg, OpenCV, MediaPipe's core) write their diagnostics straight to
    file descriptor 2, which Python's `sys.stderr` cannot intercept. Use `with trap:` around
    such calls (as often as needed: the same file collects everything), then `text()` or
    `last_line()` to show what was said when something really failed. The redirection is
    process-wide: traps active at the same time (threads: capture and detection) share it,
    the first one's file collecting what is said, and fd 2 comes back when the last leaves.
    """

    _lock = threading.Lock()
    _active = 0
    _saved_fd: int | None = None

    def __init__(self) -> None:
        self._file = None

    def __enter__(self) -> "StderrTrap":
        if self._file is None:
            self._file = tempfile.TemporaryFile()
        cls = StderrTrap
        with cls._lock:
            if cls._active == 0:
                _flush_stderr()
                try:
                    cls._saved_fd = os.dup(2)
                except OSError:  # no file descriptor 2 at all: nothing to trap
                    cls._saved_fd = None
                if cls._saved_fd is not None:
                    os.dup2(self._file.fileno(), 2)
            cls._active += 1
        return self

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        cls = StderrTrap
        with cls._lock:
            cls._active -= 1
            if cls._active == 0 and cls._saved_fd is not None:
                _flush_stderr()
                os.dup2(cls._saved_fd, 2)
                os.close(cls._saved_fd)
                cls._saved_fd = None

    def text(self) -> str:
        """Everything written to file descriptor 2 while trapped, so far."""
        if self._file is None:
            return ""
        self._file.flush()
        self._file.seek(0)
        data = self._file.read()
        self._file.seek(0, os.SEEK_END)
        return data.decode("utf-8", errors="replace")

    def last_line(self) -> str:
        """The last line of `text()` that says something (see `meaningful_line`)."""
        return meaningful_line(self.text())

    def close(self) -> None:
        """Drops the temporary file."""
        if self._file is not None:
            self._file.close()
            self._file = None


#: Prefixes that glog, OpenCV and FFmpeg put in front of a message.
_LOG_PREFIX = re.compile(
    r"^(?:[IWEF]\d{4} [\d:.]+\s+\d+ [^\]]*\] "  # glog: E0000 00:00:17.1 123 file.cc:12]
    r"|\[ *(?:WARN|ERROR|INFO)[^\]]*\] (?:global )?(?:\S+:\d+ )?"  # OpenCV: [ WARN:0@0.02] global x.cpp:1
    r"|\[[\w,]+ @ 0x[0-9a-f]+\] "  # FFmpeg: [h264 @ 0x55...]
    r"|(?:ERROR|WARNING|INFO): )"
)
_NOISE = re.compile(r"^(?:@ |Stack trace|=== |\(unknown\)|third_party/|INFO|WARNING: Logging before)")


def meaningful_line(text: str) -> str:
    """The last line of a library's stderr or error text that says something, prefix removed.

    Stack-trace frames, source-location lists, blank lines and INFO chatter are skipped; glog,
    OpenCV and FFmpeg prefixes are cut off. Returns "" when nothing is left.
    """
    for raw in reversed(text.splitlines()):
        line = raw.strip()
        if not line or _NOISE.match(line):
            continue
        return _LOG_PREFIX.sub("", line).strip()
    return ""


def _flush_stderr() -> None:
    try:
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):
        pass


# ----------------------------------------------------------------------------- sources


class FrameSource:
    """Frames of one input, in order, each with its time in seconds from the start.

    Attributes: `path`, `is_image`, `fps` (the container's frame rate, DEFAULT_FPS when it gives
    none or an absurd one; the sampling rate for a slow GIF), `frame_count` (the container's
    claim, None when unknown), `width`, `height` (of the decoded frames), `frames_read` (so
    far). Iterate once (like a file): yields `(frame_bgr, t_s)`, frame_bgr a (height, width,
    3) uint8 array. Release with `close()` or a `with` block. Subclasses implement
    `_frames()`.
    """

    is_image = False

    def __init__(self, path: Path, fps: float, frame_count: int | None, width: int, height: int) -> None:
        self.path = path
        self.fps = fps
        self.frame_count = frame_count
        self.width = width
        self.height = height
        self.frames_read = 0
        self._exhausted = False

    def __iter__(self) -> Iterator[tuple[np.ndarray, float]]:
        for frame, t_s in self._frames():
            self.frames_read += 1
            yield frame, t_s
        self._exhausted = True

    def _frames(self) -> Iterator[tuple[np.ndarray, float]]:
        raise NotImplementedError

    @property
    def truncated(self) -> bool:
        """True when decoding ran to its end well short of the frames the container claims.

        "Well short": fewer than 90 % of the claimed frames and at least 3 fewer (containers
        are often off by a frame or two). False until iteration has run to its end (a loop
        left early is not truncation), and when the container claims nothing.
        """
        claimed = self.frame_count
        if not self._exhausted or claimed is None:
            return False
        return self.frames_read < 0.9 * claimed and claimed - self.frames_read >= 3

    def close(self) -> None:
        """Releases the file; further iteration yields nothing."""

    def __enter__(self) -> "FrameSource":
        return self

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        kind = "image" if self.is_image else "video"
        return f"<{type(self).__name__} {kind} {self.path} {self.width}x{self.height} @ {self.fps:g} fps>"


class ImageSource(FrameSource):
    """A still image: one frame at t = 0 s."""

    is_image = True

    def __init__(self, path: Path, image: np.ndarray) -> None:
        height, width = image.shape[:2]
        super().__init__(path, DEFAULT_FPS, 1, width, height)
        self._image: np.ndarray | None = image

    def _frames(self) -> Iterator[tuple[np.ndarray, float]]:
        image, self._image = self._image, None
        if image is not None:
            yield image, 0.0

    def close(self) -> None:
        """Drops the decoded image."""
        self._image = None


class FrameClock:
    """The times of a video's frames in seconds, from their container timestamps (ms, as
    CAP_PROP_POS_MSEC gives them after each read), called once per frame in order: the rule
    of `VideoFileSource`. Anything that reads a file's frames another way (a stretch at a
    time: `posecheck.io.segment`) gets the same times from the same timestamps."""

    def __init__(self, fps: float) -> None:
        self.fps = fps
        self._last_t: float | None = None

    def __call__(self, pos_ms: float) -> float:
        prev = self._last_t
        t_s = pos_ms / 1000.0 if math.isfinite(pos_ms) else math.nan
        if prev is None:
            t = t_s if math.isfinite(t_s) and 0.0 <= t_s <= MAX_FRAME_GAP_S else 0.0
        elif math.isfinite(t_s) and prev < t_s <= prev + MAX_FRAME_GAP_S:
            t = t_s
        else:
            t = prev + 1.0 / self.fps
        self._last_t = t
        return t


class VideoFileSource(FrameSource):
    """A video file (or animated GIF) read with cv2.VideoCapture.

    Timestamp rule: a frame's time is its own container timestamp (CAP_PROP_POS_MSEC after the
    read, so variable-frame-rate videos and GIFs with uneven delays keep their real timing)
    when that is finite, later than the previous frame's and no more than MAX_FRAME_GAP_S
    after it; otherwise it is the previous frame's time plus 1/fps (the first frame: 0). With
    no usable timestamps at all this is exactly index / fps. Times are strictly increasing.
    """

    def __init__(self, path: Path, capture: cv2.VideoCapture, first: np.ndarray, trap: StderrTrap) -> None:
        height, width = first.shape[:2]
        super().__init__(path, _sane_fps(capture.get(cv2.CAP_PROP_FPS)),
                         _sane_count(capture.get(cv2.CAP_PROP_FRAME_COUNT)), width, height)
        # a slow GIF is resampled: `fps` becomes the sampling rate; the last frame is shown
        # for one of the GIF's mean frame delays
        self._decoded_fps = self.fps
        self._last_shown_s: float | None = None
        if _is_gif(path) and self.fps < GIF_SAMPLE_FPS:
            self._last_shown_s, self.fps = 1.0 / self.fps, GIF_SAMPLE_FPS
        self._capture: cv2.VideoCapture | None = capture
        self._first: np.ndarray | None = first
        self._first_ms = capture.get(cv2.CAP_PROP_POS_MSEC)
        self._trap = trap
        self._clock = FrameClock(self._decoded_fps)

    def _frames(self) -> Iterator[tuple[np.ndarray, float]]:
        if self._first is not None:
            first, self._first = self._first, None
            yield first, self._stamp(self._first_ms)
        while self._capture is not None:
            with self._trap:
                ok, frame = self._capture.read()
                pos_ms = self._capture.get(cv2.CAP_PROP_POS_MSEC) if ok else math.nan
            if not ok or frame is None:
                return
            yield frame, self._stamp(pos_ms)

    def __iter__(self) -> Iterator[tuple[np.ndarray, float]]:
        frames = super().__iter__()
        if self._last_shown_s is None:
            yield from frames
        else:
            yield from sample_shown(frames, self.fps, self._last_shown_s)

    @property
    def resampled(self) -> bool:
        """True for a slow GIF, whose frames are sampled at `fps` (some shown twice)."""
        return self._last_shown_s is not None

    def _stamp(self, pos_ms: float) -> float:
        """The frame's time in seconds under the rule in the class docstring."""
        return self._clock(pos_ms)

    def close(self) -> None:
        """Releases the capture."""
        if self._capture is not None:
            with self._trap:
                self._capture.release()
            self._capture = None
        self._first = None
        self._trap.close()


def sample_shown(frames: Iterator[tuple[np.ndarray, float]], fps: float, last_shown_s: float
                 ) -> Iterator[tuple[np.ndarray, float]]:
    """Frames resampled at `fps` (times k / fps from the first frame's): each sample is the
    frame on show at that moment, a frame being shown until the next one's time, the last for
    `last_shown_s`. A frame shown for less than 1 / fps may fall between samples."""
    step = 1.0 / fps
    k = 0
    shown: tuple[np.ndarray, float] | None = None
    for frame, t in frames:
        if shown is None:
            k = math.ceil(t / step - 1e-9)
        while shown is not None and k * step < t - 1e-9:
            yield shown[0], k * step
            k += 1
        shown = (frame, t)
    if shown is not None:
        while k * step < shown[1] + last_shown_s - 1e-9:
            yield shown[0], k * step
            k += 1


def _sane_fps(fps: float) -> float:
    """The container's frame rate, or DEFAULT_FPS when it is missing, NaN or absurd."""
    return fps if math.isfinite(fps) and 0.0 < fps <= MAX_FPS else DEFAULT_FPS


def _sane_count(count: float) -> int | None:
    """The container's frame count, or None when it is unknown or absurd (GIFs give -3e16)."""
    return int(count) if math.isfinite(count) and 1 <= count < 1e8 else None


def open_source(path: str | os.PathLike[str]) -> FrameSource:
    """Opens a still image or a video file for reading.

    Video extensions and GIFs are read with cv2.VideoCapture (a GIF that yields no frames
    falls back to imread, as one still image), unless the file begins like a PNG, JPEG, BMP or
    TIFF: a photo with a video's name is read as the photo. Anything else is an image if
    imread decodes it, else a video (a video named .png is still a video). The first frame is
    decoded here, so a file that opens but holds no frame fails now.

    Raises InputError for a missing file, a directory, an empty file, an undecodable file,
    a video with no decodable frames, and frames over MAX_PIXELS.
    """
    p = Path(path)
    _check_readable(p)
    ext = p.suffix.lower()
    if (ext in VIDEO_EXTS or _is_gif(p)) and not _starts_like_image(p):
        return _open_video(p)
    image = _imread(p)  # an image by name or by content; else sniffed as a video
    if image is not None:
        _check_size(p, image.shape[1], image.shape[0])
        return ImageSource(p, image)
    if ext not in IMAGE_EXTS:
        return _open_video(p)
    try:  # a video named like an image
        return _open_video(p)
    except InputError:
        raise InputError(f"cannot read {p} as a video or image ({_UNSUPPORTED})") from None


def _imread(p: Path) -> np.ndarray | None:
    """cv2.imread as BGR, with OpenCV's complaints about undecodable files kept off stderr."""
    trap = StderrTrap()
    try:
        with trap:
            return cv2.imread(str(p), cv2.IMREAD_COLOR)
    finally:
        trap.close()


def _check_readable(p: Path) -> None:
    """Raises InputError unless `p` is an existing, non-empty, readable file."""
    problem = unreadable(p)
    if problem:
        raise InputError({"directory": f"{p} is a directory, not a video or image",
                          "missing": f"no such file: {p}",
                          "denied": f"cannot read {p}: permission denied",
                          "empty": f"{p} is empty (0 bytes)"}[problem])


def _starts_like_image(p: Path) -> bool:
    with open(p, "rb") as f:
        return f.read(8).startswith(IMAGE_MAGIC)


def _check_size(p: Path, width: float, height: float) -> None:
    """Raises InputError for frames over MAX_PIXELS (sizes a container claims may be NaN)."""
    if width * height > MAX_PIXELS:
        raise InputError(f"{p} is {int(width)}x{int(height)} pixels, too large to analyse "
                         f"(at most {MAX_PIXELS // 1_000_000} megapixels): scale it down "
                         "first, e.g. to 1920 pixels wide")


def _is_gif(p: Path) -> bool:
    try:
        with open(p, "rb") as f:
            return f.read(4) == b"GIF8"
    except OSError:
        return False


def _open_video(p: Path) -> FrameSource:
    """A VideoFileSource with its first frame decoded, or the GIF fallback, or InputError."""
    trap = StderrTrap()
    with trap:
        capture = cv2.VideoCapture(str(p))
        opened = capture.isOpened()
        ok, first = capture.read() if opened else (False, None)
    if ok and first is not None:
        try:
            _check_size(p, first.shape[1], first.shape[0])
        except InputError:
            capture.release()
            trap.close()
            raise
        return VideoFileSource(p, capture, first, trap)
    with trap:
        capture.release()
    trap.close()
    if _is_gif(p):
        image = _imread(p)
        if image is not None:
            return ImageSource(p, image)
    raise InputError(_unreadable_message(p, opened))


def _unreadable_message(p: Path, opened: bool) -> str:
    """Why a video file gave no frame, as the user should hear it."""
    if opened:
        return f"{p} has no decodable frames (corrupt or truncated?)"
    boxes = _mp4_boxes(p)
    if boxes and boxes[0] == b"ftyp" and b"moov" in boxes:
        return f"{p} holds no video frames (an empty recording?): record again"
    if boxes and boxes[0] == b"ftyp":
        return (f"{p} is an incomplete MP4/MOV: its index ('moov' atom) is missing "
                "(truncated download or unfinished recording?)")
    return f"cannot read {p} as a video or image ({_UNSUPPORTED})"


def _mp4_boxes(p: Path, limit: int = 64) -> list[bytes]:
    """The types of an MP4/MOV file's top-level boxes, read from their 8-byte headers
    (up to `limit` boxes; a box whose size runs past the end of the file is still listed)."""
    boxes: list[bytes] = []
    end = p.stat().st_size
    with open(p, "rb") as f:
        while len(boxes) < limit and f.tell() + 8 <= end:
            start = f.tell()
            head = f.read(8)
            size, kind = int.from_bytes(head[:4], "big"), head[4:8]
            if size == 1:  # a 64-bit size follows the type
                size = int.from_bytes(f.read(8), "big")
            boxes.append(kind)
            if size == 0 or size < 8:  # runs to the end of the file, or nonsense
                break
            f.seek(start + size)
    return boxes


# ----------------------------------------------------------------------------- output


def check_writable(path: str | os.PathLike[str]) -> None:
    """Raises InputError unless a file can be written at `path` (checked before a long run).

    Nothing is left behind (an empty file is made and removed in the folder, to meet what a
    real write would: a system folder like /proc, a read-only disk). Reasons: the path is a
    directory, its folder is missing or not a folder, the folder is not writable, the file
    exists and is read-only, or the folder takes no new files.
    """
    p = Path(path)
    folder = p.parent
    reason = None
    if p.is_dir():
        reason = "it is a directory"
    elif p.exists() and not p.is_file():  # a device or pipe (/dev/stdout): no folder needed
        reason = None if os.access(p, os.W_OK) else "permission denied"
    elif not folder.exists():
        reason = f"folder {folder} does not exist"
    elif not folder.is_dir():
        reason = f"{folder} is not a folder"
    elif not os.access(folder, os.W_OK | os.X_OK):
        reason = f"folder {folder} is not writable"
    elif p.exists() and not os.access(p, os.W_OK):
        reason = "the file is read-only"
    if reason:
        raise InputError(f"cannot write {p}: {reason} (choose another path)")
    if p.exists() and not p.is_file():
        return
    try:
        try_creating_in(folder)
    except OSError as exc:
        raise InputError(f"cannot write {p}: {unwritable(p, exc)}") from None


def check_video_path(path: str | os.PathLike[str], photo: bool = False) -> None:
    """Raises InputError unless an annotated video (or, for a `photo`, a picture) can be
    written at `path`: its extension, then `check_writable`."""
    suffix = Path(path).suffix.lower()
    if suffix not in WRITER_FOURCC and not (photo and suffix in PICTURE_EXTS):
        names = ".mp4, .avi, .png or .jpg" if photo else ".mp4 or .avi"
        raise InputError(f"cannot write video to {path}: use a {names} file name")
    check_writable(path)


def write_image(path: str | os.PathLike[str], picture: np.ndarray) -> None:
    """Write one picture (a photo's annotated copy); the format follows the file name."""
    if not cv2.imwrite(str(path), picture):
        raise InputError(f"cannot write {path}: use a .png or .jpg file name")


class VideoWriter:
    """Writes BGR frames of one size to a .mp4 ('mp4v') or .avi ('MJPG') file.

    `VideoWriter(path, fps, size)` with size = (width, height); `write(frame)`; `close()` or a
    `with` block. Problems with the path are InputError, raised before anything is written.
    """

    def __init__(self, path: str | os.PathLike[str], fps: float, size: tuple[int, int]) -> None:
        self.path = Path(path)
        check_video_path(self.path)
        fourcc = WRITER_FOURCC[self.path.suffix.lower()]
        self.size = (int(size[0]), int(size[1]))
        if min(self.size) <= 0:
            raise ValueError(f"video size must be positive, got {size}")
        self.fps = _sane_fps(float(fps))
        self.frames_written = 0
        self._writer: cv2.VideoWriter | None = self._open(fourcc)

    def _open(self, fourcc: str) -> cv2.VideoWriter:
        trap = StderrTrap()
        with trap:
            writer = cv2.VideoWriter(str(self.path), cv2.VideoWriter_fourcc(*fourcc), self.fps, self.size)
        reason = trap.last_line()
        trap.close()
        if not writer.isOpened():
            detail = f": {reason}" if reason else ""
            raise InputError(f"cannot write video to {self.path}{detail} (choose another path)")
        return writer

    def write(self, frame: np.ndarray) -> None:
        """Appends one frame; it must be (height, width) of `size`, BGR or grayscale uint8.

        OpenCV silently drops frames of another size, so that is a ValueError here.
        """
        if self._writer is None:
            raise RuntimeError(f"video writer for {self.path} is closed")
        if frame.ndim == 2:
            frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
        height, width = frame.shape[:2]
        if (width, height) != self.size:
            raise ValueError(f"frame is {width}x{height}, but {self.path} is {self.size[0]}x{self.size[1]}")
        self._writer.write(np.ascontiguousarray(frame, dtype=np.uint8))
        self.frames_written += 1

    def close(self) -> None:
        """Finishes the file (safe to call twice)."""
        if self._writer is not None:
            self._writer.release()
            self._writer = None

    def __enter__(self) -> "VideoWriter":
        return self

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
