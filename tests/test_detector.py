"""The MediaPipe edge, with the bundled model on real photos and clips."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import cv2
import numpy as np
import pytest

from posecheck.core.landmarks import Landmarks
from posecheck.io.detector import Detector, ModelError, default_model_path

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
MALASANA = "malasana/correct/Fitness_App__Malasana.png"  # side view, 496x744
YOGI_SQUAT = "malasana/correct/ideal-bassoon__yogi-squat-min.webp"  # front view, 800x800
CLIP = "general/pose2sim__Demo_SinglePerson_cam01.mp4"
BODY = ("left_shoulder", "right_shoulder", "left_hip", "right_hip",
        "left_knee", "right_knee", "left_ankle", "right_ankle")


def realdata(rel: str) -> Path:
    if not REALDATA.is_dir():
        pytest.skip("../shared/realdata not found: real-footage tests need the shared folder beside the repo")
    return REALDATA / rel


def photo(rel: str) -> np.ndarray:
    image = cv2.imread(str(realdata(rel)))
    assert image is not None, rel
    return image


@pytest.fixture(scope="module")
def image_detector():
    with Detector(mode="image") as detector:
        yield detector


def test_bundled_model_is_found():
    path = default_model_path()
    assert path.name == "pose_landmarker_full.task" and path.is_file()


def test_importing_the_module_does_not_load_mediapipe():
    code = "import sys, posecheck.io.detector; print('mediapipe' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ----------------------------------------------------------------------------- on photos


def test_photo_gives_33_landmarks_in_pixels(image_detector):
    image = photo(MALASANA)
    height, width = image.shape[:2]
    lm = image_detector.detect(image, 0.0)
    assert isinstance(lm, Landmarks)
    assert (lm.width, lm.height) == (width, height)
    assert lm.xyz.shape == (33, 3) and lm.visibility.shape == (33,)
    for name in ("nose",) + BODY:
        assert lm.in_frame(name), name
    assert lm.px("nose")[1] < min(lm.px("left_hip")[1], lm.px("right_hip")[1])  # head above hips
    assert lm.px("left_hip")[1] > height / 2  # pixels, not normalised units
    assert np.all((lm.visibility >= 0) & (lm.visibility <= 1))
    assert lm.visibility.max() > 0.9
    assert image_detector.last_count == 1


def test_world_landmarks_are_metres_around_the_hips(image_detector):
    lm = image_detector.detect(photo(YOGI_SQUAT), 0.0)
    assert lm.world is not None
    hip_mid = (lm.world[23] + lm.world[24]) / 2
    assert np.linalg.norm(hip_mid) < 0.05  # origin between the hips
    hip_width = np.linalg.norm(lm.world[23] - lm.world[24])
    assert 0.1 < hip_width < 0.5  # an adult's hips, in metres
    assert lm.world[0, 1] < hip_mid[1]  # y down: the nose is above the hips


def test_blank_frame_finds_nobody(image_detector):
    assert image_detector.detect(np.zeros((480, 640, 3), np.uint8), 0.0) is None
    assert image_detector.last_count == 0


def test_mirrored_photo_gives_mirrored_landmarks(image_detector):
    image = photo(YOGI_SQUAT)
    width = image.shape[1]
    original = image_detector.detect(image, 0.0)
    flipped = image_detector.detect(cv2.flip(image, 1), 0.0)
    tolerance = 0.03 * width
    # the feet are far apart in this front view, so a left/right mix-up could not pass
    assert abs(original.px("left_ankle")[0] - original.px("right_ankle")[0]) > 4 * tolerance
    assert abs(flipped.px("left_ankle")[0] - (width - original.px("right_ankle")[0])) < tolerance
    back = flipped.mirrored()
    for name in BODY:
        assert np.abs(back.px(name) - original.px(name)).max() < tolerance, name


def test_side_view_flipped_faces_the_other_way(image_detector):
    image = photo(MALASANA)
    original = image_detector.detect(image, 0.0)
    flipped = image_detector.detect(cv2.flip(image, 1), 0.0)
    assert original.px("nose")[0] < original.px("left_ear")[0]  # faces left
    assert flipped.px("nose")[0] > flipped.px("right_ear")[0]  # faces right


def test_mask_outlines_the_person_found():
    """With masks on, the person's outline comes with the landmarks: it covers their hips
    and knees and not the frame's corners."""
    image = photo(YOGI_SQUAT)
    with Detector(mode="image", masks=True) as detector:
        lm = detector.detect(image, 0.0)
        mask = detector.last_mask
        assert mask.shape == image.shape[:2] and mask.dtype == np.float32
        for name in ("left_hip", "right_hip", "left_knee", "right_knee"):
            x, y = lm.px(name).astype(int)
            assert mask[y, x] > 0.5, name
        assert mask[:20, :20].max() < 0.5 and mask[-20:, -20:].max() < 0.5
        assert detector.detect(np.zeros((480, 640, 3), np.uint8), 0.0) is None
        assert detector.last_mask is None


def test_without_masks_there_is_no_mask(image_detector):
    image_detector.detect(photo(YOGI_SQUAT), 0.0)
    assert image_detector.last_mask is None


def test_several_people_returns_the_largest():
    big = photo(MALASANA)
    height, width = big.shape[:2]
    canvas = np.full((height, width + width // 2 + 40, 3), 255, np.uint8)
    canvas[:, :width] = big
    canvas[height // 2:, width + 40:] = cv2.resize(big, (width // 2, height // 2))
    with Detector(mode="image", num_poses=3, masks=True) as detector:
        lm = detector.detect(canvas, 0.0)
        assert detector.last_count == 2
        mask = detector.last_mask
    assert lm.px("nose")[0] < width and lm.px("left_ankle")[0] < width  # the big one, on the left
    x, y = lm.px("left_hip").astype(int)
    assert mask[y, x] > 0.5  # the mask is the big one's too
    small_hip = (width + 40 + x // 2, height // 2 + y // 2)
    assert mask[small_hip[1], small_hip[0]] < 0.5


@pytest.mark.parametrize("frame", [np.zeros((10, 10), np.float32), np.zeros((0, 10, 3), np.uint8),
                                   np.zeros((10, 10, 2), np.uint8)])
def test_frames_that_are_not_images_are_refused(image_detector, frame):
    with pytest.raises(ValueError, match="frame must"):
        image_detector.detect(frame, 0.0)


def test_grey_and_bgra_frames_are_accepted(image_detector):
    image = photo(YOGI_SQUAT)
    for frame in (cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), cv2.cvtColor(image, cv2.COLOR_BGR2BGRA)):
        lm = image_detector.detect(frame, 0.0)
        assert lm is not None and lm.in_frame("left_ankle")


# ----------------------------------------------------------------------------- video mode


def test_video_mode_tracks_a_clip_silently(capfd):
    capture = cv2.VideoCapture(str(realdata(CLIP)))
    frames = [capture.read()[1] for _ in range(20)]
    capture.release()
    with Detector() as detector:
        found = [detector.detect(frame, i / 60) for i, frame in enumerate(frames)]
        detector.detect(frames[0], 0.1)  # same or earlier time: bumped, not an error
        detector.detect(frames[0], 0.1)
    assert all(lm is not None for lm in found)
    steps = [np.linalg.norm(a.px("nose") - b.px("nose")) for a, b in zip(found, found[1:])]
    assert max(steps) < 0.05 * frames[0].shape[1]  # one person, tracked smoothly
    assert capfd.readouterr().err == ""  # model creation, first frames and close are quiet


def test_detect_after_close_is_a_clear_error():
    detector = Detector(mode="image")
    detector.close()
    detector.close()
    with pytest.raises(RuntimeError, match="Detector is closed"):
        detector.detect(np.zeros((64, 64, 3), np.uint8), 0.0)


def test_unclosed_detector_says_nothing_at_exit():
    code = textwrap.dedent(f"""
        import cv2
        from posecheck.io.detector import Detector
        detector = Detector()
        assert detector.detect(cv2.imread({str(realdata(MALASANA))!r}), 0.0) is not None
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""  # neither C++ chatter nor "Exception ignored in ... __del__"


@pytest.mark.parametrize("kwargs, message", [
    ({"mode": "live"}, "mode must be one of"),
    ({"num_poses": 0}, "num_poses must be at least 1"),
    ({"min_tracking": 1.5}, "min_tracking must be between 0 and 1"),
])
def test_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Detector(**kwargs)


# ----------------------------------------------------------------------------- bad model files


def _bundle(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as bundle:
        for name, data in members.items():
            bundle.writestr(name, data)
    return path


def _file(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _real_members() -> dict[str, bytes]:
    with zipfile.ZipFile(default_model_path()) as bundle:
        return {name: bundle.read(name) for name in bundle.namelist()}


HINT = "(pass --model PATH to a pose-landmarker .task file)"
NOT_A_MODEL = "{p} is not a pose-landmarker .task model: "


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda d: d / "missing.task", "model file not found: {p} " + HINT),
        (lambda d: d, "{p} is a directory, not a model file " + HINT),
        (lambda d: _file(d / "e.task", b""), NOT_A_MODEL + "the file is empty (0 bytes)"),
        (lambda d: _file(d / "t.task", b"hello"), NOT_A_MODEL + "not a zip archive"),
        (lambda d: _bundle(d / "z.task", {"readme.txt": b"x"}),
         NOT_A_MODEL + "it lacks pose_detector.tflite and pose_landmarks_detector.tflite (it holds: readme.txt)"),
        (lambda d: _bundle(d / "g.task", {"pose_detector.tflite": b"x" * 999, "pose_landmarks_detector.tflite": b"y"}),
         NOT_A_MODEL + "The model is not a valid Flatbuffer buffer"),
        (lambda d: _bundle(d / "c.task", {"pose_detector.tflite": b"x" * 999, "pose_landmarks_detector.tflite": b"y"},
                           zipfile.ZIP_DEFLATED),
         NOT_A_MODEL + "Expected uncompressed zip archive"),
    ],
    ids=["missing", "directory", "empty", "text", "other-zip", "garbage-models", "compressed"],
)
def test_bad_model_files_give_one_line_errors(tmp_path, capfd, make, expected):
    path = make(tmp_path)
    with pytest.raises(ModelError) as err:
        Detector(path)
    message = str(err.value)
    assert message.startswith(expected.format(p=path))
    assert "\n" not in message
    assert capfd.readouterr().err == ""


def test_wrong_models_inside_a_task_fail_on_first_frame_with_the_reason(tmp_path, capfd):
    members = _real_members()
    swapped = _bundle(tmp_path / "swapped.task", {
        "pose_detector.tflite": members["pose_landmarks_detector.tflite"],
        "pose_landmarks_detector.tflite": members["pose_detector.tflite"],
    })
    with Detector(swapped, mode="image") as detector:  # loads: the graph only fails when run
        with pytest.raises(ModelError) as err:
            detector.detect(photo(MALASANA), 0.0)
    assert str(err.value).startswith(f"{swapped} is not a pose-landmarker .task model: RET_CHECK failure")
    assert "\n" not in str(err.value)
    assert capfd.readouterr().err == ""


def test_detection_does_not_load_matplotlib_but_mediapipe_drawing_still_works():
    """mediapipe's package imports matplotlib.pyplot (for its drawing helpers, about 1.5 s of
    start-up); posecheck leaves those modules to load on first use."""
    script = textwrap.dedent("""
        import sys
        import numpy as np
        from posecheck.io.detector import Detector
        with Detector(mode="image") as detector:
            detector.detect(np.zeros((48, 64, 3), np.uint8), 0.0)
        print("matplotlib" in sys.modules)
        from mediapipe.tasks.python.vision import drawing_utils
        print(drawing_utils.DrawingSpec().thickness, "matplotlib" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "2", "True"]


def test_a_dropped_detector_is_closed_later_never_by_the_collector_mid_call():
    """The garbage collector may drop a detector inside another detector's call (on the
    detection thread); closing it there waited forever on mediapipe's dispatcher lock. A
    dropped detector's model is set aside and closed when the next detector is made."""
    import gc

    from posecheck.io import detector as module

    dropped = Detector()
    landmarker = dropped._landmarker
    del dropped
    gc.collect()
    assert landmarker in module._ORPHANS
    with Detector():
        assert landmarker not in module._ORPHANS
