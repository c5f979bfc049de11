"""The hold timer, fed frame sequences at 30 fps: what counts toward the hold and what not."""

from __future__ import annotations

import pytest

from posecheck.core.timer import GRACE, HOLDING, IDLE, SETTLING, HoldTimer

FPS = 30
FRAME = 1 / FPS


def frames(*pieces: tuple[bool, float], start: float = 0.0) -> list[tuple[bool, float]]:
    """(correct, seconds) pieces -> one (correct, t) per frame at 30 fps."""
    out, i = [], round(start * FPS)
    for correct, seconds in pieces:
        for _ in range(round(seconds * FPS)):
            out.append((correct, i / FPS))
            i += 1
    return out


def run(seq, timer: HoldTimer | None = None):
    timer = timer or HoldTimer(debounce_s=0.5, grace_s=1.0, max_gap_s=0.5, forgive_s=0.3)
    snaps = [timer.update(c, t) for c, t in seq]
    return timer, snaps


def test_no_credit_during_the_debounce():
    _, snaps = run(frames((True, 0.5)))
    assert all(s.total_s == 0 for s in snaps)
    assert snaps[0].state == SETTLING


def test_a_confirmed_hold_is_credited_from_its_start():
    """Once 0.5 s of correct form confirms the hold, that 0.5 s counts too."""
    _, snaps = run(frames((True, 1.0)))
    confirmed = next(i for i, s in enumerate(snaps) if s.state == HOLDING)
    assert confirmed / FPS == pytest.approx(0.5, abs=FRAME)
    assert snaps[confirmed - 1].total_s == 0
    assert snaps[confirmed].total_s == pytest.approx(confirmed / FPS)


@pytest.mark.parametrize("seconds", [1.0, 3.0, 10.0])
def test_credit_is_the_whole_correct_time(seconds):
    _, snaps = run(frames((True, seconds)))
    last = snaps[-1]
    assert last.state == HOLDING
    # frames from 0 to seconds - 1/30
    assert last.total_s == pytest.approx(seconds - FRAME, abs=0.5 * FRAME)
    assert last.current_s == last.longest_s == last.total_s


def test_passing_through_the_pose_earns_nothing():
    _, snaps = run(frames((True, 0.3), (False, 0.3), (True, 0.3), (False, 1.0)))
    assert snaps[-1].total_s == 0 and snaps[-1].state == IDLE


def test_short_dropout_keeps_the_hold_unbroken_and_is_not_credited():
    _, snaps = run(frames((True, 2.0), (False, 0.5), (True, 2.0)))
    last = snaps[-1]
    assert any(s.state == GRACE for s in snaps)
    # about 2 s before the dropout and 2 s after it; the 0.5 s dropout itself not credited
    assert last.total_s == pytest.approx(2.0 + 2.0 - 2 * FRAME, abs=1.5 * FRAME)
    # 4.5 s of wall time: counting the dropout would have given about 4.5 s
    assert last.total_s <= 4.5 - 0.5
    assert last.longest_s == pytest.approx(last.total_s)  # one hold spanning the dropout
    assert last.current_s == pytest.approx(last.total_s)


@pytest.mark.parametrize("blip", [FRAME, 0.2, 0.3])
def test_a_blip_of_at_most_forgive_s_is_credited(blip):
    """A wrong frame or two in a steady hold is the model's blip: that time counts."""
    _, snaps = run(frames((True, 2.0), (False, blip), (True, 2.0)))
    assert snaps[-1].total_s == pytest.approx(4.0 + blip - FRAME, abs=0.5 * FRAME)


def test_a_blip_without_landmarks_is_not_credited():
    timer, _ = run(frames((True, 2.0)))
    before = timer.total_s
    for i in range(1, 4):
        timer.update(False, 2.0 - FRAME + i * FRAME, seen=False)
    timer.update(True, 2.0 + 3 * FRAME)
    assert timer.total_s == pytest.approx(before)


def test_long_dropout_breaks_the_hold():
    _, snaps = run(frames((True, 3.0), (False, 2.0), (True, 2.0)))
    last = snaps[-1]
    first_piece = 3.0 - FRAME
    second_piece = 2.0 - FRAME
    assert last.total_s == pytest.approx(first_piece + second_piece, abs=2.5 * FRAME)
    assert last.longest_s == pytest.approx(first_piece, abs=1.5 * FRAME)  # the longer piece
    assert last.current_s == pytest.approx(second_piece, abs=1.5 * FRAME)
    assert IDLE in {s.state for s in snaps}


def test_hold_breaks_just_after_the_grace_period():
    timer, snaps = run(frames((True, 2.0), (False, 1.2)))
    states = [s.state for s in snaps[round(2.0 * FPS):]]
    broke = states.index(IDLE)
    assert broke / FPS == pytest.approx(1.0, abs=1.5 * FRAME)
    assert all(s == GRACE for s in states[:broke])


def test_a_gap_between_frames_is_not_credited():
    """Frames stop for a second (stale landmarks): that second earns nothing."""
    seq = frames((True, 2.0)) + frames((True, 2.0), start=3.0)
    _, snaps = run(seq)
    last = snaps[-1]
    assert last.total_s == pytest.approx(4.0 - 2 * FRAME, abs=1.5 * FRAME)


@pytest.mark.parametrize("gap, credited", [(0.4, True), (0.6, False)])
def test_max_gap(gap, credited):
    timer, _ = run(frames((True, 1.0)))
    before = timer.total_s
    timer.update(True, 1.0 - FRAME + gap)
    assert (timer.total_s - before == pytest.approx(gap)) is credited
    assert (timer.total_s == before) is not credited


def test_time_running_backwards_is_not_credited():
    timer, _ = run(frames((True, 1.0)))
    before = timer.total_s
    timer.update(True, 0.2)
    assert timer.total_s == before


def test_reset():
    timer, _ = run(frames((True, 3.0)))
    timer.reset()
    snap = timer.snapshot()
    assert (snap.state, snap.total_s, snap.current_s, snap.longest_s) == (IDLE, 0, 0, 0)
    # and it debounces again from scratch
    _, snaps = run(frames((True, 0.5), start=10.0), timer)
    assert snaps[-1].total_s == 0


def test_break_hold_keeps_the_totals():
    timer, _ = run(frames((True, 3.0)))
    total = timer.total_s
    timer.break_hold()
    snap = timer.snapshot()
    assert snap.state == IDLE and snap.current_s == 0
    assert snap.total_s == snap.longest_s == total
