"""Wiring for `posecheck live` and `posecheck routine`: the frame source, the detector, the
plan, the window, the recording and the summary file, closed in order however the session
ends."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from posecheck.app.live import Options, Session, live_plan, routine_plan
from posecheck.core.judge import Judge
from posecheck.core.plan import ROUTINE, Step
from posecheck.core.poses import PoseSpec, load_pose
from posecheck.core.proportions import POPULATION, Range
from posecheck.io.capture import CameraReader, FileReader, Grabber
from posecheck.io.detector import Detector
from posecheck.io.profile import Profile
from posecheck.io.recorder import Recorder
from posecheck.io.sound import Beeper
from posecheck.io.video import check_video_path, check_writable
from posecheck.io.voice import Voice
from posecheck.io.window import NoWindow, Window
from posecheck.report.builder import write_json
from posecheck.report.summary import AUTO, PracticeSummary


@dataclass
class Setup:
    camera: int = 0
    source: str | None = None
    every_frame: bool = False  # with a source: every frame, no real-time pacing or dropping
    mirror: bool = True
    window: bool = True
    record: str | None = None
    report: str | None = None
    countdown_s: float = 5.0
    hold_s: float | None = None
    sound: bool = True
    model: str | None = None
    profile: Profile | None = None  # threshold adjustments and proportions to judge with
    voice: bool = True  # speak the coaching (when a speech engine is installed)
    volume: float = 1.0


def sessions_dir() -> Path:
    """Where summaries go by default: the user's data folder."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "posecheck" / "sessions"


def default_report(mode: str) -> str:
    folder = sessions_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / f"{mode}-{datetime.now():%Y%m%d-%H%M%S}.json")


def run_live(poses: list[PoseSpec], side: str | None, setup: Setup
             ) -> tuple[PracticeSummary, str]:
    """One pose (or any of several: auto) until the user stops or the source ends."""
    poses = _personal(_with_hold(poses, setup.hold_s), setup.profile)
    pose_name = poses[0].name if len(poses) == 1 else AUTO
    hold = poses[0].hold_s if len(poses) == 1 else setup.hold_s
    plan = live_plan(Step(pose_name, side), setup.countdown_s)

    def judge(step: Step) -> Judge:
        return Judge(poses, side=step.side, ranges=_ranges(setup.profile))

    return _run("live", plan, judge, setup, advance=False, hold_s=hold)


def run_routine(setup: Setup, steps: tuple[Step, ...] = ROUTINE
                ) -> tuple[PracticeSummary, str]:
    """The routine's steps in order, each moving on when its hold is done."""
    poses: dict[str, PoseSpec] = {p.name: p for p in _personal(_with_hold(
        [load_pose(name) for name in dict.fromkeys(s.pose for s in steps)], setup.hold_s),
        setup.profile)}
    plan = routine_plan(list(steps), poses, setup.countdown_s)

    def judge(step: Step) -> Judge:
        return Judge([poses[step.pose]], side=step.side, ranges=_ranges(setup.profile))

    return _run("routine", plan, judge, setup, advance=True, hold_s=None)


def _with_hold(poses: list[PoseSpec], hold_s: float | None) -> list[PoseSpec]:
    """The poses with the user's hold target (--hold) instead of their files' own."""
    return [replace(p, hold_s=hold_s) for p in poses] if hold_s else poses


def _personal(poses: list[PoseSpec], profile: Profile | None) -> list[PoseSpec]:
    """The poses with the profile's threshold adjustments, if any."""
    return profile.apply(poses) if profile else poses


def _ranges(profile: Profile | None) -> dict[str, Range]:
    return profile.ranges() if profile else POPULATION


def _run(mode: str, plan, judge, setup: Setup, advance: bool, hold_s
         ) -> tuple[PracticeSummary, str]:
    if setup.record:
        check_video_path(setup.record)
    if setup.report:
        check_writable(setup.report)
    report = setup.report or default_report(mode)
    if setup.source:
        reader = FileReader(setup.source, realtime=not setup.every_frame)
        name = setup.source
    else:
        reader = CameraReader(setup.camera)
        name = f"camera {setup.camera}"
    display = voice = None
    try:
        display = Window() if setup.window else NoWindow()
        with Detector(setup.model, mode="video") as detector:
            grabber = Grabber(reader, keep_all=setup.every_frame).start()
            recorder = Recorder(setup.record) if setup.record else None
            beeper = Beeper(enabled=setup.sound)
            voice = Voice(enabled=setup.voice, volume=setup.volume,
                          sink=recorder.add_sound if recorder else None,
                          fallback=lambda: beeper.beep("cue"))
            if voice.status:  # once the set-up has worked (a bad option stays one line)
                print(voice.status)
            options = Options(mirror=setup.mirror, countdown_s=setup.countdown_s,
                              advance=advance, report_path=report, source_name=name, mode=mode,
                              hold_s=hold_s)
            session = Session(grabber, detector.detect, plan, judge, display, options,
                              recorder, beeper, voice)
            try:
                summary = session.run()
            finally:
                grabber.stop()
                if recorder is not None:
                    recorder.close()
                beeper.close()
            problems = [f"the recording stopped: {recorder.error}"] if recorder and recorder.error \
                else []  # e.g. the disk filled
            problems += [recorder.sound_error] if recorder and recorder.sound_error else []
            if problems:
                summary.warnings.extend(problems)
                write_json(report, summary.to_json())  # the saved summary says so too
    finally:
        if voice is not None:
            voice.close()
        reader.close()
        if display is not None:
            display.close()
    return summary, report
