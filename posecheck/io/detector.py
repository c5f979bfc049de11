"""The MediaPipe edge: frames in, `Landmarks` (pixels) out. The only module importing mediapipe.

mediapipe is imported inside `Detector()`, so importing this module is cheap.

    with Detector() as detector:            # the bundled model, VIDEO mode
        for frame, t_s in source:
            landmarks = detector.detect(frame, t_s)   # Landmarks or None

MediaPipe's C++ core writes ~45 lines of INFO/WARNING chatter to file descriptor 2 when a model
is created, three more warnings during the first detections ("Logging before InitGoogle()",
"Input tensor memory is not aligned ...", "Using NORM_RECT without IMAGE_DIMENSIONS ...") and
two lines when it is closed. Those moments run with stderr trapped (`StderrTrap`); when they
fail, the trapped text's last meaningful line goes into the error message. Once a pose has
been found the core has said all it says once, and later frames run untrapped (measured
silent over whole clips).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.resources
import importlib.util
import atexit
import os
import sys
import threading
import weakref
import zipfile
from pathlib import Path
from types import TracebackType
from typing import Any

import cv2
import numpy as np

from posecheck.core.landmarks import Landmarks
from posecheck.io.files import unreadable
from posecheck.io.video import StderrTrap, meaningful_line

MODEL_FILE = "pose_landmarker_full.task"
#: The two models a pose-landmarker .task bundle (an uncompressed zip) holds.
TASK_MEMBERS = ("pose_detector.tflite", "pose_landmarks_detector.tflite")
MODES = ("video", "image")
_HINT = "pass --model PATH to a pose-landmarker .task file"


class ModelError(Exception):
    """The pose model file is missing, unreadable or not a pose-landmarker model."""


def default_model_path() -> Path:
    """The bundled pose model: inside the installed package, else in the source checkout."""
    packaged = Path(str(importlib.resources.files("posecheck"))) / "models" / MODEL_FILE
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "models" / MODEL_FILE


def check_model_file(path: Path) -> None:
    """Raises ModelError unless `path` is a readable file that looks like a .task bundle.

    Only the zip directory is read; the model itself is checked by mediapipe when loaded.
    """
    problem = unreadable(path)
    if problem:
        raise ModelError({
            "directory": f"{path} is a directory, not a model file ({_HINT})",
            "missing": f"model file not found: {path} ({_HINT})",
            "denied": f"cannot read model file {path}: permission denied",
            "empty": f"{path} is not a pose-landmarker .task model: the file is empty (0 bytes)",
        }[problem])
    reason = _bundle_problem(path)
    if reason:
        raise ModelError(f"{path} is not a pose-landmarker .task model: {reason}")


def _bundle_problem(path: Path) -> str | None:
    """Why the file is not a .task bundle (a zip of TASK_MEMBERS), or None when it looks like one."""
    try:
        with zipfile.ZipFile(path) as bundle:
            names = bundle.namelist()
    except (zipfile.BadZipFile, OSError):
        return f"not a zip archive (a .task file bundles {' and '.join(TASK_MEMBERS)})"
    missing = [name for name in TASK_MEMBERS if name not in names]
    if missing:
        held = f"it holds: {', '.join(names[:5])}" if names else "it holds no files"
        return f"it lacks {' and '.join(missing)} ({held})"
    return None


def _reason(error: BaseException, trapped: str) -> str:
    """A short, one-line reason from a mediapipe error and the stderr trapped around it."""
    reason = meaningful_line(str(error)) or meaningful_line(trapped) or type(error).__name__
    if "failed: " in reason:  # graph errors: "Calculator::Process() for node ... failed: WHY"
        reason = reason.rsplit("failed: ", 1)[1]
    reason = reason.rstrip(".")
    return reason if len(reason) <= 200 else reason[:197] + "..."


def _not_a_model(path: Path, error: BaseException, trapped: str) -> ModelError:
    return ModelError(f"{path} is not a pose-landmarker .task model: {_reason(error, trapped)}")


#: Modules mediapipe's package imports that pose detection never uses: its drawing helpers,
#: which import matplotlib.pyplot (about 1.5 s of a 2.5 s start-up). They are loaded lazily,
#: on first use, if anything ever uses them.
LAZY_MODULES = frozenset({"mediapipe.tasks.python.vision.drawing_utils",
                          "mediapipe.tasks.python.vision.drawing_styles"})


class _LazyFinder(importlib.abc.MetaPathFinder):
    """Finds LAZY_MODULES as usual, with a loader that runs them only on first attribute use."""

    def find_spec(self, name, path, target=None):
        if name not in LAZY_MODULES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return None
        spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


def import_mediapipe() -> None:
    """Imports mediapipe with LAZY_MODULES left unloaded until something uses them."""
    if "mediapipe" in sys.modules:
        return
    finder = _LazyFinder()
    sys.meta_path.insert(0, finder)
    try:
        import mediapipe  # noqa: F401
    finally:
        sys.meta_path.remove(finder)


def _create_landmarker(path: Path, mode: str, num_poses: int, detection: float,
                       presence: float, tracking: float, trap: StderrTrap,
                       masks: bool = False) -> Any:
    """A mediapipe PoseLandmarker loaded from the .task file as it is, its chatter trapped."""
    import_mediapipe()
    from mediapipe.tasks.python import BaseOptions, vision

    running_mode = vision.RunningMode.VIDEO if mode == "video" else vision.RunningMode.IMAGE
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(path)),
        running_mode=running_mode,
        num_poses=num_poses,
        min_pose_detection_confidence=detection,
        min_pose_presence_confidence=presence,
        min_tracking_confidence=tracking,
        output_segmentation_masks=masks,
    )
    try:
        with trap:
            return vision.PoseLandmarker.create_from_options(options)
    except (RuntimeError, ValueError, OSError) as error:
        raise _not_a_model(path, error, trap.text()) from None


#: Landmarkers of detectors that were never closed, waiting to be closed. The garbage
#: collector may drop a detector on any thread, even inside another landmarker's call,
#: where closing it would wait on the lock that call holds (mediapipe's dispatcher): so a
#: dropped detector's landmarker is only put here, and closed when the next detector is made
#: or closed, or at exit (with the detectors still open).
_ORPHANS: list[Any] = []
_ORPHANS_LOCK = threading.Lock()
_OPEN: weakref.WeakSet = weakref.WeakSet()


def _orphan(landmarker: Any) -> None:
    with _ORPHANS_LOCK:
        _ORPHANS.append(landmarker)


def _close_orphans() -> None:
    with _ORPHANS_LOCK:
        orphans = list(_ORPHANS)
        _ORPHANS.clear()
    for landmarker in orphans:
        _close_landmarker(landmarker)


def _close_all() -> None:
    for detector in list(_OPEN):
        detector.close()
    _close_orphans()


atexit.register(_close_all)


def _close_landmarker(landmarker: Any) -> None:
    """Closes a PoseLandmarker quietly; never raises (also runs at interpreter exit).

    After a failed graph run mediapipe's close() raises the same error again and leaves the
    handle set, so its own __del__ would print "Exception ignored" at exit: drop the handle.
    """
    trap = StderrTrap()
    try:
        with trap:
            landmarker.close()
    except Exception:  # the error was already reported by the call that failed
        if hasattr(landmarker, "_handle"):
            landmarker._handle = None
    finally:
        trap.close()


def _check_unit(name: str, value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1, got {value}")
    return float(value)


def _to_rgb(frame: np.ndarray) -> np.ndarray:
    """A contiguous RGB uint8 copy of a BGR, BGRA or grayscale frame."""
    if frame.dtype != np.uint8 or frame.ndim not in (2, 3) or min(frame.shape[:2]) == 0:
        raise ValueError(f"frame must be a non-empty uint8 image array, got {frame.dtype} {frame.shape}")
    if frame.ndim == 2:
        return cv2.cvtColor(frame, cv2.COLOR_GRAY2RGB)
    channels = frame.shape[2]
    if channels == 3:
        return cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
    if channels == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2RGB)
    raise ValueError(f"frame must have 1, 3 or 4 channels, got {channels}")


def _bbox_area(xyz: np.ndarray) -> float:
    span = xyz[:, :2].max(axis=0) - xyz[:, :2].min(axis=0)
    return float(span[0] * span[1])


def _to_landmarks(pose: list, world: list | None, width: int, height: int) -> Landmarks:
    """One person's mediapipe landmarks converted to pixels (the one conversion in posecheck)."""
    xyz = np.array([(lm.x * width, lm.y * height, lm.z * width) for lm in pose], dtype=float)
    visibility = np.array([_score(lm) for lm in pose], dtype=float)
    world_xyz = np.array([(lm.x, lm.y, lm.z) for lm in world], dtype=float) if world else None
    return Landmarks(xyz=xyz, visibility=visibility, width=width, height=height, world=world_xyz)


def _score(lm: Any) -> float:
    """The landmark's visibility, else its presence, else 1 (the model gave no score)."""
    for value in (lm.visibility, lm.presence):
        if value is not None:
            return float(value)
    return 1.0


class Detector:
    """Finds the pose in frames with a MediaPipe PoseLandmarker.

    mode "video" tracks between frames (faster, steadier; timestamps must increase), "image"
    treats every frame on its own. With num_poses > 1 the largest person (bounding box of the
    landmarks) is returned and `last_count` says how many were found; `crowd` is (the most
    people found in one frame, the frames with more than one) so far. With `masks`, the model
    also outlines the person: `last_mask` is that person's mask (H x W, 0-1, float32), None
    when nobody was found. Use as a context manager or call `close()`; a detector left open is
    closed when garbage-collected or at exit.
    """

    def __init__(self, model_path: str | os.PathLike[str] | None = None, mode: str = "video",
                 num_poses: int = 1, min_detection_confidence: float = 0.5,
                 min_presence: float = 0.5, min_tracking: float = 0.5, masks: bool = False) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        if num_poses < 1:
            raise ValueError(f"num_poses must be at least 1, got {num_poses}")
        self.model_path = Path(model_path) if model_path is not None else default_model_path()
        self.mode = mode
        self.num_poses = int(num_poses)
        self.last_count = 0
        self.masks = bool(masks)
        self.last_mask: np.ndarray | None = None
        self.crowd = (0, 0)
        self._last_ms: int | None = None
        self._found_once = False
        check_model_file(self.model_path)
        thresholds = (_check_unit("min_detection_confidence", min_detection_confidence),
                      _check_unit("min_presence", min_presence), _check_unit("min_tracking", min_tracking))
        self._trap = StderrTrap()
        try:
            self._landmarker = _create_landmarker(self.model_path, mode, self.num_poses, *thresholds,
                                                  self._trap, self.masks)
        except BaseException:
            self._trap.close()
            raise
        self._finalizer = weakref.finalize(self, _orphan, self._landmarker)
        self._finalizer.atexit = False  # _close_all closes it, before the interpreter goes
        _OPEN.add(self)
        _close_orphans()

    def detect(self, frame_bgr: np.ndarray, t_s: float) -> Landmarks | None:
        """The (largest) person's landmarks in this frame, in pixels, or None when nobody is found.

        t_s is the frame's time in seconds (ignored in image mode). In video mode it becomes
        an integer millisecond timestamp, bumped by 1 ms when not later than the previous one.
        """
        if not self._finalizer.alive:
            raise RuntimeError("Detector is closed: create a new one to detect again")
        import mediapipe as mp

        rgb = _to_rgb(frame_bgr)
        height, width = rgb.shape[:2]
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb)
        result = self._run(image, t_s)
        self.last_count = len(result.pose_landmarks)
        if self.last_count > 1:
            self.crowd = (max(self.crowd[0], self.last_count), self.crowd[1] + 1)
        self.last_mask = None
        if not result.pose_landmarks:
            return None
        self._found_once = True
        return self._largest(result, width, height)

    def _run(self, image: Any, t_s: float) -> Any:
        """One landmarker call; trapped until a pose has been found once (see module doc)."""
        if self._found_once:
            return self._call(image, t_s)
        try:
            with self._trap:
                result = self._call(image, t_s)
        except RuntimeError as error:
            raise _not_a_model(self.model_path, error, self._trap.text()) from None
        return result

    def _call(self, image: Any, t_s: float) -> Any:
        if self.mode == "image":
            return self._landmarker.detect(image)
        return self._landmarker.detect_for_video(image, self._timestamp_ms(t_s))

    def _timestamp_ms(self, t_s: float) -> int:
        """Strictly increasing integer milliseconds for video mode."""
        ms = int(round(t_s * 1000.0))
        if self._last_ms is not None and ms <= self._last_ms:
            ms = self._last_ms + 1
        self._last_ms = ms
        return ms

    def _largest(self, result: Any, width: int, height: int) -> Landmarks:
        people = [
            _to_landmarks(pose, world, width, height)
            for pose, world in zip(result.pose_landmarks, _worlds(result))
        ]
        largest = max(range(len(people)), key=lambda i: _bbox_area(people[i].xyz))
        if self.masks and len(result.segmentation_masks or ()) == len(people):
            self.last_mask = np.array(result.segmentation_masks[largest].numpy_view(),
                                      dtype=np.float32).reshape(height, width)
        return people[largest]

    def close(self) -> None:
        """Releases the model (safe to call twice); detect() afterwards raises RuntimeError."""
        if self._finalizer.detach() is not None:
            _close_landmarker(self._landmarker)
        _close_orphans()
        self._trap.close()

    def __enter__(self) -> "Detector":
        return self

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def _worlds(result: Any) -> list:
    """World landmarks per person, None for each when the result has none."""
    worlds = list(result.pose_world_landmarks or [])
    return worlds if len(worlds) == len(result.pose_landmarks) else [None] * len(result.pose_landmarks)
