"""Rebuild models/pose_landmarker_full.task from the models inside mediapipe 0.10.21.

Run this in a throwaway virtual environment that has exactly mediapipe 0.10.21
(the last release whose wheel still ships the pose .tflite files and whose
metadata writer imports), never in the project's own environment:

    python3.11 -m venv /tmp/mp021
    /tmp/mp021/bin/pip install mediapipe==0.10.21 "numpy<2"
    /tmp/mp021/bin/python models/build_model.py [--out PATH]

What it does:
  1. takes mediapipe/modules/pose_detection/pose_detection.tflite and
     mediapipe/modules/pose_landmark/pose_landmark_full.tflite from the
     installed wheel (Apache-2.0, (c) Google);
  2. writes image-input metadata (norm_mean 0, norm_std 255, i.e. pixels scaled
     to [0, 1]) into both, which the Tasks API needs for float32 inputs;
  3. stores them as pose_detector.tflite and pose_landmarks_detector.tflite in a
     zip (the .task format): uncompressed (the Tasks API rejects compressed
     members: "Expected uncompressed zip archive"), with fixed timestamps and
     order, so the same input always gives the same bytes, and with each
     member's data padded to start at a multiple of 64 bytes, so the C++ core
     uses the models in place (no "unaligned buffer ... copying" warning).
"""

import argparse
import hashlib
import importlib.metadata
import struct
import sys
import zipfile
from pathlib import Path

REQUIRED_MEDIAPIPE = "0.10.21"
DEFAULT_OUT = Path(__file__).resolve().parent / "pose_landmarker_full.task"
ALIGNMENT = 64
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # earliest date a zip can hold

# (name inside the .task, path inside the mediapipe package, metadata name)
MEMBERS = [
    ("pose_detector.tflite",
     "modules/pose_detection/pose_detection.tflite",
     "BlazePose detector"),
    ("pose_landmarks_detector.tflite",
     "modules/pose_landmark/pose_landmark_full.tflite",
     "BlazePose GHUM 3D landmarks (full)"),
]
DESCRIPTION = ("From the mediapipe " + REQUIRED_MEDIAPIPE + " wheel ({}); "
               "Apache-2.0, Copyright Google LLC. Input: RGB scaled to [0, 1].")


def check_mediapipe_version():
    try:
        found = importlib.metadata.version("mediapipe")
    except importlib.metadata.PackageNotFoundError:
        found = "none"
    if found != REQUIRED_MEDIAPIPE:
        sys.exit(f"build_model.py needs mediapipe=={REQUIRED_MEDIAPIPE} in a throwaway "
                 f"venv (found: {found}); see the docstring at the top of this file.")


def with_metadata(model, name, description):
    """Return the .tflite bytes with image-input normalisation metadata added."""
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer

    writer = metadata_writer.MetadataWriter.create(bytearray(model))
    writer.add_general_info(name, description)
    writer.add_image_input(norm_mean=[0.0], norm_std=[255.0])
    model_with_metadata, _metadata_json = writer.populate()
    return bytes(model_with_metadata)


def alignment_extra(data_offset_without_extra):
    """Zip extra field (id 0xD935, as Android's zipalign) padding data to ALIGNMENT."""
    base = data_offset_without_extra + 6  # 2-byte id, 2-byte size, 2-byte alignment
    padding = -base % ALIGNMENT
    return ((0xD935).to_bytes(2, "little") + (2 + padding).to_bytes(2, "little")
            + ALIGNMENT.to_bytes(2, "little") + bytes(padding))


def write_task(path, members):
    """Write the (name, bytes) pairs as a deterministic, aligned, uncompressed zip."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as task:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.create_system = 3  # Unix, whatever the platform building it
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED
            header_offset = task.fp.tell()
            info.extra = alignment_extra(header_offset + 30 + len(name.encode()))
            task.writestr(info, data)
    # Check the alignment in the local headers actually written.
    raw = Path(path).read_bytes()
    with zipfile.ZipFile(path) as task:
        for info in task.infolist():
            name_len, extra_len = struct.unpack_from("<HH", raw, info.header_offset + 26)
            data_offset = info.header_offset + 30 + name_len + extra_len
            assert data_offset % ALIGNMENT == 0, info.filename


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="where to write the .task file (default: %(default)s)")
    args = parser.parse_args()
    check_mediapipe_version()

    import mediapipe
    package_dir = Path(mediapipe.__file__).parent
    members = []
    for member_name, source, model_name in MEMBERS:
        model = (package_dir / source).read_bytes()
        print(f"{source}: {len(model)} bytes, sha256 {hashlib.sha256(model).hexdigest()}")
        members.append((member_name, with_metadata(
            model, model_name, DESCRIPTION.format("mediapipe/" + source))))

    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_task(args.out, members)
    task = args.out.read_bytes()
    print(f"wrote {args.out}: {len(task)} bytes, sha256 {hashlib.sha256(task).hexdigest()}")


if __name__ == "__main__":
    main()
