"""Live practice: a camera (or a video played as one) through the one frame loop
(`app.loop`: detect ahead -> smooth -> judge), with the session as its sink. The session
adds only what practice needs: the plan (steps, countdowns, moving on), the live picture
and keys, sounds, the recording and the summary.

One session serves `posecheck live` (one pose, or any with auto) and `posecheck routine` (the
article's steps in order, moving on when a hold is done). Capture runs on its own thread and
keeps only the newest frame (`capture.Grabber`); recording runs on another
(`io.recorder`), so neither stalls detection. The summary (JSON) is rewritten every few
seconds and at the end, however the session ends: q, Esc, end of the video, a lost camera
or Ctrl-C.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

from posecheck.app import loop
from posecheck.app.loop import Judging
from posecheck.core.judge import FrameResult, Judge
from posecheck.core.plan import GET_READY, HOLD, Plan, Step
from posecheck.core.poses import PoseSpec
from posecheck.core.smoothing import LandmarkSmoother
from posecheck.core.speech import SpeechPlanner
from posecheck.core.spoken import step_sentence
from posecheck.core.timer import HOLDING
from posecheck.io.capture import Grabber
from posecheck.io.recorder import Recorder
from posecheck.io.sound import Beeper
from posecheck.io.voice import Voice
from posecheck.report.builder import write_json
from posecheck.report.overlay import draw_centred_message, unit
from posecheck.report.practice import PracticeRecord, title
from posecheck.report.screen import Extras, compose
from posecheck.report.summary import PracticeSummary

REPORT_EVERY_S = 2.0
IDLE_S = 0.25  # no frame for this long: keep the window responsive meanwhile
FAREWELL_S = 10.0  # how long the ending stays in the window without a key
FPS_SMOOTHING = 0.1


@dataclass
class Options:
    mirror: bool = True
    countdown_s: float = 5.0
    advance: bool = True  # routine: move on when a hold is done (live: beep and go on)
    hold_s: float | None = None  # live: the target, else the pose file's
    report_path: str | None = None
    source_name: str = ""
    mode: str = "live"


class FrameRate:
    """Frames shown per second, smoothed: `tick()` once per frame."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.fps: float | None = None
        self._last: float | None = None

    def tick(self) -> None:
        now = self.clock()
        if self._last is not None and now > self._last:
            rate = 1.0 / (now - self._last)
            self.fps = rate if self.fps is None else self.fps + FPS_SMOOTHING * (rate - self.fps)
        self._last = now


class Session:
    """One practice session over a plan of steps; `run()` returns the summary. The session
    is the frame loop's sink: it follows the plan, counts, draws and shows each frame."""

    name = "live"

    def __init__(self, grabber: Grabber, detect: Callable, plan: Plan,
                 judges: Callable[[Step], Judge], display, options: Options,
                 recorder: Recorder | None = None, beeper: Beeper | None = None,
                 voice: Voice | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.grabber, self.detect, self.plan, self.make_judge = grabber, detect, plan, judges
        self.display, self.options, self.recorder = display, options, recorder
        self.beeper = beeper or Beeper(enabled=False)
        self.voice = voice or Voice(enabled=False)
        self.speech = SpeechPlanner()
        self.clock = clock
        self.status = "running"
        self.rate = FrameRate(clock)
        self.record = PracticeRecord(plan, options.mode, options.source_name, options.advance,
                                     options.hold_s)
        self.judging = Judging(self.make_judge(plan.current.step), LandmarkSmoother())
        self._paused_picture: np.ndarray | None = None
        self._last_t: float | None = None
        self._written = clock()
        self._last_picture: np.ndarray | None = None
        self._state = None  # timer state last frame, for the start beep
        self._reached = False  # live: this hold has reached its target
        if options.advance:
            self._announce(None)

    # -- the loop ---------------------------------------------------------------------------

    def run(self) -> PracticeSummary:
        """The one frame loop (`loop.run`) with the session as its sink. Detection runs on
        its own thread, one frame ahead when frames come faster than the loop: while a
        frame is judged, drawn and shown, the next one (if it has already arrived) is being
        detected, so the two cores share the work."""
        try:
            loop.run(self.grabber.frames(timeout=IDLE_S), self.detect, self.judging, [self],
                     ahead=1, idle=self._idle, stop=lambda: self.status != "running")
            if self.status == "running":
                self._source_ended()
        except KeyboardInterrupt:  # Ctrl-C: the summary is kept, like any other ending
            self.status = "interrupted"
        finally:
            self.plan.stop(self._last_t or 0.0)
            self.voice.close()  # the sentence being said ends; its entry is then in the summary
            self._write_report()
        self._farewell()
        return self.summary()

    def _farewell(self) -> None:
        """In a window, the ending stays on screen until q (or FAREWELL_S): the last
        picture would otherwise vanish the moment a routine completes."""
        if not getattr(self.display, "interactive", False) or self._last_picture is None:
            return
        if self.status not in ("done", "camera lost"):
            return
        words = {"done": "Routine complete: well done" if self.plan.results[-1].outcome
                 == "completed" and self.options.advance else "Session over",
                 "camera lost": "Camera lost: your session is saved"}[self.status]
        picture = compose_message(self._last_picture, f"{words}. Press q to close.")
        until = self.clock() + FAREWELL_S
        while self.clock() < until:
            if self.display.show(picture) is not None:
                break
            time.sleep(0.03)

    def frame(self, image: np.ndarray, t: float, lm, result: FrameResult | None) -> None:
        """One frame from the loop: judged (`result`), or, while paused, not."""
        self.rate.tick()
        if result is None:  # paused: the judge and its timers wait
            if self._paused_picture is None:
                base = self._last_picture if self._last_picture is not None else image
                self._paused_picture = compose_message(base, "Paused: press space to go on")
            self._show(self._paused_picture, t)
            return
        self._last_t = t
        self._follow_plan(result, t)
        self.record.add(result, t)
        picture = compose(image, lm, result, self._extras(t), mirror=self.options.mirror)
        self._last_picture = picture
        self._show(picture, t)
        if self.recorder is not None:
            self.recorder.add(picture, t)
        if self.clock() - self._written >= REPORT_EVERY_S:
            self._write_report()

    def close(self) -> None:
        """Nothing to close: `run` writes the summary however the session ends."""

    def _follow_plan(self, result: FrameResult, t: float) -> None:
        plan = self.plan
        before = plan.phase
        timer = result.timer if before == HOLD else None
        completed = plan.update(t, timer)
        if before == GET_READY and plan.phase == HOLD:
            self.judging.judge.reset_timers()  # the hold starts when the countdown ends
        state = result.timer.state if result.timer and before == HOLD else None
        if state == HOLDING and self._state != HOLDING:
            self.beeper.beep("start")
        self._state = state
        self.speech.countdown(plan.countdown_left(t) if plan.phase == GET_READY else 0.0)
        self._speak(result, state, t)
        if completed or self._target_reached(result, before):
            self.beeper.beep("done")
        if completed and self.options.advance and not plan.finished:
            self._next_judge()
        if completed and plan.finished and self.options.advance:
            self.status = "done"

    def _speak(self, result: FrameResult, state: str | None, t: float) -> None:
        """The coach's sentence for this frame, if any, to the voice (its own thread)."""
        left = None
        if state is not None and result.pose is not None:
            left = (self.options.hold_s or result.pose.hold_s) - result.timer.current_s
        said = self.speech.update(t, result.cue.spoken, result.cue.kind, state, left)
        if said is not None:
            self.voice.say(said.t, said.text)

    def _target_reached(self, result: FrameResult, phase: str) -> bool:
        """Live mode (no moving on): the target is reached once per hold."""
        if self.options.advance or phase != HOLD or result.timer is None or result.pose is None:
            return False
        reached = result.timer.current_s >= (self.options.hold_s or result.pose.hold_s)
        fresh = reached and not self._reached
        self._reached = reached
        return fresh

    def _next_judge(self) -> None:
        before = self.judging.judge.poses
        self.judging.judge = self.make_judge(self.plan.current.step)
        self._state = None
        self._announce(before)

    def _announce(self, before: list[PoseSpec] | None) -> None:
        """The routine's step, spoken: "Next: Pigeon, right leg forward", or "Switch sides:
        left leg forward" when the step before was the same pose."""
        pose = self.judging.judge.poses[0]
        switch = before is not None and before[0].name == pose.name
        self.speech.announce(step_sentence(pose, self.plan.current.step.side, switch))

    def _extras(self, t: float) -> Extras:
        plan = self.plan
        if plan.finished:  # the ending's words come with the farewell
            return Extras(self.rate.fps)
        step = plan.current.step
        text = ""
        if self.options.mode == "routine":
            side = f", {step.side} side" if step.side else ""
            text = f"Step {plan.index + 1} of {len(plan.results)}: {title(step.pose)}{side}"
        return Extras(self.rate.fps, plan.countdown_left(t), text)

    def _show(self, picture: np.ndarray, t: float) -> None:
        self._handle(self.display.show(picture), t)

    def _idle(self) -> None:
        """No new frame yet: keep the window responsive (and paused pictures on screen)."""
        if self._last_picture is not None:
            self._handle(self.display.show(self._last_picture), self._last_t or 0.0)

    def _source_ended(self) -> None:
        if self.grabber.lost:
            self.status = "camera lost"
            if self._last_picture is not None:
                lost = compose_message(self._last_picture, "Camera lost: check its cable, then "
                                       "start again. Your session is saved.")
                self.display.show(lost)
        else:
            self.status = "done"

    def _handle(self, action: str | None, t: float) -> None:
        if action == "quit":
            self.status = "stopped"
        elif action == "pause":
            self.judging.paused, self._paused_picture = not self.judging.paused, None
        elif action == "reset":
            self.judging.judge.reset_timers()
        elif action == "next" and self.options.advance:
            self.plan.skip(t)
            if self.plan.finished:
                self.status = "done"
            else:
                self._next_judge()
        elif action == "side":
            self._switch_side()

    def _switch_side(self) -> None:
        judge = self.judging.judge
        pose = judge.current
        if pose is None or not pose.asymmetric:
            return
        now = judge.sides.side or "left"
        judge.set_side("left" if now == "right" else "right")

    def summary(self) -> PracticeSummary:
        summary = self.record.summary(self.status, self.grabber.dropped, self.rate.fps)
        return replace(summary, spoken=list(self.voice.spoken) if self.voice.enabled else None)

    def _write_report(self) -> None:
        self._written = self.clock()
        if self.options.report_path:
            write_json(self.options.report_path, self.summary().to_json())


def compose_message(picture: np.ndarray, text: str) -> np.ndarray:
    out = picture.copy()
    draw_centred_message(out, text, unit(out))
    return out


def routine_plan(steps: list[Step], poses: dict[str, PoseSpec], countdown_s: float) -> Plan:
    """The routine: each step's hold target is its own, else its pose's."""
    return Plan([(s, s.hold_s or poses[s.pose].hold_s) for s in steps], countdown_s)


def live_plan(step: Step, countdown_s: float) -> Plan:
    """Live practice: one open-ended step (its target beeps, and the session goes on)."""
    return Plan([(step, math.inf)], countdown_s)
