"""io/segment.py: a video read in stretches gives the same frames, at the same times, as
read whole; each stretch after the first starts with its warm-up frames."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from posecheck.io.segment import SegmentError, read_segment
from posecheck.io.video import FrameClock, open_source

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
CLIP = SAMPLES / "pigeon-left-side-correct.mp4"  # 118 frames at 10 fps


def whole(path: Path) -> tuple[list[tuple[np.ndarray, float]], float]:
    with open_source(path) as source:
        return list(source), source.fps


def bounds_ms(count: int, pieces: int, fps: float) -> list[float]:
    """Segment boundaries half-way between frames, as app/split.py places them."""
    return [(round(k * count / pieces) - 0.5) * 1000.0 / fps for k in range(1, pieces)]


def joined(path: Path, bounds: list[float], warmup: int, fps: float):
    """(kept frames with their times, warm-up frames per segment)."""
    kept, warm = [], []
    for start, stop in zip([None, *bounds], [*bounds, None]):
        frames = list(read_segment(path, start, stop, warmup, fps))
        warm.append(sum(not k for _, _, k in frames))
        kept += [(frame, pos_ms) for frame, pos_ms, k in frames if k]
    return kept, warm


@pytest.mark.parametrize("pieces, warmup", [(2, 10), (5, 10), (5, 0), (9, 3)])
def test_segments_join_into_the_whole_video_frame_for_frame(pieces, warmup):
    frames, fps = whole(CLIP)
    kept, warm = joined(CLIP, bounds_ms(len(frames), pieces, fps), warmup, fps)
    clock = FrameClock(fps)
    assert [clock(pos_ms) for _, pos_ms in kept] == [t for _, t in frames]
    assert all(np.array_equal(a, b) for (a, _), (b, _) in zip(kept, frames))
    assert warm == [0] + [warmup] * (pieces - 1)


def test_a_frame_rate_claimed_wrong_still_finds_every_frame():
    """Seeks placed by a frame rate 10x too high overshoot: they go back, and in the end
    read from the first frame."""
    frames, fps = whole(CLIP)
    kept, warm = joined(CLIP, bounds_ms(len(frames), 4, fps), 5, fps * 10)
    assert [pos for _, pos in kept] == pytest.approx([t * 1000 for _, t in frames])
    assert warm == [0, 5, 5, 5]


def test_a_segment_past_the_end_is_empty():
    frames, fps = whole(CLIP)
    assert list(read_segment(CLIP, 1000.0 * len(frames) / fps + 500, None, 10, fps)) == []


def test_a_file_that_will_not_open_is_a_segment_error(tmp_path):
    with pytest.raises(SegmentError):
        list(read_segment(tmp_path / "gone.mp4", None, None, 0, 30.0))
