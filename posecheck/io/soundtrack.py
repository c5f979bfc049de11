"""The recording's sound track: the coach's sentences laid on a silent track at the moments
they were said, then muxed into the finished video with PyAV (the picture's packets copied
as they are, the sound encoded as AAC in .mp4, 16-bit PCM in .avi).

`lay(sentences, rate, duration_s)` is pure: each sentence starts when it was said, or when
the one before it ends (a player says them one after another), and the track lasts as long
as the picture. `mux(video, track, rate)` rewrites the video beside itself and swaps it in,
so a failure leaves the silent video as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

RATE = 16_000
CODEC = {".mp4": "aac", ".avi": "pcm_s16le"}


def resampled(samples: np.ndarray, rate: int, to: int) -> np.ndarray:
    """Linear resampling: enough for speech already band-limited to the lower rate's band."""
    if rate == to or len(samples) == 0:
        return samples.astype(np.int16)
    n = int(round(len(samples) * to / rate))
    x = np.linspace(0.0, len(samples) - 1.0, n)
    return np.interp(x, np.arange(len(samples)), samples.astype(np.float64)).astype(np.int16)


def lay(sentences: list[tuple[float, np.ndarray, int]], rate: int, duration_s: float) -> np.ndarray:
    """A mono int16 track of `duration_s` with each (start s, samples, their rate) on it."""
    track = np.zeros(max(1, int(round(duration_s * rate))), np.int16)
    free = 0
    for start_s, samples, their_rate in sorted(sentences, key=lambda s: s[0]):
        audio = resampled(samples, their_rate, rate)
        at = max(int(round(start_s * rate)), free, 0)
        end = min(len(track), at + len(audio))
        if end > at:
            track[at:end] = audio[: end - at]
        free = at + len(audio)
    return track


def mux(video: Path, track: np.ndarray, rate: int) -> None:
    """Give `video` (.mp4 or .avi) the mono int16 `track` as its sound. Raises OSError or
    av's errors (the video then stays as it was, silent)."""
    import av  # the recording's muxer: only needed once there is something to say

    video = Path(video)
    tmp = video.with_name(f".{video.stem}.sound{video.suffix}")
    try:
        with av.open(str(video)) as source, av.open(str(tmp), "w") as out:
            picture_in = source.streams.video[0]
            picture_out = out.add_stream_from_template(picture_in)
            sound = out.add_stream(CODEC[video.suffix.lower()], rate=rate, layout="mono")
            for packet in source.demux(picture_in):
                if packet.dts is None:
                    continue
                packet.stream = picture_out
                out.mux(packet)
            frame = av.AudioFrame.from_ndarray(track.reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate = rate
            frame.pts = 0
            for packet in sound.encode(frame):
                out.mux(packet)
            for packet in sound.encode(None):
                out.mux(packet)
        os.replace(tmp, video)
    finally:
        tmp.unlink(missing_ok=True)
