"""The recording keeps the coaching: `live --record` writes the spoken sentences as the
video's sound track, in time with the picture, also with no sound device (as here and in CI).
An offline recogniser (pocketsphinx) listens to the track."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import av
import numpy as np
import pytest
from clirun import invoke

from posecheck.core.poses import load_all
from posecheck.core.spoken import built_in_sentences
from posecheck.io import soundtrack
from posecheck.io.phrasebook import PhraseBook, decode, encode
from posecheck.io.video import VideoWriter

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
#: how the recogniser writes what the sentences spell otherwise
HEARD_AS = {"1": "one", "2": "two", "3": "three", "10": "ten", "90": "ninety",
            "recognise": "recognize"}


def sound_of(path: Path) -> np.ndarray:
    """The video's sound track as 16 kHz mono int16."""
    with av.open(str(path)) as container:
        resampler = av.AudioResampler(format="s16", layout="mono", rate=16000)
        parts = []
        for frame in container.decode(container.streams.audio[0]):
            parts += [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
        parts += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(parts)


def heard(samples: np.ndarray) -> list[str]:
    from pocketsphinx import Decoder

    decoder = Decoder(samprate=16000, loglevel="FATAL")
    decoder.start_utt()
    decoder.process_raw(samples.astype("<i2").tobytes(), full_utt=True)
    decoder.end_utt()
    return decoder.hyp().hypstr.split() if decoder.hyp() else []


def words(text: str) -> list[str]:
    return [HEARD_AS.get(w, w) for w in re.findall(r"[a-z0-9']+", text.lower())]


def test_a_recorded_session_speaks_the_corrections_it_lists(tmp_path, monkeypatch):
    """A live session on a fault clip, no sound device: the recording's sound track says
    most of the words the summary lists as spoken, each sentence where the summary puts it."""
    pytest.importorskip("pocketsphinx", reason="the test extra's recogniser is not installed")
    monkeypatch.setattr("posecheck.io.voice.has_device", lambda: False)
    out, report = tmp_path / "session.mp4", tmp_path / "s.json"
    result = invoke("live", "--pose", "pigeon", "--source",
                    SAMPLES / "pigeon-right-side-back-knee-bent.mp4", "--no-window",
                    "--every-frame", "--no-sound", "--record", out, "--report", report)
    assert result.exit_code == 0, result.output
    spoken = json.loads(report.read_text())["spoken"]
    assert "Straighten your left leg behind you" in [x["text"] for x in spoken]
    track = sound_of(out)
    with av.open(str(out)) as container:
        video_s = float(container.streams.video[0].duration * container.streams.video[0].time_base)
    assert len(track) / 16000 == pytest.approx(video_s, abs=0.2)  # as long as the picture
    # each sentence starts where the summary says (after the one before it has ended)
    loud = np.abs(track.astype(np.int32)) > 800
    for entry in spoken:
        at = int(entry["t"] * 16000)
        assert loud[max(0, at - 800): at + 8000].any(), entry  # sound within 0.5 s of its t
    said = Counter(w for x in spoken for w in words(x["text"]))
    found = sum((said & Counter(heard(track))).values())
    assert found / sum(said.values()) >= 0.5, (found, sum(said.values()), heard(track))


def test_the_phrase_book_holds_every_built_in_sentence():
    """Change a cue, a `say` or a side's words in a pose file and this fails until the
    audio is made again: python phrases/make_phrases.py (with the voice extra)."""
    book = PhraseBook()
    missing = sorted(set(built_in_sentences({p.name: p for p in load_all()})) - book.texts)
    assert not missing, f"not pre-made (run python phrases/make_phrases.py): {missing}"
    for text in ("That's it", "Move the camera to your side", "I can't see your left ankle"):
        samples, rate = book.lookup(text)
        seconds = len(samples) / rate
        assert 0.2 < seconds < 3.0 and np.abs(samples).max() > 8000, text


def test_mu_law_keeps_speech_within_a_few_percent():
    wave = 0.5 * np.sin(np.linspace(0, 300, 16000)) * np.linspace(0, 1, 16000)
    back = decode(encode(wave)) / 32767.0
    assert np.abs(back - wave).max() < 0.02


def test_sentences_are_laid_one_after_another_in_time():
    a = np.full(8000, 1000, np.int16)  # half a second at 16 kHz
    track = soundtrack.lay([(1.0, a, 16000), (1.2, a * 2, 16000), (3.0, a, 8000)], 16000, 5.0)
    assert len(track) == 80000
    assert track[15999] == 0 and track[16000] == 1000  # at 1.0 s
    assert track[24000] == 2000  # the second waits until the first has ended (1.5 s)
    assert track[48000] == 1000 and track[48000 + 15999] == 1000  # 8 kHz: a second long


def test_a_sound_track_is_muxed_into_mp4_and_avi(tmp_path):
    for name in ("v.mp4", "v.avi"):
        path = tmp_path / name
        with VideoWriter(path, 15, (160, 120)) as writer:
            for i in range(45):
                writer.write(np.full((120, 160, 3), i * 5, np.uint8))
        tone = (8000 * np.sin(np.arange(16000) / 3.0)).astype(np.int16)
        soundtrack.mux(path, soundtrack.lay([(1.0, tone, 16000)], 16000, 3.0), 16000)
        track = sound_of(path)
        assert len(track) / 16000 == pytest.approx(3.0, abs=0.1)
        assert np.abs(track[:12000]).max() < 500 < np.abs(track[20000:30000]).max()
        with av.open(str(path)) as container:
            assert container.streams.video[0].frames in (0, 45)  # the picture is kept
            assert sum(1 for _ in container.decode(video=0)) == 45
