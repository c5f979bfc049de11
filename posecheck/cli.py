"""The command line: a thin layer over the library."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from posecheck import __version__
from posecheck.core.poses import (
    PoseFileError,
    builtin_names,
    load_all,
    load_pose,
    load_pose_file,
    unknown_pose,
)

if TYPE_CHECKING:
    from posecheck.report.summary import AnalysisSummary, PracticeSummary


EXIT_INPUT = 2  # bad input: file, pose, option
EXIT_INTERRUPTED = 130


class UserError(click.ClickException):
    exit_code = EXIT_INPUT


class Group(click.Group):
    """Turns every error a user can cause into one line and a non-zero exit."""

    def invoke(self, ctx):
        from posecheck.core.calibration import CalibrationError
        from posecheck.eval.labels import LabelsError
        from posecheck.io.detector import ModelError
        from posecheck.io.profile import ProfileError
        from posecheck.io.video import InputError

        try:
            return super().invoke(ctx)
        except (PoseFileError, InputError, ModelError, LabelsError, ProfileError,
                CalibrationError) as exc:
            raise UserError(str(exc)) from None
        except OSError as exc:
            name = f": {exc.filename}" if exc.filename else ""
            raise UserError(f"{exc.strerror or exc}{name}") from None
        except click.BadParameter as exc:  # a bad option value: one line, no usage text
            raise UserError(exc.format_message()) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:  # a bug: still one line, never a traceback
            raise click.ClickException(
                f"internal error: {type(exc).__name__}: {exc} (please report this)") from None


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="posecheck")
def main() -> None:
    """Live form feedback for a hip-mobility stretching routine.

    Judges Happy Baby, Pigeon, Figure Four and Malasana live from a webcam (live, routine),
    or from a video or photo (analyze), check by check, and counts hold time only while the
    form is correct.
    """


PROFILE_HELP = ("Personal profile to use: its threshold adjustments and proportions (see "
                "posecheck calibrate) [default: the 'default' profile, when there is one].")


def load_profile(name: str | None):
    """The profile asked for (or the default one, if any), said on stderr when used."""
    from posecheck.io.profile import load_profile as load

    profile = load(name)
    if profile is not None:
        click.echo(f"Using profile '{profile.name}' ({profile.path})", err=True)
    return profile


def pose_names(name: str, side: str | None = None) -> list:
    """The poses `--pose` names ("auto": all of them); a `--side` needs one with sides."""
    poses = load_all() if name == "auto" else [load_pose(name, also=("auto",))]
    if side and not any(p.asymmetric for p in poses):
        sided = ", ".join(p.name for p in load_all() if p.asymmetric)
        raise UserError(f"--side {side}: {poses[0].title} has no working side; --side is only "
                        f"for the poses with one ({sided})")
    return poses


def history_option(f):
    """--history/--no-history, for the commands that record their runs."""
    return click.option("--history/--no-history", "keep_history", default=True,
                        help="Record this run in the history (see posecheck history); on by "
                             "default.")(f)


def _record_analysis(enabled: bool, ended: list[AnalysisSummary], started_at: str) -> None:
    """Record the analysis that ended (done or interrupted; none after an error)."""
    from posecheck.report.history import from_analysis, utc_now

    for summary in ended:
        _record_history(enabled, from_analysis(summary, started_at, utc_now()))


def _record_history(enabled: bool, run) -> None:
    """Add a run to the history; a failure is one warning line, never the run's end."""
    from posecheck.report.history import HistoryError, save

    if not enabled:
        return
    try:
        save(run)
    except HistoryError as exc:
        click.echo(f"warning: this run was not added to the history: {exc}", err=True)


@main.command()
@click.argument("video", type=click.Path(dir_okay=True))
@click.option("--pose", "pose_name", default="auto", show_default=True,
              help=f"Pose to judge: {', '.join(builtin_names())}, auto (recognise it), "
                   "or a pose file (.toml).")
@click.option("--side", type=click.Choice(["left", "right"]),
              help="Working side of Pigeon or Figure Four (default: detected from the pose).")
@click.option("--out", type=click.Path(dir_okay=False),
              help="Write the annotated video here (.mp4 or .avi; .png/.jpg for a photo).")
@click.option("--report", type=click.Path(dir_okay=False), help="Write the JSON report here.")
@click.option("--frames", type=click.Path(dir_okay=False),
              help="Write one CSV row per frame here.")
@click.option("--html", type=click.Path(dir_okay=False),
              help="Write a report page here (.html: one file with the summary, cues, "
                   "timeline, plots and key frames).")
@click.option("--model", type=click.Path(dir_okay=False),
              help="A pose-landmarker .task model (default: the bundled full model).")
@click.option("--profile", "profile_name", help=PROFILE_HELP)
@click.option("--fast", is_flag=True,
              help="Judge about 10 frames per second and carry each result to the frames "
                   "between (several times faster; hold times to about 0.1 s).")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Detect a video in segments on this many processes (the same report "
                   "within about 0.2 s of hold; not with --fast; a photo ignores it).")
@click.option("--timings", is_flag=True, help="Print the time per frame of each stage.")
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="Show a progress bar.")
@history_option
def analyze(video, pose_name, side, out, report, frames, html, model, profile_name, fast,
            jobs, timings, progress, keep_history):
    """Analyse a recorded VIDEO (or a photo) of one of the poses.

    \b
    Example:
      posecheck analyze clip.mp4 --pose malasana --out annotated.mp4 --report r.json
    """
    from posecheck.app.analyze import Outputs
    from posecheck.app.analyze import analyze as run_analysis
    from posecheck.app.split import Splitting
    from posecheck.core.proportions import POPULATION
    from posecheck.report.builder import format_summary
    from posecheck.report.history import utc_now

    if fast and jobs > 1:
        raise UserError("--fast and --jobs do not combine: use --fast (about 10 frames a "
                        "second judged) or --jobs N (every frame, detected on N processes)")
    poses = pose_names(pose_name, side)
    profile = load_profile(profile_name)
    if profile is not None:
        poses = profile.apply(poses)
    bar = _Progress(progress)
    started, ended = utc_now(), []
    try:
        result = run_analysis(video, poses, Outputs(out, report, frames, html), side=side,
                              model=model, on_start=bar.start, on_frame=bar.step, fast=fast,
                              ranges=profile.ranges() if profile else POPULATION,
                              on_end=ended.append,
                              split=Splitting(jobs) if jobs > 1 else None)
    except KeyboardInterrupt:
        bar.finish()
        _record_analysis(keep_history, ended, started)
        click.echo("Interrupted: the outputs keep the frames analysed so far.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    bar.finish()
    _record_analysis(keep_history, ended, started)
    click.echo(format_summary(result.summary))
    if timings:
        click.echo(_format_timings(result.stages))
    if result.truncated:
        raise UserError(f"{video}: {result.summary.warnings[-1]}")


class _Progress:
    """A progress bar over the frames, on stderr, only for videos."""

    def __init__(self, enabled: bool):
        self.enabled, self.bar = enabled, None

    def start(self, source) -> None:
        if self.enabled and not source.is_image:
            self.source = source
            self.bar = click.progressbar(length=source.frame_count or 0, label="Analysing",
                                         file=sys.stderr, show_pos=True)
            self.bar.__enter__()

    def step(self, _result) -> None:
        if self.bar is not None:  # frames read so far (--fast judges only some of them)
            self.bar.update(self.source.frames_read - self.bar.pos)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _format_timings(stages) -> str:
    per = stages.per_frame_ms()
    total = sum(per.values())
    rows = [f"  {k:<16}{v:7.2f} ms" for k, v in per.items()]
    fps = 1000.0 / total if total else 0.0
    return "\n".join(["time per frame:", *rows, f"  {'total':<16}{total:7.2f} ms  ({fps:.1f} fps)"])


def practice_options(f):
    """The options `live` and `routine` share."""
    options = [
        click.option("--camera", default=0, show_default=True, help="Camera index."),
        click.option("--source", type=click.Path(dir_okay=False),
                     help="Play this video as if it were the camera (in real time)."),
        click.option("--every-frame", is_flag=True,
                     help="With --source: judge every frame as fast as possible instead of "
                          "in real time (for scripts)."),
        click.option("--mirror/--no-mirror", default=True, show_default=True,
                     help="Show the picture like a mirror (cues still name your own sides)."),
        click.option("--window/--no-window", default=True, show_default=True,
                     help="Show the live window (--no-window: for scripts and recording)."),
        click.option("--record", type=click.Path(dir_okay=False),
                     help="Save the annotated session as a video (.mp4 or .avi)."),
        click.option("--report", type=click.Path(dir_okay=False),
                     help="Write the summary (JSON) here [default: a new file in "
                          "~/.local/share/posecheck/sessions]."),
        click.option("--countdown", default=5.0, show_default=True, type=click.FloatRange(0, 60),
                     help="Seconds to get ready before a hold counts."),
        click.option("--hold", type=click.FloatRange(1, 3600),
                     help="Hold target in seconds [default: each pose's, 30 s]."),
        click.option("--sound/--no-sound", default=True, show_default=True,
                     help="Beep when a hold starts and when its target is reached."),
        click.option("--voice/--no-voice", default=None,
                     help="Speak the corrections, the hold's milestones and the routine's "
                          "steps (also into the --record video's sound) [default: voice, or "
                          "the profile's [voice] on]."),
        click.option("--volume", type=click.FloatRange(0, 1),
                     help="Loudness of the voice, 0-1 [default: 1, or the profile's [voice] "
                          "volume]."),
        click.option("--model", type=click.Path(dir_okay=False),
                     help="A pose-landmarker .task model (default: the bundled full model)."),
        click.option("--profile", "profile_name", help=PROFILE_HELP),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _setup(camera, source, every_frame, mirror, window, record, report, countdown, hold, sound,
           voice, volume, model, profile_name):
    from posecheck.app.practice import Setup

    if every_frame and not source:
        raise UserError("--every-frame needs --source FILE")
    profile = load_profile(profile_name)
    said = profile.voice if profile else {}
    return Setup(camera, source, every_frame, mirror, window, record, report, countdown, hold,
                 sound, model, profile, said.get("on", True) if voice is None else voice,
                 said.get("volume", 1.0) if volume is None else volume)


def _finish_practice(summary: PracticeSummary, report: str, keep_history: bool) -> None:
    from posecheck.report.history import from_practice, utc_now
    from posecheck.report.practice import format_summary

    click.echo(format_summary(summary))
    click.echo(f"Summary saved: {report}")
    _record_history(keep_history, from_practice(summary, utc_now()))
    if summary.status == "interrupted":
        sys.exit(EXIT_INTERRUPTED)
    if summary.status == "camera lost":
        raise click.ClickException("the camera stopped sending pictures: check its cable, "
                                   "then start again (the summary above is saved)")
    if summary.warnings:
        raise click.ClickException(f"{summary.warnings[0]} (the summary above is saved)")


@main.command()
@click.option("--pose", "pose_name", default="auto", show_default=True,
              help=f"Pose to practise: {', '.join(builtin_names())}, auto (recognise it), or "
                   "a pose file (.toml).")
@click.option("--side", type=click.Choice(["left", "right"]),
              help="Working side of Pigeon or Figure Four (default: detected; key s switches).")
@practice_options
@history_option
def live(pose_name, side, keep_history, **kwargs):
    """Practise in front of a camera with live feedback.

    Keys: q or Esc quit, space pause, s switch side, r reset the timer.

    
    Examples:
      posecheck live --pose malasana
      posecheck live --pose pigeon --side right --record session.mp4
      posecheck live --pose malasana --source clip.mp4 --no-window
    """
    from posecheck.app.practice import run_live

    poses = pose_names(pose_name, side)
    summary, report = run_live(poses, side, _setup(**kwargs))
    _finish_practice(summary, report, keep_history)


@main.command()
@practice_options
@history_option
def routine(keep_history, **kwargs):
    """The four-step hip-mobility routine, guided: Happy Baby, Pigeon right and left,
    Figure Four right and left, Malasana. Each step counts down, then moves on by itself
    when its hold is done.

    Keys: n skip to the next step, q or Esc quit, space pause, r reset the timer.

    
    Examples:
      posecheck routine
      posecheck routine --hold 20 --record routine.mp4
    """
    from posecheck.app.practice import run_routine

    summary, report = run_routine(_setup(**kwargs))
    _finish_practice(summary, report, keep_history)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--labels", "labels_path", type=click.Path(dir_okay=False),
              help="Labels file (default: labels.json beside the clips).")
@click.option("--pose", "pose_mode", default="label", show_default=True,
              help="label (judge each clip as the pose its label names), auto (recognise "
                   "it: measures pose recognition too), or a pose name.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Clips analysed in parallel processes.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Analyse the clips on a Dask cluster instead (as batch --scheduler).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False),
              help="Write the table and every metric here as JSON.")
@click.option("--model", type=click.Path(dir_okay=False),
              help="A pose-landmarker .task model (default: the bundled full model).")
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="Show a progress bar.")
def score(paths, labels_path, pose_mode, jobs, scheduler, json_path, model, progress):
    """Analyse clips (default: the bundled samples) and measure how right the feedback is.

    Scores never use a personal profile: they measure the bundled poses against the
    labelled truth.

    With labels (labels.json beside the clips) it prints, per check and overall, the
    precision, recall and F1 of fault detection, how often a check that cannot be judged
    from the clip's view was rightly reported unknown, pose recognition and the error of
    the correct-hold seconds.

    \b
    Example:
      posecheck score samples/ --jobs 2 --json scores.json
    """
    from posecheck.app.engine import DaskEngine, EngineError, LocalEngine
    from posecheck.eval import evaluate as ev
    from posecheck.io.video import check_writable
    from posecheck.report.builder import write_json

    if not paths:
        folder = ev.default_samples()
        if folder is None:
            raise UserError("no samples folder here: run from the repository, or name clips")
        paths = (str(folder),)
    clips = ev.find_clips(list(paths))
    labels = ev.find_labels(clips, labels_path)
    if pose_mode == "label":
        missing = [c.name for c in clips if c.name not in labels]
        if missing:
            raise UserError(f"no label for {missing[0]}: pass --pose NAME or auto, or --labels")
    elif pose_mode != "auto":
        load_pose(pose_mode, also=("label", "auto"))
    if json_path:
        check_writable(json_path)
    try:
        engine = DaskEngine(scheduler) if scheduler else LocalEngine(jobs)
    except EngineError as exc:
        raise UserError(str(exc)) from None
    runs = []
    status = "done"
    with click.progressbar(length=len(clips), label="Scoring", file=sys.stderr,
                           show_pos=True, hidden=not progress) as bar:
        try:
            for run in ev.run_all(clips, labels, pose_mode, engine, model):
                runs.append(run)
                bar.update(1)
                if json_path:
                    write_json(json_path, _score_json(ev, runs, clips, labels, "running"))
        except KeyboardInterrupt:
            status = "interrupted"
        finally:
            engine.close()
    data = _score_json(ev, runs, clips, labels, status)
    if json_path:
        write_json(json_path, data)
    click.echo(ev.format_table(data["clips"]))
    if data.get("overall"):
        click.echo("")
        click.echo(ev.format_metrics(data))
    if status == "interrupted":
        kept = " (the JSON keeps them)" if json_path else ""
        click.echo(f"Interrupted: scored {len(runs)} of {len(clips)} clips{kept}.", err=True)
        sys.exit(EXIT_INTERRUPTED)


def _score_json(ev, runs, clips, labels, status: str) -> dict:
    runs = ev.order_runs(runs, clips)
    out = {"status": status,
           "clips": [ev.clip_row(r, labels.get(Path(r.path).name)) for r in runs]}
    m = ev.metrics(runs, labels)
    if m:
        out.update(m)
    return out


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for the reports and summary.csv (made if missing).")
@click.option("--pose", "pose_name", default="auto", show_default=True,
              help="Pose of every clip (or auto: recognise it).")
@click.option("--side", type=click.Choice(["left", "right"]),
              help="Working side of Pigeon or Figure Four in every clip (default: detected).")
@click.option("--html", is_flag=True, help="Also write each clip's HTML page.")
@click.option("--video", is_flag=True, help="Also write each clip's annotated video (.mp4).")
@click.option("--fast", is_flag=True, help="Judge about 10 frames a second (as analyze --fast).")
@click.option("--workers", type=click.IntRange(1, 256),
              help="Local worker processes [default: one per core].")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run on a Dask cluster instead, e.g. tcp://10.0.0.5:8786 (needs "
                   "pip install 'posecheck[cluster]' here and on the workers).")
@click.option("--model", type=click.Path(dir_okay=False),
              help="A pose-landmarker .task model (default: the bundled full model; on a "
                   "cluster the path must exist on every worker).")
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="Show a progress bar with the time left.")
def batch(inputs, out_dir, pose_name, side, html, video, fast, workers, scheduler, model,
          progress):
    """Analyse every clip of INPUTS (folders, video files, or .txt lists of paths): a JSON
    report per clip (and HTML page, annotated video) under --out, and OUT/summary.csv with
    one row per clip.

    A rerun skips the clips already done (report complete, input unchanged). A clip that
    cannot be read is an error row and the batch goes on; the exit code is 1 when any clip
    failed. Ctrl-C keeps every clip finished.

    \b
    Examples:
      posecheck batch recordings/ --out reports/ --html
      posecheck batch clips.txt --out reports/ --scheduler tcp://10.0.0.5:8786
    """
    from posecheck.app import batch as b
    from posecheck.app.engine import EngineError, engine_for
    from posecheck.io.detector import check_model_file
    from posecheck.io.video import check_writable

    if workers and scheduler:
        raise UserError("--workers and --scheduler: choose one (a cluster has its own workers)")
    pose_names(pose_name, side)  # a typo or a side without sides: before any work
    if model:
        check_model_file(Path(model))
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        check_writable(out / "summary.csv")
        tasks = b.plan(b.find_clips(inputs), out, html, video, pose_name, side, model, fast)
    except OSError as exc:
        raise UserError(f"cannot write to {out}: {exc.strerror} (choose another --out)") from None
    if not tasks:
        raise UserError(f"no video files in {', '.join(inputs)}")
    try:
        engine = engine_for(workers, scheduler)
    except EngineError as exc:
        raise UserError(str(exc)) from None
    click.echo(f"{len(tasks)} clip{'s' * (len(tasks) != 1)} on {engine.name}", err=True)
    with click.progressbar(length=len(tasks), label="Analysing clips", file=sys.stderr,
                           show_eta=True, show_pos=True, hidden=not progress) as bar:
        try:
            outcome = b.run_batch(tasks, out, engine, lambda row, skipped: bar.update(1))
        except KeyboardInterrupt:
            click.echo(f"\nInterrupted: finished clips keep their reports; {out / 'summary.csv'} "
                       "lists them. Run the same command again to go on.", err=True)
            sys.exit(EXIT_INTERRUPTED)
        finally:
            engine.close()
    done = len(outcome.rows) - outcome.failed
    skipped = f" ({outcome.skipped} already done)" if outcome.skipped else ""
    click.echo(f"{done} of {len(tasks)} clips analysed{skipped}; summary: {out / 'summary.csv'}")
    for row in outcome.rows:
        if row["status"] != "done":
            click.echo(f"  failed: {row['file']}: {row['error']}")
    if outcome.failed:
        sys.exit(1)


@main.group()
def poses() -> None:
    """List, describe and validate pose files."""


@poses.command("list")
def poses_list() -> None:
    """List the bundled poses."""
    for spec in load_all():
        side = "  (left/right)" if spec.asymmetric else ""
        click.echo(f"{spec.name:<12} {spec.title}{side}: {len(spec.checks)} checks, "
                   f"hold {spec.hold_s:.0f} s")


@poses.command("show")
@click.argument("name")
def poses_show(name: str) -> None:
    """Show a pose's checks, cues and camera set-up.

    \b
    Example:
      posecheck poses show pigeon
    """
    spec = load_pose(name)
    click.echo(f"{spec.title} ({spec.name})\n  {spec.description}")
    click.echo(f"Camera: {spec.camera}")
    click.echo(f"Hold: {spec.hold_s:.0f} s" + ("; sides: left and right" if spec.asymmetric
                                               else ""))
    for phase in spec.phases:
        hidden = (f": hides the {phase.hidden_leg} leg, and says \"{phase.hidden_cue}\""
                  if phase.hidden_leg else "")
        click.echo(f"Phase: {phase.name}{hidden}")
    click.echo("Checks (* = core: must pass for correct form):")
    for c in spec.checks:
        views = "any view" if "any" in c.views else ", ".join(c.views)
        if c.unsupported:
            views = f"no view yet ({c.unsupported})"
        elif c.max_elevation is not None:
            views += f", with the camera at most {c.max_elevation:g} degrees above the floor"
        click.echo(f"  {'*' if c.core else ' '} {c.id:<20} {c.kind:<5} {c.what}")
        cue = c.cue.replace("{working}", "[working side]").replace("{other}", "[other side]")
        click.echo(f"      cue: \"{cue}\"   judged from: {views}")


@poses.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
def poses_check(file: str) -> None:
    """Validate a pose file.

    \b
    Example:
      posecheck poses check my-pose.toml
    """
    spec = load_pose_file(file)
    click.echo(f"{file}: OK ({spec.title}, {len(spec.checks)} checks)")


@main.command()
@click.argument("source", required=False, type=click.Path(dir_okay=False))
@click.option("--camera", type=int, help="Calibrate from this camera instead of a file.")
@click.option("--profile", "profile_name", default="default", show_default=True,
              help="Profile to write (one per person on this machine).")
@click.option("--seconds", default=5.0, show_default=True, type=click.FloatRange(0.5, 120),
              help="Seconds of video or camera to measure.")
@click.option("--model", type=click.Path(dir_okay=False),
              help="A pose-landmarker .task model (default: the bundled full model).")
def calibrate(source, camera, profile_name, seconds, model):
    """Measure your proportions from a photo, a video or the camera, of you standing
    facing the camera with your whole body in view, and save them in a profile.

    The profile (~/.config/posecheck/profiles/NAME.toml) may also hold threshold
    adjustments (see README); recalibrating keeps them. analyze, live and routine use the
    'default' profile when there is one, or the one --profile names.

    \b
    Examples:
      posecheck calibrate me-standing.jpg
      posecheck calibrate --camera 0 --seconds 5 --profile sam
    """
    from posecheck.app.calibrate import detect_frames, measure_frames
    from posecheck.io.profile import Profile, check_can_save, profile_path, save_profile
    from posecheck.io.profile import load_profile as load

    if (source is None) == (camera is None):
        raise UserError("give a photo or video to calibrate from, or --camera N")
    path = profile_path(profile_name)
    check_can_save(path)
    old = load(profile_name) if path.is_file() else None
    name = source or f"camera {camera}"
    try:
        frames, needed = detect_frames(source, camera, seconds, model)
        sizes, count = measure_frames(frames, name, needed)
    except KeyboardInterrupt:
        kept = f" (profile '{profile_name}' is as it was)" if old else ""
        click.echo(f"Interrupted: no profile written{kept}.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    info = {"source": name, "frames": count, "date": f"{datetime.now():%Y-%m-%d %H:%M}"}
    save_profile(Profile(profile_name, path, sizes, old.adjust if old else {}, info,
                         old.voice if old else {}))
    click.echo(f"Measured on {count} frame{'s' * (count != 1)} of {name} (torso lengths):")
    click.echo("  " + ", ".join(f"{bone} {v:.2f}" for bone, v in sizes.items()))
    click.echo(f"Saved profile '{profile_name}': {path}")


@main.group()
def profile() -> None:
    """List and show personal profiles (made by posecheck calibrate)."""


@profile.command("list")
def profile_list() -> None:
    """List the profiles on this machine."""
    from posecheck.io.profile import profile_names, profiles_dir

    names = profile_names()
    if not names:
        click.echo(f"No profiles in {profiles_dir()}: make one with posecheck calibrate")
    for name in names:
        click.echo(name)


@profile.command("show")
@click.argument("name", default="default")
def profile_show(name: str) -> None:
    """Show a profile's proportions and threshold adjustments.

    \b
    Example:
      posecheck profile show sam
    """
    from posecheck.io.profile import load_profile as load

    p = load(name)
    click.echo(f"Profile '{p.name}': {p.path}")
    if p.calibration:
        click.echo("Calibrated: " + ", ".join(f"{k} {v}" for k, v in p.calibration.items()))
    if p.proportions:
        click.echo("Proportions (torso lengths): " + ", ".join(
            f"{bone} {v:.2f}" for bone, v in p.proportions.items()))
    for (pose, check, feature), (low, high) in p.adjust.items():
        bounds = ", ".join(f"{k} {v:g}" for k, v in (("min", low), ("max", high))
                           if v is not None)
        click.echo(f"Adjusted: {pose}/{check} {feature}: {bounds}")
    if p.voice:
        click.echo("Voice: " + ", ".join(f"{k} {str(v).lower()}" for k, v in p.voice.items()))


@main.command()
@click.option("--pose", "pose_name",
              help="Show this pose's progress: correct-hold time per day, best hold and most "
                   "frequent faults.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1),
              help="Sessions to list, newest first.")
@click.option("--plot", type=click.Path(dir_okay=False),
              help="Also draw the correct-hold time per day of each pose (or of --pose) into "
                   "this PNG.")
@click.option("--export", "export_format", metavar="csv|json",
              help="Print every session (with --pose: that pose's) as CSV, one row per pose, "
                   "or JSON, instead of the list.")
@click.option("--output", type=click.Path(dir_okay=False),
              help="With --export: write to this file instead of the screen.")
@click.option("--db", type=click.Path(dir_okay=False),
              help="The history database [default: $POSECHECK_HISTORY, else "
                   "~/.local/share/posecheck/history.sqlite3].")
def history(pose_name, limit, plot, export_format, output, db):
    """Your recorded sessions and your progress over time. Every live, routine and
    analyze run is recorded (unless run with --no-history).

    \b
    Examples:
      posecheck history
      posecheck history --pose malasana --plot malasana.png
      posecheck history --export csv --output sessions.csv
    """
    from posecheck.report.history import (
        HistoryError,
        default_path,
        read,
        recorded_poses,
    )

    _check_history_options(plot, export_format, output)
    listing = not (pose_name or plot or export_format)
    try:
        if pose_name:
            _check_history_pose(pose_name, recorded_poses(db or default_path()))
        runs = read(db or default_path(), pose_name, limit if listing else None)
    except HistoryError as exc:
        raise UserError(str(exc)) from None
    if export_format:
        _export_history(runs, pose_name, export_format, output)
    elif not runs:
        click.echo(f"No sessions of {pose_name} in the history yet." if pose_name else
                   "No sessions in the history yet: live, routine and analyze record theirs.")
    else:
        _show_history(runs, pose_name, limit, plot)


def _check_history_pose(name: str, recorded: list[str]) -> None:
    """A pose to show must be a bundled one or one in the history (a custom pose file's)."""
    valid = list(dict.fromkeys([*builtin_names(), *recorded]))
    if name not in valid:
        raise UserError(unknown_pose(name, valid))


def _check_history_options(plot, export_format, output) -> None:
    from posecheck.io.video import check_writable

    if export_format not in (None, "csv", "json"):
        raise UserError(f"--export must be csv or json, not '{export_format}'")
    if output and not export_format:
        raise UserError("--output needs --export csv or json")
    if plot and Path(plot).suffix.lower() != ".png":
        raise UserError(f"--plot needs a .png file name, not {plot}")
    for path in (plot, output):
        if path:
            check_writable(path)


def _export_history(runs, pose_name, export_format, output) -> None:
    from posecheck.report.progress import only_pose, to_csv, to_json

    runs = only_pose(runs, pose_name) if pose_name else runs
    text = to_csv(runs) if export_format == "csv" else to_json(runs)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"Exported {len(runs)} session{'s' * (len(runs) != 1)} to {output}")
    else:
        click.echo(text, nl=False)


def _show_history(runs, pose_name, limit, plot) -> None:
    from posecheck.core.checks import fill_cue
    from posecheck.report.progress import (
        daily,
        format_progress,
        format_sessions,
        only_pose,
        top_faults,
    )

    specs = {spec.name: spec for spec in load_all()}
    if pose_name:
        spec = specs.get(pose_name)
        cues = {c.id: fill_cue(c.cue, None) for c in spec.checks} if spec else {}
        names = {c.id: c.name for c in spec.checks} if spec else {}
        click.echo(format_progress(spec.title if spec else pose_name, daily(runs, pose_name),
                                   top_faults(runs, pose_name), cues, names))
        runs = only_pose(runs, pose_name)
    else:
        click.echo(format_sessions(runs[:limit]))  # with --plot: all runs were read
    if plot:
        _plot_history(runs, plot, {name: spec.title for name, spec in specs.items()})


def _plot_history(runs, plot, titles) -> None:
    from posecheck.report.progress import pose_names
    from posecheck.report.progress_plot import plot_progress

    if not pose_names(runs):
        click.echo("No pose was recognised in these sessions: nothing to plot.")
        return
    plot_progress(runs, plot, titles)
    click.echo(f"Plot saved: {plot}")
