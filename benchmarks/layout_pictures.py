"""Pictures of where the overlay puts its words, for a person to look at (docs/layout-*.jpg).

    python benchmarks/layout_pictures.py [--out docs] [--prefix layout]

A frame of each pose from the bundled samples (a fault or good form, mid-hold), cut or
letterboxed to 16:9, 4:3 and a phone's 9:16, at 480p and 1080p (the short side: a 9:16
phone at 1080p is 1080x1920), is judged through the real
model (the same picture for 4 s, so the pose is recognised and the hold runs), then drawn
as `analyze --out` draws it (`overlay.annotate`) and as the live window shows it
(`screen.compose`: mirrored, with the routine's step, the frame rate, the goal figure, and a
get-ready countdown on Malasana). One contact sheet per kind and height:
PREFIX-annotated-480.jpg, PREFIX-annotated-1080.jpg, PREFIX-live-1080.jpg.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.core.judge import Judge
from posecheck.core.poses import load_pose
from posecheck.core.smoothing import LandmarkSmoother
from posecheck.io.detector import Detector
from posecheck.report.overlay import annotate
from posecheck.report.screen import Extras, compose

SAMPLES = ROOT / "samples"
#: pose -> (clip, frame index): mid-hold, a fault showing where the clip has one
FRAMES = {"happy-baby": ("happy-baby-side-knees-straight.mp4", 60),
          "pigeon": ("pigeon-right-side-back-knee-bent.mp4", 55),
          "figure-four": ("figure-four-right-side-correct.mp4", 60),
          "malasana": ("malasana-front-elbows-out.mp4", 60)}
RATIOS = {"16x9": (16, 9), "4x3": (4, 3), "9x16": (9, 16)}
TILE_H = 300  # each picture's height on the sheet


def frame_of(clip: str, index: int) -> np.ndarray:
    capture = cv2.VideoCapture(str(SAMPLES / clip))
    capture.set(cv2.CAP_PROP_POS_FRAMES, index)
    ok, frame = capture.read()
    capture.release()
    if not ok:
        sys.exit(f"cannot read frame {index} of {clip}")
    return frame


def shaped(image: np.ndarray, aw: int, ah: int, height: int) -> np.ndarray:
    """The picture at aw:ah and `height`: cut to fill it, or, for a portrait frame from a
    landscape clip, fitted inside with grey above and below (a phone filming a room)."""
    h, w = image.shape[:2]
    width = round(height * aw / ah)
    if width / height < 0.8 * w / h:
        scaled = cv2.resize(image, (width, round(h * width / w)))
        out = np.full((height, width, 3), 60, np.uint8)
        top = (height - scaled.shape[0]) // 2
        out[top:top + scaled.shape[0]] = scaled
        return out
    s = max(width / w, height / h)
    scaled = cv2.resize(image, (round(w * s), round(h * s)))
    y, x = (scaled.shape[0] - height) // 2, (scaled.shape[1] - width) // 2
    return scaled[y:y + height, x:x + width]


def judged(image: np.ndarray, pose_name: str):
    judge, smoother, lm, result = Judge([load_pose(pose_name)]), LandmarkSmoother(), None, None
    with Detector(mode="video") as detector:
        for i in range(40):
            lm = detector.detect(image, i / 10)
            lm = smoother(lm, i / 10) if lm is not None else None
            result = judge.update(lm, i / 10)
    return lm, result


def sheet(pictures: list[tuple[str, np.ndarray]], path: Path) -> None:
    tiles = []
    for label, picture in pictures:
        tile = cv2.resize(picture, (round(picture.shape[1] * TILE_H / picture.shape[0]), TILE_H),
                          interpolation=cv2.INTER_AREA)
        cv2.putText(tile, label, (6, TILE_H - 8), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 255, 255),
                    1, cv2.LINE_AA)
        tiles.append(tile)
    rows = [np.hstack(tiles[i:i + 3]) for i in range(0, len(tiles), 3)]
    width = max(r.shape[1] for r in rows)
    rows = [np.hstack([r, np.zeros((TILE_H, width - r.shape[1], 3), np.uint8)]) for r in rows]
    cv2.imwrite(str(path), np.vstack(rows), [cv2.IMWRITE_JPEG_QUALITY, 85])
    print(f"wrote {path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs"), help="folder for the sheets")
    parser.add_argument("--prefix", default="layout", help="the sheets' file name prefix")
    args = parser.parse_args()
    out = Path(args.out)
    sheets: dict[str, list] = {"annotated-480": [], "annotated-1080": [], "live-1080": []}
    for pose, (clip, index) in FRAMES.items():
        base = frame_of(clip, index)
        for ratio, (aw, ah) in RATIOS.items():
            for lines in (480, 1080):
                height = lines if aw >= ah else round(lines * ah / aw)
                image = shaped(base, aw, ah, height)
                lm, result = judged(image, pose)
                label = f"{pose} {ratio} {image.shape[1]}x{image.shape[0]}"
                sheets[f"annotated-{lines}"].append((label, annotate(image, lm, result)))
                if lines == 1080:
                    extras = Extras(30.0, 2.4 if pose == "malasana" else 0.0,
                                    "Step 2 of 6: Pigeon, right leg forward")
                    sheets["live-1080"].append((label, compose(image, lm, result, extras,
                                                               height=height)))
    for name, pictures in sheets.items():
        sheet(pictures, out / f"{args.prefix}-{name}.jpg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
